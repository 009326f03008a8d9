"""Publication and what follows it: publish (now or scheduled), withdraw, expire, validity, cleanup.

Every action: keyword-only, actor passed in (None = the scheduler), atomic; locks the item row before it
checks state; writes its audit record(s) in the same transaction. Views, `manage.py tick` and the Celery
task all call these functions."""
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from audit import log as audit
from core import bounds, fsm
from core.calendar import add_working_days
from core.conf import shenfa_setting
from core.errors import InvalidInput, NotAllowedInState, deny
from core.models import Agency, Role
from privacy import scan
from workflow import permissions
from workflow.actions import activations, edit_item
from workflow.actions.common import lock_item, transition
from workflow.models import Category, DisclosureMode, Information, InfoType, ItemStatus, ReviewRound, Validity

from . import index_numbers, notify
from .catalogue import refresh_entry, touch_entry
from .lifecycle import CampaignLifecycle, CleanupTaskLifecycle
from .models import CleanupCampaign, CleanupTask, DisclosureDeadline
from .permissions import cleanup_denial, validity_denial

# Information types that stay online when they lose force, labelled 失效/废止 (规范性文件库 practice);
# any other item marked invalid during cleanup is also taken offline.
KEEP_ONLINE_WHEN_INVALID = (InfoType.NORMATIVE_DOCUMENT, InfoType.REGULATION, InfoType.POLICY_DOCUMENT)


def _next_review_date(item, moment):
    days = (item.topic.cleanup_interval_days if item.topic and item.topic.cleanup_interval_days else None) or \
        shenfa_setting("CLEANUP_INTERVAL_DAYS")
    return (timezone.localtime(moment) + timedelta(days=days)).date()


def _complete_publish_task(item, actor):
    task = activations.open_task_for(item, step="publish")
    if task is not None:
        activations.complete(task, actor)


def _close_open_cleanup(item, moment):
    """The item went offline: its open cleanup tasks have nothing left to decide."""
    ids, campaigns = [], set()
    for task in CleanupTask.objects.select_for_update().filter(item=item, status=CleanupTask.Status.OPEN):
        fsm.run(CleanupTaskLifecycle(task), "close")
        task.decided_at = moment
        task.save(update_fields=["status", "decided_at"])
        ids.append(task.pk)
        if task.campaign_id:
            campaigns.add(task.campaign_id)
    for campaign_id in sorted(campaigns):
        _maybe_complete_campaign(campaign_id, moment)
    return ids


def display_end(moment, working_days: int):
    """The end (23:59:59 Beijing) of the last day of a 公示期 of `working_days` working days counted from
    the day after publication (the publication day itself is not counted, as for every period of days)."""
    last = add_working_days(timezone.localtime(moment).date(), working_days)
    return timezone.make_aware(datetime.combine(last, time(23, 59, 59)))


def _put_online(item, *, actor, moment, scheduled=False):
    """Publish the current revision (caller holds the item lock and checked permission)."""
    from_state = item.status
    formed_due = _deadline_for(item)  # before the published revision moves on
    transition(item, "publish")
    if not item.index_number:
        item.index_number = index_numbers.allocate(item.agency, moment)
    item.published_revision = item.current_revision
    item.published_at = moment
    item.first_published_at = item.first_published_at or moment
    if actor is not None:
        item.published_by = actor
    item.online = True
    item.publish_at = None
    item.offline_at = None
    item.offline_reason = ""
    if item.display_days:
        if not bounds.DISPLAY_DAYS[0] <= item.display_days <= bounds.DISPLAY_DAYS[1]:
            # written past the model's validation (the database constraint stops it too): refuse clearly
            raise InvalidInput(f"公示期须在 {bounds.DISPLAY_DAYS[0]}–{bounds.DISPLAY_DAYS[1]} 天之间，请修改后再发布",
                               en="display_days out of range", field="display_days")
        item.display_until = display_end(moment, item.display_days)
    if item.info_type in ("normative_document", "regulation") and not item.validity:
        item.validity = "valid"
    item.next_review_date = _next_review_date(item, moment)
    item.save()
    ReviewRound.objects.filter(item=item, status=ReviewRound.Status.APPROVED).update(
        status=ReviewRound.Status.PUBLISHED)
    refresh_entry(item, moment=moment)
    deadline = _meet_deadline(item, moment, formed_due)
    data = {"index_number": item.index_number, "published_at": moment.isoformat()}
    if scheduled:
        data["scheduled"] = True
    if deadline is not None:
        data["disclosure_due"] = deadline.due_date.isoformat()
        data["late"] = deadline.late
    audit.record(action="publishing.item.publish", actor=actor or item.published_by, role=Role.PUBLISHER,
                 item=item, revision_hash=item.current_revision.content_hash, from_state=from_state,
                 to_state=item.status, data=data)
    _complete_publish_task(item, actor or item.published_by)
    notify.item_published(item, actor=actor)


