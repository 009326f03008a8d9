"""Benchmarks (bench/run.py, bench/generate.py): production-like, plus the bare-viewflow baseline app.

The database comes from DATABASE_URL, which bench/dbs.py sets to a dedicated benchmark database."""
import os
from pathlib import Path

from .base import *  # noqa: F403
from .base import INSTALLED_APPS

DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", "/tmp/shenfa-bench-media"))
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Benchmarks: a fixed audit key (the records are generated, not real).
SHENFA = {**SHENFA, "AUDIT_KEYS": {"bench": "bench-audit-key-not-a-secret-0123456789"}}  # noqa: F405
