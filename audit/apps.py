from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "审计与报告"
    default_auto_field = "django.db.models.BigAutoField"
