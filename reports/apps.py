from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "年度报告与审核单"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import jobs  # noqa: PLC0415  (job kinds register once the app registry is ready)

        jobs.register()