def _publish_with_interpretations(item, *, actor, moment, scheduled=False):
    _put_online(item, actor=actor, moment=moment, scheduled=scheduled)
    # 三同步: the interpretation goes online with its policy document.
    for interp in item.interpretations.filter(status__in=[ItemStatus.APPROVED, ItemStatus.SCHEDULED]):
        interp = lock_item(interp)
        _put_online(interp, actor=actor, moment=moment, scheduled=scheduled)


@transaction.atomic
def publish_item(*, actor, item: Information, at=None) -> Information:
    """Publish the approved revision now, or schedule it for `at` (三同步: with its interpretations)."""
    item = lock_item(item)
    deny(permissions.publish_denial(actor, item))
    now = timezone.now()
    if at is not None and at.date() > bounds.MAX_DATE:
        raise InvalidInput(f"定时发布时间不能晚于 {bounds.MAX_DATE.year} 年", en="publish_at out of range", field="at")
    if at is not None and at > now:
        from_state = item.status
        transition(item, "schedule")
        item.publish_at = at
        item.published_by = actor
        item.save()
        audit.record(action="publishing.item.schedule", actor=actor, role=Role.PUBLISHER, item=item,
                     revision_hash=item.current_revision.content_hash, from_state=from_state, to_state=item.status,
                     data={"publish_at": at.isoformat()})
        return item
    _publish_with_interpretations(item, actor=actor, moment=now)
    return item


@transaction.atomic
def publish_due_item(*, item: Information, now=None) -> bool:
    """Scheduler: publish a scheduled item whose time has come. Idempotent: a second run finds it done."""
    now = now or timezone.now()
    # The lock makes two simultaneous ticks queue here; the loser re-reads the row and sees it published.
    item = lock_item(item)
    if item.status != ItemStatus.SCHEDULED or item.publish_at is None or item.publish_at > now:
        return False
    _publish_with_interpretations(item, actor=None, moment=now, scheduled=True)
    return True


@transaction.atomic
def withdraw_item(*, actor, item: Information, reason: str) -> Information:
    """Take a published item offline at once; it and its history stay in the system."""
    if not (reason or "").strip():
        raise InvalidInput("请填写撤回理由", en="A reason is required", field="reason")
    item = lock_item(item)
    deny(permissions.publish_denial(actor, item))
    if item.status == ItemStatus.SCHEDULED:
        from_state = item.status
        transition(item, "unschedule")
        item.publish_at = None
        item.save()
        audit.record(action="publishing.item.unschedule", actor=actor, role=Role.PUBLISHER, item=item,
                     revision_hash=item.current_revision.content_hash, from_state=from_state, to_state=item.status,
                     comment=reason)
        return item
    if not item.online:
        raise NotAllowedInState("该信息当前不在线，无需撤回", en="Item is not online")
    now = timezone.now()
    from_state = item.status
    if item.status == ItemStatus.PUBLISHED:
        transition(item, "withdraw")
    item.online = False
    item.offline_at = now
    item.offline_reason = reason
    item.save()
    touch_entry(item, moment=now)
    closed = _close_open_cleanup(item, now)
    audit.record(action="publishing.item.withdraw", actor=actor, role=Role.PUBLISHER, item=item,
                 revision_hash=(item.published_revision or item.current_revision).content_hash,
                 from_state=from_state, to_state=item.status, comment=reason,
                 data={"closed_cleanup_tasks": closed} if closed else None)
    notify.item_withdrawn(item, actor=actor, reason=reason)
    return item


