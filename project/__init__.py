# The Celery app is loaded with Django, so that shared tasks (core.tasks) sent from the web processes go to
# the configured broker (CELERY_BROKER_URL), not to Celery's default one.
from .celery import app as celery_app

__all__ = ("celery_app",)
