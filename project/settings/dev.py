"""Local development and the embedded demo (SQLite by default)."""
from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)

# The embedded worker processes (core.jobs "process" backend) log here.
# A fixed development audit key (SHENFA_AUDIT_KEY / SHENFA_AUDIT_KEY_FILE add real ones; never use it in production).
SHENFA = {**SHENFA, "JOBS_LOG": str(BASE_DIR / "jobs.log"),  # noqa: F405
          "AUDIT_KEYS": {"dev": "dev-audit-key-not-a-secret-0123456789"},
          "AUDIT_CHECKPOINT_FILE": str(BASE_DIR / "audit-checkpoints.jsonl")}  # noqa: F405
