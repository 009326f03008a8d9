from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = "依申请公开"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import tick  # noqa: PLC0415  (app registry: Django requires models loaded first)

        from .actions import run_due_work  # noqa: PLC0415

        tick.register("disclosure", run_due_work)

        from core import jobs  # noqa: PLC0415  (app registry ready: job kinds are registered once)

        from .actions import LETTER_JOB  # noqa: PLC0415
        from .letters import render_job  # noqa: PLC0415

        jobs.register(LETTER_JOB, render_job, label="生成答复书/告知书（PDF、DOCX）", memory_mb=1024,
                      cpu_seconds=120, wall_seconds=300)
