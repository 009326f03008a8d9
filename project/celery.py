"""Celery app for production: beat runs core.tasks.tick (settings.CELERY_BEAT_SCHEDULE) every minute.

    celery -A project worker -B --loglevel=info      # or separate `worker` and `beat` processes

The broker is settings.CELERY_BROKER_URL (env CELERY_BROKER_URL, default redis://127.0.0.1:6379/0).
The embedded default needs none of this: run `manage.py tick` from cron, or `manage.py tick --loop 60`."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings.production")

app = Celery("shenfa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
