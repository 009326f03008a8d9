from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "web"
    verbose_name = "网页界面"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import converters  # noqa: F401, PLC0415  (registers <oid:...> and <year:...> before URLconfs load)