@transaction.atomic
def expire_due_item(*, item: Information, now=None) -> bool:
    """Scheduler: the display period (公示期) ended, take the item offline. Idempotent."""
    now = now or timezone.now()
    item = lock_item(item)
    if not item.online or item.display_until is None or item.display_until > now:
        return False
    from_state = item.status
    if item.status == ItemStatus.PUBLISHED:
        transition(item, "expire")
    # (An item being updated stays in its drafting state; only its public copy goes offline.)
    item.online = False
    item.offline_at = now
    item.offline_reason = "公示期满"
    item.save()
    touch_entry(item, moment=now)
    closed = _close_open_cleanup(item, now)
    audit.record(action="publishing.item.expire", actor=None, item=item,
                 revision_hash=item.published_revision.content_hash, from_state=from_state, to_state=item.status,
                 comment="公示期满", data={"display_until": item.display_until.isoformat(),
                                       **({"closed_cleanup_tasks": closed} if closed else {})})
    return True


# --- 条例第二十六条: 20 working days ---------------------------------------------------------------

def _formed_on(item) -> date:
    """The day the information was formed (生成日期) or, for an update of published information, changed."""
    if item.published_revision_id:
        first_change = item.revisions.filter(number__gt=item.published_revision.number).order_by("number").first()
        if first_change is not None:
            return timezone.localtime(first_change.created_at).date()
        if item.status != ItemStatus.PUBLISHED:
            return timezone.localtime(item.updated_at).date()  # update started, nothing changed yet
    return item.created_date


def _deadline_for(item):
    formed = _formed_on(item)
    due = add_working_days(formed, shenfa_setting("PROACTIVE_DISCLOSURE_WORKING_DAYS"))
    return formed, due


def _meet_deadline(item, moment, formed_due):
    """Publication meets the Art. 26 period of this version (computed before the publication)."""
    if item.disclosure_mode != DisclosureMode.PROACTIVE:
        return None
    deadline = DisclosureDeadline.objects.filter(item=item).first() or DisclosureDeadline(item=item)
    if deadline.met_on is not None:
        deadline.overdue_flagged_at = None  # a met period belongs to an earlier version
    deadline.formed_on, deadline.due_date = formed_due
    deadline.met_on = timezone.localtime(moment).date()
    deadline.save()
    Information.objects.filter(pk=item.pk).update(disclosure_due=deadline.due_date)
    return deadline


UNPUBLISHED_WORKING_STATES = (ItemStatus.DRAFT, ItemStatus.IN_REVIEW, ItemStatus.RETURNED, ItemStatus.APPROVED,
                              ItemStatus.SCHEDULED)


