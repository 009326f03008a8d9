"""Helpers shared by the web views: permission-checked look-ups and turning action errors into pages."""
from datetime import timedelta

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from viewflow.workflow.models import Task

from core.conf import shenfa_setting
from workflow import permissions
from workflow.models import Information, ItemStatus


class Denied(Exception):
    """Raised by the look-ups below; the view decorator renders it as a 403 page with the reason."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def denied_page(request, message, status=403):
    return render(request, "workflow/denied.html", {"message": message}, status=status)


def handles_denial(view):
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Denied as exc:
            return denied_page(request, exc.message)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def visible_item(user, pk) -> Information:
    """The item, if the user may read it (404 if it does not exist, 403 if it is another agency's)."""
    item = get_object_or_404(Information.objects.select_related("agency", "drafter", "current_revision",
                                                                "published_revision", "topic", "facet"), pk=pk)
    denial = permissions.item_view_denial(user, item)
    if denial:
        raise Denied(denial)
    return item


def review_task(user, task_pk) -> Task:
    """A review-flow task the user is entitled to act on (any status)."""
    task = get_object_or_404(Task.objects.filter(process__review_round__isnull=False), pk=task_pk)
    denial = permissions.task_denial(user, task)
    if denial:
        raise Denied(denial)
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
