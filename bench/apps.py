from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Installed only by project.settings.bench: holds the bare-viewflow baseline flow (no models)."""

    name = "bench"
    verbose_name = "基准测试"
