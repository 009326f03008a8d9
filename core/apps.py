from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "机构、人员与工作日"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, jobs, probe, tick  # noqa: F401, PLC0415  (app registry: models load first)

        tick.register("jobs", jobs.tick_job)
        jobs.register("core.probe", probe.probe_job, label="资源限制自检", memory_mb=512, cpu_seconds=20,
                      wall_seconds=30)
