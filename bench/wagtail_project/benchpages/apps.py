from django.apps import AppConfig


class BenchPagesConfig(AppConfig):
    name = "benchpages"
    verbose_name = "基准测试页面"
