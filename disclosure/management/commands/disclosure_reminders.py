"""Run the request deadline work once: auto-close lapsed supplements/fees, send reminders.

`manage.py tick` (core.tick, job "disclosure") calls disclosure.actions.run_due_work(now) every minute;
this command is the same call for cron set-ups or a manual run."""
from django.core.management.base import BaseCommand
from django.utils import timezone

from disclosure.actions import run_due_work


class Command(BaseCommand):
    help = "依申请公开：期限届满自动办结、临期与超期提醒"

    def handle(self, *args, **opts):
        counts = run_due_work(timezone.now())
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
