"""Celery tasks of the floor. Beat schedules "core.tasks.tick" (project/settings/base.py CELERY_BEAT_SCHEDULE)."""
from celery import shared_task

from .tick import run_all


class TickFailed(Exception):
    """Some unit of work failed (it was logged); raised so that the worker's monitoring sees it."""


@shared_task(name="core.tasks.tick", ignore_result=False)
def tick():
    """Run all due work once; idempotent, so overlapping beats are harmless."""
    summary = run_all()
    if summary["errors"]:
        raise TickFailed(summary)
    return summary


@shared_task(name="core.tasks.run_job", ignore_result=True, acks_late=True)
def run_job(job_id: int):
    """Run one background job in a child process under its limits (core.jobs.run_isolated)."""
    from . import jobs  # noqa: PLC0415  (core.jobs dispatches to this module: import it here, not at the top)

    return jobs.run_isolated(job_id)
