from django.apps import AppConfig
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import post_migrate


def _ensure_triggers(using="default", **kwargs):
    # SQLite drops a table's triggers when a migration rebuilds the table: put them back after every migrate.
    from django.db import connections  # noqa: PLC0415 - signal handler, apps not ready at import

    from . import triggers  # noqa: PLC0415

    conn = connections[using]
    if conn.vendor == "sqlite" and "audit_auditchain" in conn.introspection.table_names():
        triggers.install(conn)


def check_keys(app_configs=None, **kwargs):
    """audit.E001: no audit key; audit.E002: a key source is broken; audit.W001: no checkpoint file."""
    from .checkpoints import checkpoint_file  # noqa: PLC0415 - checks are registered before models load
    from .keys import keyring  # noqa: PLC0415

    errors = []
    try:
        ring = keyring()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="audit.E002")]
    if not ring.current:
        errors.append(checks.Error(
            "No audit key is configured: audit records cannot be signed.",
            hint="Set SHENFA_AUDIT_KEY=<id>:<secret> (32+ random bytes) or SHENFA_AUDIT_KEY_FILE.", id="audit.E001"))
    if not checkpoint_file():
        errors.append(checks.Warning(
            "No audit checkpoint file: chain heads are signed only inside the database.",
            hint="Set SHENFA_AUDIT_CHECKPOINT_FILE to an append-only file (and log shenfa.audit.checkpoint to "
                 "a remote syslog).", id="audit.W001"))
    return errors


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "审计与报告"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import tick  # noqa: PLC0415 - registration belongs in ready()

        from . import checkpoints  # noqa: PLC0415

        tick.register("audit", checkpoints.tick_job)
        checks.register(check_keys)
        post_migrate.connect(_ensure_triggers, sender=self)
