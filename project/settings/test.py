"""Test settings: same as production shape, fast hashing, unique PostgreSQL test DB per run."""
import os

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", "/tmp/shenfa-test-media"))  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Several test runs may share one server (CI, developers, helpers): never collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_shenfa_{os.getpid()}"}
else:
    DATABASES["default"]["OPTIONS"].pop("init_command", None)

# Background jobs run at once in the test process (core.jobs "immediate": pytest's test transactions never
# commit); the tests of the job runner itself switch to "inline" (on commit) or "process" (worker process).
# The audit key is a fixed test secret (never used outside tests). No checkpoint file and no checkpoints by the
# tick (each test's database is rolled back; the audit tests turn both on with a file of their own).
SHENFA = {"JOBS_BACKEND": "immediate", "AUDIT_KEYS": {"test": "test-audit-key-not-a-secret-0123456789"},
          "AUDIT_CHECKPOINT_MINUTES": 0}
SILENCED_SYSTEM_CHECKS = ["audit.W001"]
