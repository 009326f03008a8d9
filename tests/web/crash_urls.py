"""The project's URLs plus a view that crashes, for the error-page tests."""
from django.urls import path

from project.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def crash(request):
    raise RuntimeError("boom")


urlpatterns = [path("crash/", crash), *urlpatterns]
