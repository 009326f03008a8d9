"""Publication and what follows it: publish (now or scheduled), withdraw, expire."""
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from audit import log as audit
from project.conf import shenfa_setting
from workflow import permissions
from workflow.actions import _deny, _lock_item, _transition, open_task_for
from workflow.exceptions import InvalidInput, NotAllowedInState
from workflow.models import Information, ItemStatus, ReviewRound, Role

from . import index_numbers


def _next_review_date(item, moment):
    days = (item.topic.cleanup_interval_days if item.topic and item.topic.cleanup_interval_days else None) or \
        shenfa_setting("CLEANUP_INTERVAL_DAYS")
    return (timezone.localtime(moment) + timedelta(days=days)).date()


def _complete_publish_task(item, actor):
    task = open_task_for(item, step="publish")
    if task is None:
        return
    activation = task.flow_task.activation_class(task)
    if task.owner_id is None:
        activation.assign(actor)
    activation.start(None)
    activation.execute()


def _put_online(item, *, actor, moment):
    """Publish the current revision (caller holds the item lock and checked permission)."""
    from_state = item.status
    _transition(item, "publish")
    if not item.index_number:
        item.index_number = index_numbers.allocate(item.agency, moment)
    item.published_revision = item.current_revision
    item.published_at = moment
    item.first_published_at = item.first_published_at or moment
    item.published_by = actor
    item.online = True
    item.publish_at = None
    item.offline_at = None
    item.offline_reason = ""
    if item.display_days:
        item.display_until = moment + timedelta(days=item.display_days)
    if item.info_type in ("normative_document", "regulation") and not item.validity:
        item.validity = "valid"
    item.next_review_date = _next_review_date(item, moment)
    item.save()
    ReviewRound.objects.filter(item=item, status=ReviewRound.Status.APPROVED).update(
        status=ReviewRound.Status.PUBLISHED)
    audit.record(action="publishing.item.publish", actor=actor, role=Role.PUBLISHER, item=item,
                 revision_hash=item.current_revision.content_hash, from_state=from_state, to_state=item.status,
                 data={"index_number": item.index_number, "published_at": moment.isoformat()})
    _complete_publish_task(item, actor)


@transaction.atomic
def publish_item(*, actor, item: Information, at=None) -> Information:
    """Publish the approved revision now, or schedule it for `at` (三同步: with its interpretations)."""
    item = _lock_item(item)
    _deny(permissions.publish_denial(actor, item))
    now = timezone.now()
    if at is not None and at > now:
        from_state = item.status
        _transition(item, "schedule")
        item.publish_at = at
        item.published_by = actor
        item.save()
        audit.record(action="publishing.item.schedule", actor=actor, role=Role.PUBLISHER, item=item,
                     revision_hash=item.current_revision.content_hash, from_state=from_state, to_state=item.status,
                     data={"publish_at": at.isoformat()})
        return item
    _put_online(item, actor=actor, moment=now)
    for interp in item.interpretations.filter(status__in=[ItemStatus.APPROVED, ItemStatus.SCHEDULED]):
        interp = _lock_item(interp)
        _put_online(interp, actor=actor, moment=now)
    return item


@transaction.atomic
def withdraw_item(*, actor, item: Information, reason: str) -> Information:
    """Take a published item offline at once; it and its history stay in the system."""
    if not (reason or "").strip():
        raise InvalidInput("请填写撤回理由", en="A reason is required", field="reason")
    item = _lock_item(item)
    _deny(permissions.publish_denial(actor, item))
    if item.status == ItemStatus.SCHEDULED:
        from_state = item.status
        _transition(item, "unschedule")
        item.publish_at = None
        item.save()
        audit.record(action="publishing.item.unschedule", actor=actor, role=Role.PUBLISHER, item=item,
                     revision_hash=item.current_revision.content_hash, from_state=from_state, to_state=item.status,
                     comment=reason)
        return item
    if not item.online:
        raise NotAllowedInState("该信息当前不在线，无需撤回", en="Item is not online")
    from_state = item.status
    if item.status == ItemStatus.PUBLISHED:
        _transition(item, "withdraw")
    item.online = False
    item.offline_at = timezone.now()
    item.offline_reason = reason
    item.save()
    audit.record(action="publishing.item.withdraw", actor=actor, role=Role.PUBLISHER, item=item,
                 revision_hash=(item.published_revision or item.current_revision).content_hash,
                 from_state=from_state, to_state=item.status, comment=reason)
    return item


__all__ = ["publish_item", "withdraw_item"]