@transaction.atomic
def track_disclosure_deadline(*, item: Information, now=None) -> DisclosureDeadline | None:
    """Scheduler: (re)compute the Art. 26 due date of unpublished proactive information; flag it when overdue."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    item = lock_item(item)
    if item.disclosure_mode != DisclosureMode.PROACTIVE or item.status not in UNPUBLISHED_WORKING_STATES:
        return None
    formed, due = _deadline_for(item)
    deadline = DisclosureDeadline.objects.select_for_update().filter(item=item).first()
    if deadline is None or deadline.met_on is not None:
        # New information, or a change of information published earlier: a new 20-day period starts.
        if deadline is None:
            deadline = DisclosureDeadline(item=item)
        deadline.met_on = None
        deadline.overdue_flagged_at = None
    deadline.formed_on, deadline.due_date = formed, due
    newly_overdue = deadline.due_date < today and deadline.overdue_flagged_at is None
    if newly_overdue:
        deadline.overdue_flagged_at = now
    deadline.save()
    deadline.newly_flagged = newly_overdue
    if item.disclosure_due != due:
        Information.objects.filter(pk=item.pk).update(disclosure_due=due)
    if newly_overdue:
        audit.record(action="publishing.deadline.overdue", actor=None, item=item,
                     revision_hash=item.current_revision.content_hash, from_state=item.status, to_state=item.status,
                     data={"formed_on": formed.isoformat(), "due_date": due.isoformat(),
                           "working_days": shenfa_setting("PROACTIVE_DISCLOSURE_WORKING_DAYS")})
    return deadline


# --- validity of normative documents ------------------------------------------------------------------

VALIDITY_ACTION = {
    Validity.AMENDED: "publishing.validity.amend",
    Validity.EXPIRED: "publishing.validity.expire",
    Validity.REPEALED: "publishing.validity.repeal",
}


def _change_validity(*, actor, item, to, comment, amended_by=None):
    item = lock_item(item)
    deny(validity_denial(actor, item))
    if item.published_revision_id is None:
        raise NotAllowedInState("尚未发布的信息没有效力状态", en="Only published items have a validity")
    if item.validity in (Validity.EXPIRED, Validity.REPEALED):
        raise NotAllowedInState(f"该文件已{item.get_validity_display()}，效力状态不能再变更",
                                en=f"Validity is final: {item.validity}")
    if item.validity == to and (to != Validity.AMENDED or item.amended_by_id == amended_by.pk):
        return item  # nothing changes: no audit noise
    previous = item.validity
    item.validity = to
    if to == Validity.AMENDED:
        item.amended_by = amended_by
    item.save(update_fields=["validity", "amended_by", "updated_at"])
    touch_entry(item)
    data = {"from_validity": previous, "to_validity": to}
    if amended_by is not None:
        data.update(amended_by=amended_by.pk, amended_by_index=amended_by.index_number)
    audit.record(action=VALIDITY_ACTION[to], actor=actor, role=Role.PUBLISHER, item=item,
                 revision_hash=item.published_revision.content_hash, from_state=item.status, to_state=item.status,
                 comment=comment, data=data)
    return item


@transaction.atomic
def mark_amended(*, actor, item: Information, amended_by: Information, comment: str = "") -> Information:
    """Mark a document 已修改, linked to the published document that amends it."""
    if amended_by is None:
        raise InvalidInput("请选择修改该文件的文件", en="The amending document is required", field="amended_by")
    if amended_by.pk == item.pk:
        raise InvalidInput("文件不能修改其自身", en="A document cannot amend itself", field="amended_by")
    amending = Information.objects.filter(pk=amended_by.pk, online=True).first()
    if amending is None:
        raise InvalidInput("修改文件须是已发布且在线的信息", en="The amending document must be published",
                           field="amended_by")
    return _change_validity(actor=actor, item=item, to=Validity.AMENDED, comment=comment, amended_by=amending)


def _require_basis(comment):
    if not (comment or "").strip():
        raise InvalidInput("请填写依据或说明", en="A basis is required", field="comment")


@transaction.atomic
def mark_expired(*, actor, item: Information, comment: str) -> Information:
    """Mark a document 失效; it leaves the currently-valid list and shows the status prominently."""
    _require_basis(comment)
    return _change_validity(actor=actor, item=item, to=Validity.EXPIRED, comment=comment)


@transaction.atomic
def mark_repealed(*, actor, item: Information, comment: str) -> Information:
    """Mark a document 废止; it leaves the currently-valid list and shows the status prominently."""
    _require_basis(comment)
    return _change_validity(actor=actor, item=item, to=Validity.REPEALED, comment=comment)


# --- cleanup (谁公开、谁清理) ----------------------------------------------------------------------------

def _published_attachments(revision):
    for att in revision.attachments.select_related("blob"):
        with att.blob.file.open("rb") as fh:
            yield att.name, fh.read()


def privacy_findings_today(item) -> list:
    """Run today's privacy scanner over the published revision (rules may have improved since publication)."""

    rev = item.published_revision
    if rev is None:
        return []
    report = scan(rev.body or "", list(_published_attachments(rev)),
                  sensitive_words=item.agency.sensitive_word_list())
    return report.to_json()["findings"]


def _open_cleanup_task(item, *, due_date, campaign=None):
    """Create (or join to `campaign`) the item's open cleanup task. Caller holds the item lock."""
    task = CleanupTask.objects.filter(item=item, status=CleanupTask.Status.OPEN).first()
    if task is not None:
        if campaign is not None and task.campaign_id is None:
            task.campaign = campaign
            task.save(update_fields=["campaign"])
            return task, False
        return task, False
    findings = privacy_findings_today(item)
    task = CleanupTask.objects.create(item=item, campaign=campaign, due_date=due_date,
                                      privacy_flag=bool(findings), privacy_findings=findings)
    return task, True


