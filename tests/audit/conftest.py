"""Helpers of the audit tests: someone with direct write access to the database, checkpoint files per test."""
import pytest
from django.db import connection

from audit import triggers


def tamper(sql, params=()):
    """Run `sql` as a database administrator who gets past the triggers (superuser / file owner)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # A superuser session may skip triggers (the app's role must not be able to: docs/notes-h-audit.md).
            cur.execute("SET session_replication_role = replica")
            try:
                cur.execute(sql, params)
            finally:
                cur.execute("SET session_replication_role = origin")
        else:
            triggers.uninstall(connection)
            try:
                cur.execute(sql, params)
            finally:
                triggers.install(connection)


@pytest.fixture
def checkpoint_file(settings, tmp_path):
    path = tmp_path / "checkpoints.jsonl"
    settings.SHENFA = {**settings.SHENFA, "AUDIT_CHECKPOINT_FILE": str(path), "AUDIT_CHECKPOINT_MINUTES": 60}
    return path
