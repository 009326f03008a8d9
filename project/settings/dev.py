"""Local development and the embedded demo (SQLite by default)."""
from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)

# The embedded worker processes (core.jobs "process" backend) log here.
SHENFA = {**SHENFA, "JOBS_LOG": str(BASE_DIR / "jobs.log")}  # noqa: F405
