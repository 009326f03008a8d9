from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = "依申请公开"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import tick  # noqa: PLC0415  (app registry: Django requires models loaded first)

        from .actions import run_due_work  # noqa: PLC0415

        tick.register("disclosure", run_due_work)
