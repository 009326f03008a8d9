"""Helpers shared by the web views: permission-checked look-ups (errors become pages in web.errors)."""
from datetime import timedelta

from django.utils import timezone
from viewflow.workflow.models import Task

from core.conf import shenfa_setting
from core.errors import deny
from workflow import permissions
from workflow.models import Information, ItemStatus

from ..errors import not_found


def visible_item(user, pk) -> Information:
    """The item, if the user may read it; 404 alike for a missing item and one the user may not see."""
    item = permissions.visible_items(user).select_related(
        "agency", "drafter", "current_revision", "published_revision", "topic", "facet").filter(pk=pk).first()
    if item is None:
        raise not_found()
    return item


def review_task(user, task_pk) -> Task:
    """A review-flow task the user is entitled to act on (any status). 404 if the user may not see its item;
    403 with the reason if they may see the item but not act on this task."""
    task = Task.objects.filter(process__review_round__isnull=False, pk=task_pk).select_related(
        "process__review_round").first()
    if task is None or not permissions.visible_items(user).filter(pk=task.process.review_round.item_id).exists():
        raise not_found()
    deny(permissions.task_denial(user, task))
    return task


OPEN_ITEM_STATES = [s for s in ItemStatus.values if s not in (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN,
                                                              ItemStatus.EXPIRED, ItemStatus.NOT_DISCLOSED)]


def overdue_items(qs):
    """Items past their 条例 Art. 26 disclosure deadline and still not published."""
    return qs.filter(disclosure_due__lt=timezone.localdate(), published_at__isnull=True,
                     status__in=OPEN_ITEM_STATES)


def is_overdue_item(item) -> bool:
    return bool(item.disclosure_due and item.disclosure_due < timezone.localdate() and not item.published_at
                and item.status in OPEN_ITEM_STATES)


def task_overdue_before():
    return timezone.now() - timedelta(days=shenfa_setting("TASK_OVERDUE_DAYS"))
