from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "年度报告与审核单"
    default_auto_field = "django.db.models.BigAutoField"
