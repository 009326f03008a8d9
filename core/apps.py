from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "机构、人员与工作日"
    default_auto_field = "django.db.models.BigAutoField"