@transaction.atomic
def open_due_cleanup(*, item: Information, today: date | None = None) -> CleanupTask | None:
    """Scheduler: a published item reached its next-review date; give its publishers a cleanup task."""
    today = today or timezone.localdate()
    item = lock_item(item)  # serialises concurrent ticks: one open task per item
    # An item being updated (status draft/in review...) already had its decision; wait for republication.
    if not item.online or item.status != ItemStatus.PUBLISHED:
        return None
    if item.next_review_date is None or item.next_review_date > today:
        return None
    task, created = _open_cleanup_task(item, due_date=item.next_review_date)
    if not created:
        return None
    audit.record(action="publishing.cleanup.open", actor=None, item=item, subject=task,
                 revision_hash=item.published_revision.content_hash,
                 data={"task": task.pk, "due_date": item.next_review_date.isoformat(),
                       "privacy_findings": len(task.privacy_findings)})
    notify.cleanup_due(task, item)
    return task


def _lock_cleanup(actor, task):
    task = CleanupTask.objects.select_related("item").get(pk=task.pk)
    item = lock_item(task.item)  # item first, then the task: the order every publishing action uses
    task = CleanupTask.objects.select_for_update().get(pk=task.pk)
    deny(cleanup_denial(actor, task))
    if not fsm.allowed(CleanupTaskLifecycle(task), "decide"):
        raise NotAllowedInState("该清理任务已处理或已关闭", en="Cleanup task is closed", code="task_closed")
    return task, item


def _maybe_complete_campaign(campaign_id, moment):
    campaign = CleanupCampaign.objects.select_for_update().get(pk=campaign_id)
    machine = CampaignLifecycle(campaign)
    if not fsm.allowed(machine, "complete"):
        return False
    fsm.run(machine, "complete")
    campaign.completed_at = moment
    campaign.save(update_fields=["status", "completed_at"])
    return True


def _finish_cleanup(*, actor, task, item, decision, comment, data=None):
    now = timezone.now()
    fsm.run(CleanupTaskLifecycle(task), "decide")
    task.decision = decision
    task.comment = comment
    task.decided_by = actor
    task.decided_at = now
    task.save()
    completed = bool(task.campaign_id) and _maybe_complete_campaign(task.campaign_id, now)
    payload = {"task": task.pk, "decision": decision, **(data or {})}
    if task.campaign_id:
        payload.update(campaign=task.campaign_id, campaign_completed=completed)
    audit.record(action=f"publishing.cleanup.{decision}", actor=actor, role=Role.PUBLISHER, item=item,
                 subject=task, revision_hash=item.published_revision.content_hash if item.published_revision else "",
                 from_state=item.status, to_state=item.status, comment=comment, data=payload)
    return task


@transaction.atomic
def cleanup_keep(*, actor, task: CleanupTask, next_review_date: date, comment: str = "") -> CleanupTask:
    """Cleanup decision: the item stays as it is; review it again on `next_review_date`."""
    if not isinstance(next_review_date, date) or next_review_date <= timezone.localdate():
        raise InvalidInput("下次复核日期须晚于今天", en="next_review_date must be in the future",
                           field="next_review_date")
    task, item = _lock_cleanup(actor, task)
    previous = item.next_review_date
    Information.objects.filter(pk=item.pk).update(next_review_date=next_review_date)
    return _finish_cleanup(actor=actor, task=task, item=item, decision=CleanupTask.Decision.KEEP, comment=comment,
                           data={"from_review_date": previous.isoformat() if previous else None,
                                 "next_review_date": next_review_date.isoformat()})


@transaction.atomic
def cleanup_update(*, actor, task: CleanupTask, data: dict | None = None, note: str = "",
                   add_attachments=(), remove_attachments=()):
    """Cleanup decision: the item needs updating. Starts a new revision (workflow.item.edit) that must pass a
    full review before it replaces the published one; the published revision stays online meanwhile.

    The actor also needs the drafter role (edit_item checks it)."""

    task, item = _lock_cleanup(actor, task)
    rev = edit_item(actor=actor, item=item, data=data or {}, note=note or "定期清理：更新",
                    add_attachments=add_attachments, remove_attachments=remove_attachments)
    item = Information.objects.get(pk=item.pk)
    return _finish_cleanup(actor=actor, task=task, item=item, decision=CleanupTask.Decision.UPDATE, comment=note,
                           data={"revision": item.current_revision.number, "new_revision": rev is not None})


