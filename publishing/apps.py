from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "发布与清理"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import tick  # noqa: PLC0415  (app registry: Django requires models loaded first)

        from .scheduler import run_due_work  # noqa: PLC0415

        tick.register("publishing", run_due_work)
