"""Celery tasks. Beat schedules "publishing.tasks.tick" (project/settings/base.py CELERY_BEAT_SCHEDULE)."""
from celery import shared_task

from .scheduler import run_due_work


@shared_task(name="publishing.tasks.tick", ignore_result=False)
def tick():
    """Run all due work once; idempotent, so overlapping beats are harmless."""
    return run_due_work()