@transaction.atomic
def cleanup_withdraw(*, actor, task: CleanupTask, reason: str) -> CleanupTask:
    """Cleanup decision: no longer needed (or not fit to stay public); withdraw it."""
    if not (reason or "").strip():
        raise InvalidInput("请填写撤回理由", en="A reason is required", field="reason")
    task, item = _lock_cleanup(actor, task)
    task = _finish_cleanup(actor=actor, task=task, item=item, decision=CleanupTask.Decision.WITHDRAW,
                           comment=reason)
    withdraw_item(actor=actor, item=item, reason=f"定期清理：{reason}")
    return task


@transaction.atomic
def cleanup_mark_invalid(*, actor, task: CleanupTask, comment: str, validity: str = Validity.EXPIRED) -> CleanupTask:
    """Cleanup decision: the item has lost force. Mark it 失效/废止; an item that is not a policy or
    normative document is also taken offline."""
    if validity not in (Validity.EXPIRED, Validity.REPEALED):
        raise InvalidInput("请选择“失效”或“废止”", en="validity must be expired or repealed", field="validity")
    _require_basis(comment)
    task, item = _lock_cleanup(actor, task)
    published_type = (item.published_revision.metadata or {}).get("info_type", item.info_type)
    offline = published_type not in KEEP_ONLINE_WHEN_INVALID
    task = _finish_cleanup(actor=actor, task=task, item=item, decision=CleanupTask.Decision.INVALID,
                           comment=comment, data={"validity": validity, "withdrawn": offline})
    if item.validity not in (Validity.EXPIRED, Validity.REPEALED):
        (mark_expired if validity == Validity.EXPIRED else mark_repealed)(actor=actor, item=item, comment=comment)
    if offline:
        withdraw_item(actor=actor, item=item, reason=f"定期清理：已失效。{comment}")
    return task


def campaign_candidates(*, agency: Agency, topic: Category | None = None, info_type: str = "",
                        published_before: date | None = None):
    """Online items of `agency` and every agency below it that match the campaign filter."""
    qs = Information.objects.filter(agency_id__in=agency.descendant_ids(), online=True,
                                    published_revision__isnull=False)
    if topic is not None:
        qs = qs.filter(public_entry__topic=topic)
    if info_type:
        qs = qs.filter(public_entry__info_type=info_type)
    if published_before is not None:
        qs = qs.filter(published_at__date__lt=published_before)
    return qs.order_by("pk")


@transaction.atomic
def start_campaign(*, actor, name: str, agency: Agency, topic: Category | None = None, info_type: str = "",
                   published_before: date | None = None) -> CleanupCampaign:
    """The disclosure office starts a cleanup drive: every matching online item gets a cleanup task."""
    if not (name or "").strip():
        raise InvalidInput("请填写专项行动名称", en="A name is required", field="name")
    if info_type and info_type not in InfoType.values:
        raise InvalidInput("信息类型无效", en="Unknown info type", field="info_type")
    if topic is not None and topic.kind != Category.Kind.TOPIC:
        raise InvalidInput("请选择主题分类", en="topic must be a topic category", field="topic")
    deny(permissions.office_denial(actor, agency))
    filters = {"agency": agency.pk, "topic": topic.pk if topic else None, "info_type": info_type or "",
               "published_before": published_before.isoformat() if published_before else None}
    campaign = CleanupCampaign.objects.create(name=name.strip(), agency=agency, filters=filters, started_by=actor)
    today = timezone.localdate()
    created = joined = 0
    for candidate in campaign_candidates(agency=agency, topic=topic, info_type=info_type,
                                         published_before=published_before):
        item = lock_item(candidate)
        if not item.online:
            continue
        task, new = _open_cleanup_task(item, due_date=today, campaign=campaign)
        if task.campaign_id == campaign.pk:
            created += new
            joined += not new
    if created + joined == 0:
        _maybe_complete_campaign(campaign.pk, timezone.now())
        campaign.refresh_from_db()
    audit.record(action="publishing.campaign.start", actor=actor, role=Role.OFFICE_ADMIN, agency=agency,
                 subject=campaign, comment=campaign.name,
                 data={**filters, "campaign": campaign.pk, "tasks_created": created, "tasks_joined": joined})
    return campaign


__all__ = [
    "publish_item", "publish_due_item", "withdraw_item", "expire_due_item", "track_disclosure_deadline",
    "mark_amended", "mark_expired", "mark_repealed", "open_due_cleanup", "cleanup_keep", "cleanup_update",
    "cleanup_withdraw", "cleanup_mark_invalid", "start_campaign", "campaign_candidates", "privacy_findings_today",
]
