"""Scheduled work (`manage.py tick`, the Celery beat task, the demo's loop): each app registers its jobs.

A job is a function `job(now) -> dict` of counts; it runs each unit of work in its own short transaction,
so one failing item is logged and counted under "errors" and never blocks the others. run_all() runs every
registered job once, in registration order (the order of INSTALLED_APPS), and a job that raises is logged
and counted too. The tick is idempotent: two runs at the same moment do the work once."""
import logging
from collections.abc import Callable

from django.utils import timezone

log = logging.getLogger("shenfa.tick")

_JOBS: dict[str, Callable] = {}


def register(name: str, job: Callable) -> None:
    """Register `job(now) -> dict` under `name` (call it from the app's AppConfig.ready)."""
    _JOBS[name] = job


def registered() -> list[str]:
    return list(_JOBS)


def run_all(now=None) -> dict:
    """Run every registered job once. Returns {job name: its counts, "errors": total errors}."""
    now = now or timezone.now()
    summary: dict = {"errors": 0}
    for name, job in _JOBS.items():
        try:
            counts = job(now) or {}
        except Exception:
            log.exception("tick: job %s failed", name)
            summary["errors"] += 1
            summary[name] = {"failed": True}
            continue
        summary["errors"] += int(counts.get("errors", 0))
        summary[name] = counts
    if summary["errors"]:
        log.error("tick: %s error(s): %s", summary["errors"], summary)
    return summary


def format_summary(summary: dict) -> str:
    parts = []
    for name, counts in summary.items():
        if isinstance(counts, dict):
            parts.extend(f"{name}.{k}={v}" for k, v in counts.items() if k != "errors")
        else:
            parts.append(f"{name}={counts}")
    return " ".join(parts)
