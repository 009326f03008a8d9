from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "消息通知"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import jobs, tick  # noqa: PLC0415  (app registry: Django requires models loaded first)

        from .delivery import deliver_job, send_digests  # noqa: PLC0415

        jobs.register("notices.deliver", deliver_job, label="发送消息通知", memory_mb=600, wall_seconds=300)
        tick.register("notices", send_digests)
