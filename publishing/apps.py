from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "发布与清理"
    default_auto_field = "django.db.models.BigAutoField"
