"""Publishing's scheduled work, registered with core.tick as "publishing" (publishing/apps.py).

Each unit of work is its own short transaction that locks the item row and re-checks that the work is
still due, so two runs at the same moment never publish, expire or open a task twice, and one failing
item does not stop the rest (it is logged and counted)."""
import logging

from django.utils import timezone

from workflow.models import DisclosureMode, Information, ItemStatus

from . import actions

log = logging.getLogger("shenfa.tick")


def _each(label, queryset, func, summary):
    done = 0
    for pk in list(queryset.values_list("pk", flat=True)):
        try:
            if func(Information(pk=pk)):
                done += 1
        except Exception:
            log.exception("tick: %s failed for item %s", label, pk)
            summary["errors"] += 1
    summary[label] = done


def run_due_work(now=None) -> dict:
    """Run every kind of due work once; return counts per kind."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    summary = {"errors": 0}
    _each("published", Information.objects.filter(status=ItemStatus.SCHEDULED, publish_at__lte=now).order_by(
        "publish_at", "pk"), lambda item: actions.publish_due_item(item=item, now=now), summary)
    _each("expired", Information.objects.filter(online=True, display_until__lte=now),
          lambda item: actions.expire_due_item(item=item, now=now), summary)
    _each("overdue_flagged", Information.objects.filter(
        disclosure_mode=DisclosureMode.PROACTIVE, status__in=actions.UNPUBLISHED_WORKING_STATES),
        lambda item: getattr(actions.track_disclosure_deadline(item=item, now=now), "newly_flagged", False),
        summary)
    _each("cleanup_opened", Information.objects.filter(online=True, status=ItemStatus.PUBLISHED,
                                                       next_review_date__lte=today),
          lambda item: actions.open_due_cleanup(item=item, today=today) is not None, summary)
    return summary
