from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "审核流程"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # App registry: Django requires models loaded before these modules import them.
        from core import jobs  # noqa: PLC0415

        from . import checks  # noqa: F401, PLC0415  (registers the system checks)
        from .actions import prescan  # noqa: PLC0415

        jobs.register(prescan.JOB_KIND, prescan.scan_job, label="保密预检（附件）", memory_mb=1024,
                      cpu_seconds=180, wall_seconds=240)
