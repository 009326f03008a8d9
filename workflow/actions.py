"""Business actions of the review engine. Views, the API, commands and the scheduler call these.

Every action: keyword-only, actor passed in, atomic; locks the item row before it checks state; writes
its audit record(s) in the same transaction; runs side effects only on commit."""
import hashlib
import os
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from audit import log as audit
from core.conf import shenfa_setting

from . import permissions
from core.errors import InvalidInput, NotAllowedForYou, NotAllowedInState
from .lifecycle import lifecycle
from core.models import Agency, Role
from .models import (
    Attachment, AttachmentBlob, Information, InfoType, ItemStatus, Revision, ReviewPolicy, ReviewRound, StepDecision,
)
from .models.review import DEFAULT_STEPS, PROOF_STEPS, STEP_ROLE, Step
from .review_state import first_unapproved_position, valid_approvals
from core.sanitize import clean_html

EDITABLE_FIELDS = (
    "title", "doc_number", "info_type", "topic", "facet", "created_date", "summary", "body", "carrier",
    "channel", "disclosure_mode", "scope", "scope_audience", "display_days", "fee_amount",
    "needs_interpretation", "interprets",
)
EDITABLE_STATES = (ItemStatus.DRAFT, ItemStatus.RETURNED)


@dataclass
class NewAttachment:
    name: str
    data: bytes
    content_type: str = ""


# --- helpers ------------------------------------------------------------------------------------

def _lock_item(item) -> Information:
    # Every action on an item locks its row first (then the task, then the audit head): one order,
    # so two people acting on the same item serialise instead of deadlocking or both winning.
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the current_revision outer join.
    return Information.objects.select_for_update(of=("self",)).select_related("agency", "current_revision").get(
        pk=item.pk)


def _lock_task(task) -> Task:
    return Task.objects.select_for_update().get(pk=task.pk)


def _deny(reason):
    if reason:
        raise NotAllowedForYou(reason, en="You are not allowed to do this")


def _transition(item, name):
    """Run lifecycle transition `name`, turning fsm refusals into a state error with the reason."""
    machine = lifecycle(item)
    method = getattr(machine, name)
    try:
        method()
    except TransitionNotAllowed as exc:
        reason = getattr(exc, "unmet_message", "") or f"当前状态“{item.get_status_display()}”下不能执行此操作"
        raise NotAllowedInState(reason, en=f"Not allowed in state {item.status}: {name}") from exc


def _validate_attachment(att: NewAttachment):
    name = os.path.basename(att.name or "").strip()
    if not name:
        raise InvalidInput("附件缺少文件名", en="Attachment has no file name", field="attachments")
    if len(name) > Attachment._meta.get_field("name").max_length:
        raise InvalidInput(f"附件文件名过长（最多 {Attachment._meta.get_field('name').max_length} 个字符）",
                           en="Attachment file name too long", field="attachments")
    ext = os.path.splitext(name)[1].lower()
    allowed = shenfa_setting("ATTACHMENT_EXTENSIONS")
    if ext not in allowed:
        raise InvalidInput(f"附件“{name}”的类型不允许上传，允许的类型：{'、'.join(allowed)}",
                           en=f"File type {ext or '(none)'} is not allowed", field="attachments")
    limit = shenfa_setting("ATTACHMENT_MAX_BYTES")
    if len(att.data) > limit:
        raise InvalidInput(f"附件“{name}”超过大小限制（{limit // (1024 * 1024)} MB）",
                           en=f"Attachment larger than {limit} bytes", field="attachments")
    if len(att.data) == 0:
        raise InvalidInput(f"附件“{name}”是空文件", en="Empty attachment", field="attachments")
    return name


def _store_blob(att: NewAttachment) -> AttachmentBlob:
    digest = hashlib.sha256(att.data).hexdigest()
    blob = AttachmentBlob.objects.filter(pk=digest).first()
    if blob is None:
        blob = AttachmentBlob(sha256=digest, size=len(att.data), content_type=att.content_type[:120])
        blob.file.save(f"{digest[:2]}/{digest}", ContentFile(att.data), save=False)
        blob.save(force_insert=True)
    return blob


def _converts(name, value) -> bool:
    try:
        Information._meta.get_field(name).to_python(value)
    except (TypeError, ValueError):
        return False
    except ValidationError:
        pass
    return True


STRIPPED_FIELDS = ("title", "doc_number", "summary", "scope_audience")


def _check_reference(name, value):
    """Refuse a category or policy reference that does not exist (or is of the wrong kind), in Chinese."""
    from .models import Category

    pk = getattr(value, "pk", value)
    label = Information._meta.get_field(name).verbose_name
    if isinstance(pk, bool) or not isinstance(pk, (int, str)) or not str(pk).isdigit():
        raise InvalidInput(f"{label}：数据类型不正确", en=f"Wrongly typed value for {name}", field=name)
    if name == "interprets":
        exists = Information.objects.filter(pk=pk).exists()
    else:
        exists = Category.objects.filter(pk=pk, kind=Category.Kind.TOPIC if name == "topic" else
                                         Category.Kind.FACET).exists()
    if not exists:
        raise InvalidInput(f"{label}：所选项不存在", en=f"No such {name}", field=name)


def _apply_fields(item, data):
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise InvalidInput(f"不能修改字段“{field}”", en=f"Unknown or read-only field: {field}", field=field)
    for name, value in data.items():
        if name == "body":
            value = clean_html(value or "")
        elif isinstance(value, str) and name in STRIPPED_FIELDS:
            value = value.strip()
        if name in ("topic", "facet", "interprets") and value not in (None, ""):
            _check_reference(name, value)
            if not hasattr(value, "pk"):
                setattr(item, f"{name}_id", value)
                continue
        setattr(item, name, value)
    try:
        item.full_clean(exclude=["drafter", "agency", "current_revision", "published_revision", "status"],
                        validate_unique=False)
    except ValidationError as exc:
        errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        field = next(iter(errors))
        label = Information._meta.get_field(field).verbose_name if field != "__all__" else ""
        raise InvalidInput(f"{label}：{errors[field][0]}" if label else errors[field][0],
                           en=f"Invalid value for {field}", field=field, errors=errors) from exc
    except (TypeError, ValueError) as exc:
        # A wrongly typed value (e.g. a number for a date) makes Django's to_python raise TypeError.
        field = next((n for n in data if not _converts(n, data[n])), "__all__")
        label = Information._meta.get_field(field).verbose_name if field != "__all__" else "输入"
        raise InvalidInput(f"{label}：数据类型不正确", en=f"Wrongly typed value for {field}", field=field) from exc
    if item.interprets_id and not Information.objects.filter(pk=item.interprets_id, agency=item.agency_id).exists():
        raise InvalidInput("只能关联本机构的政策文件", en="The interpreted policy must belong to the same agency",
                           field="interprets")
    if item.interprets_id and item.info_type != InfoType.INTERPRETATION:
        raise InvalidInput("只有“政策解读”类信息可以关联所解读的政策文件", en="Only interpretations link a policy",
                           field="interprets")
    if item.scope == "limited" and not item.scope_audience:
        raise InvalidInput("限定范围公开须填写公开对象", en="Limited scope needs an audience", field="scope_audience")


def _make_revision(item, *, actor, kind, note="", add=(), remove=(), parent=None) -> Revision | None:
    """Freeze the item's working copy (plus attachment changes) as a new revision, if anything changed."""
    parent = parent if parent is not None else item.current_revision
    attachments = {}
    if parent is not None:
        attachments = {a.name: a.blob for a in parent.attachments.select_related("blob")}
    for name in remove:
        if name not in attachments:
            raise InvalidInput(f"附件“{name}”不存在", en=f"No attachment named {name}", field="attachments")
        attachments.pop(name)
    for att in add:
        name = _validate_attachment(att)
        attachments[name] = _store_blob(att)
    metadata = item.published_metadata()
    content_hash = Revision.compute_hash(
        body=item.body, metadata=metadata, attachments=[(n, b.sha256) for n, b in attachments.items()]
    )
    if parent is not None and parent.content_hash == content_hash:
        return None
    number = (item.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    rev = Revision.objects.create(
        item=item, number=number, kind=kind, body=item.body, metadata=metadata, content_hash=content_hash,
        parent=parent, note=note, created_by=actor,
    )
    Attachment.objects.bulk_create([Attachment(revision=rev, name=n, blob=b) for n, b in attachments.items()])
    item.current_revision = rev
    from .secrecy import scan_revision  # noqa: PLC0415  (privacy pre-check on every revision)

    scan_revision(rev)
    return rev


def _has_text(body) -> bool:
    """True if the (sanitised) HTML body has visible text, not just empty paragraphs."""
    import re

    return bool(re.sub(r"(<[^>]*>|&nbsp;|\s|\u3000)+", "", body or ""))


def policy_for(item) -> tuple[str, list[str], bool]:
    """The most specific active review policy for the item: agency chain first, then global."""
    candidates = list(ReviewPolicy.objects.filter(is_active=True))
    chain = []
    agency = item.agency
    while agency is not None:
        chain.append(agency.pk)
        agency = agency.parent
    chain.append(None)
    for agency_id in chain:
        for info_type in (item.info_type, ""):
            for p in candidates:
                if p.agency_id == agency_id and p.info_type == info_type:
                    return p.name, list(p.steps), p.allow_same_reviewer
    return "三审三校（默认）", [s.value for s in DEFAULT_STEPS], shenfa_setting("ALLOW_SAME_REVIEWER")


# --- drafting -----------------------------------------------------------------------------------

@transaction.atomic
def create_item(*, actor, agency: Agency, data: dict, attachments=()) -> Information:
    """Create a draft item with its first revision."""
    _deny(permissions.create_denial(actor, agency))
    data = dict(data)
    data.setdefault("created_date", timezone.localdate())
    item = Information(agency=agency, drafter=actor)
    _apply_fields(item, data)
    item.save()
    rev = _make_revision(item, actor=actor, kind=Revision.Kind.DRAFT, note="创建", add=attachments)
    item.save(update_fields=["current_revision"])
    audit.record(action="workflow.item.create", actor=actor, role=Role.DRAFTER, item=item,
                 revision_hash=rev.content_hash, to_state=item.status, data={"revision": rev.number})
    return item


@transaction.atomic
def edit_item(*, actor, item: Information, data: dict | None = None, add_attachments=(), remove_attachments=(),
              note: str = "", expected_hash: str | None = None) -> Revision | None:
    """Save a drafter's changes as a new revision. Editing an approved item voids its approvals."""
    item = _lock_item(item)
    _deny(permissions.edit_denial(actor, item))
    if expected_hash and item.current_revision and item.current_revision.content_hash != expected_hash:
        raise NotAllowedInState("该信息已被他人修改，请刷新后在最新版本上修改", en="Stale revision", code="stale_revision")
    from_state = item.status
    if item.status == ItemStatus.APPROVED:
        _transition(item, "reopen")
        ReviewRound.objects.filter(item=item, status=ReviewRound.Status.APPROVED).update(
            status=ReviewRound.Status.CANCELLED, finished_at=timezone.now())
        _cancel_open_tasks(item)
    elif item.status in (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN, ItemStatus.EXPIRED):
        _transition(item, "start_update")
    elif item.status not in EDITABLE_STATES:
        raise NotAllowedInState(f"当前状态“{item.get_status_display()}”下不能修改，请等待审核结束或由审核人退回",
                                en=f"Cannot edit in state {item.status}")
    _apply_fields(item, data or {})
    kind = Revision.Kind.UPDATE if from_state in (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN,
                                                  ItemStatus.EXPIRED) else Revision.Kind.DRAFT
    rev = _make_revision(item, actor=actor, kind=kind, note=note, add=add_attachments, remove=remove_attachments)
    item.save()
    if rev is None and from_state == item.status:
        return None  # nothing changed: no revision, no audit noise
    audit.record(action="workflow.item.edit", actor=actor, role=Role.DRAFTER, item=item,
                 revision_hash=item.current_revision.content_hash, from_state=from_state, to_state=item.status,
                 comment=note, data={"revision": item.current_revision.number,
                                     "changed_fields": sorted((data or {}).keys())})
    return rev


@transaction.atomic
def submit_item(*, actor, item: Information) -> ReviewRound:
    """Submit the current revision for review under the item's review policy (一事一审)."""
    from .flows import ReviewFlow

    item = _lock_item(item)
    _deny(permissions.edit_denial(actor, item))
    if item.current_revision is None:
        raise NotAllowedInState("信息没有可提交的版本", en="Nothing to submit")
    if not _has_text(item.body) and not item.current_revision.attachments.exists():
        raise InvalidInput("正文和附件不能同时为空", en="Body or an attachment is required", field="body")
    from_state = item.status
    _transition(item, "submit")
    name, steps, allow_same = policy_for(item)
    number = (item.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    rnd = ReviewRound.objects.create(
        item=item, number=number, submitted_revision=item.current_revision, submitted_by=actor,
        policy_name=name, steps=steps, allow_same_reviewer=allow_same,
    )
    item.save()
    audit.record(action="workflow.item.submit", actor=actor, role=Role.DRAFTER, item=item,
                 revision_hash=item.current_revision.content_hash, from_state=from_state, to_state=item.status,
                 data={"round": number, "policy": name, "steps": steps})
    ReviewFlow.start.run(round_id=rnd.pk)
    rnd.refresh_from_db()
    return rnd


# --- tasks --------------------------------------------------------------------------------------

def _task_context(task):
    """(item, round, step) of a review task, with the item row locked."""
    rnd = ReviewRound.objects.select_related("item").get(process_id=task.process_id)
    item = _lock_item(rnd.item)
    task = _lock_task(task)
    rnd.refresh_from_db()
    return item, rnd, task


def _check_open(task, *, actor=None, need_owner=False):
    if task.status in (STATUS.DONE, STATUS.CANCELED):
        raise NotAllowedInState("该任务已被处理或已取消，请刷新待办列表", en="Task is already closed",
                                code="task_closed")
    if need_owner and task.owner_id and task.owner_id != actor.pk:
        raise NotAllowedInState("该任务已被他人认领", en="Task was claimed by someone else", code="task_taken")


def _role_of_task(task):
    step = task.data.get("step")
    return Role.PUBLISHER if step == "publish" else STEP_ROLE.get(step, "")


@transaction.atomic
def claim_task(*, actor, task: Task) -> Task:
    """Take a task from the queue; exactly one of two simultaneous claimers wins."""
    item, rnd, task = _task_context(task)
    _check_open(task)
    _deny(permissions.task_denial(actor, task))
    if task.owner_id == actor.pk:
        return task
    if task.owner_id:
        raise NotAllowedInState("该任务已被他人认领", en="Task was claimed by someone else", code="task_taken")
    task.flow_task.activation_class(task).assign(actor)
    audit.record(action="workflow.task.claim", actor=actor, role=_role_of_task(task), item=item,
                 revision_hash=item.current_revision.content_hash, data={"task": task.pk,
                                                                         "step": task.data.get("step")})
    return task


@transaction.atomic
def unclaim_task(*, actor, task: Task) -> Task:
    """Put a claimed task back in the queue."""
    item, rnd, task = _task_context(task)
    _check_open(task)
    if task.owner_id != actor.pk:
        _deny(permissions.office_denial(actor, item.agency))
    if task.owner_id is None:
        raise NotAllowedInState("该任务尚未被认领，无需退回", en="Task is not claimed", code="task_not_claimed")
    task.flow_task.activation_class(task).unassign()
    audit.record(action="workflow.task.unclaim", actor=actor, role=_role_of_task(task), item=item,
                 revision_hash=item.current_revision.content_hash, data={"task": task.pk})
    return task


@transaction.atomic
def reassign_task(*, actor, task: Task, to_user, reason: str = "") -> Task:
    """Office admin hands a task to another eligible person."""
    item, rnd, task = _task_context(task)
    _check_open(task)
    _deny(permissions.office_denial(actor, item.agency))
    denial = permissions.task_denial(to_user, task)
    if denial:
        raise NotAllowedForYou(f"不能转交给 {to_user}：{denial}", en="Target user is not eligible")
    previous = task.owner_id
    activation = task.flow_task.activation_class(task)
    if task.owner_id:
        activation.reassign(to_user)
    else:
        activation.assign(to_user)
    audit.record(action="workflow.task.reassign", actor=actor, role=Role.OFFICE_ADMIN, item=item,
                 revision_hash=item.current_revision.content_hash, comment=reason,
                 data={"task": task.pk, "from_user": previous, "to_user": to_user.pk})
    return task


def _auto_claim(actor, task, item):
    if task.owner_id is None:
        task.flow_task.activation_class(task).assign(actor)
        audit.record(action="workflow.task.claim", actor=actor, role=_role_of_task(task), item=item,
                     revision_hash=item.current_revision.content_hash,
                     data={"task": task.pk, "step": task.data.get("step")})


def _finish_task(task):
    activation = task.flow_task.activation_class(task)
    activation.start(None)
    activation.execute()


def _prepare_step(actor, task, expected_hash):
    item, rnd, task = _task_context(task)
    _check_open(task, actor=actor, need_owner=True)
    _deny(permissions.task_denial(actor, task))
    step = task.data.get("step")
    if step == "publish" or step != rnd.current_step:
        raise NotAllowedInState("该任务不是当前审核步骤", en="Not the current review step")
    if expected_hash and item.current_revision.content_hash != expected_hash:
        raise NotAllowedInState("信息内容在您审阅期间已变更，请查看最新版本后再审核", en="Revision changed",
                                code="stale_revision")
    return item, rnd, task, step


def _advance(item, rnd):
    """Move the round to the first step not yet approved for the current revision; finish if none."""
    rnd.position = first_unapproved_position(item, rnd)
    if rnd.position >= len(rnd.steps):
        maybe_finish_round(item, rnd)
    rnd.save()


def maybe_finish_round(item, rnd):
    """All steps approved: the item becomes approved (unless 三同步 makes it wait for its interpretation)."""
    # The transition's conditions are the complete approval chain and (三同步) an approved interpretation;
    # a policy document waiting for its interpretation is re-checked when that one is approved.
    if rnd.status != ReviewRound.Status.RUNNING or not lifecycle(item).approve.can_proceed():
        return False
    from_state = item.status
    _transition(item, "approve")
    item.save()
    rnd.status = ReviewRound.Status.APPROVED
    rnd.finished_at = timezone.now()
    audit.record(action="workflow.item.approve", actor=None, item=item,
                 revision_hash=item.current_revision.content_hash, from_state=from_state, to_state=item.status,
                 data={"round": rnd.number})
    return True


@transaction.atomic
def approve_step(*, actor, task: Task, comment: str = "", expected_hash: str | None = None,
                 secrecy: dict | None = None) -> StepDecision:
    """Approve the current step for the exact current revision (the secrecy step also records its decision)."""
    item, rnd, task, step = _prepare_step(actor, task, expected_hash)
    if step == Step.SECRECY_REVIEW:
        from .secrecy import decide_secrecy  # noqa: PLC0415

        return decide_secrecy(actor=actor, task=task, item=item, rnd=rnd, comment=comment, decision=secrecy or {})
    return _record_approval(actor=actor, task=task, item=item, rnd=rnd, step=step, comment=comment)


def _record_approval(*, actor, task, item, rnd, step, comment, details=None, action="workflow.review.approve"):
    _auto_claim(actor, task, item)
    decision = StepDecision.objects.create(
        round=rnd, step=step, actor=actor, decision=StepDecision.Decision.APPROVE, revision=item.current_revision,
        revision_hash=item.current_revision.content_hash, comment=comment, details=details or {},
    )
    audit.record(action=action, actor=actor, role=STEP_ROLE[step], item=item,
                 revision_hash=decision.revision_hash, from_state=item.status, to_state=item.status,
                 comment=comment, data={"step": step, "round": rnd.number, "task": task.pk, **(details or {})})
    _advance(item, rnd)
    _finish_task(task)
    if item.status == ItemStatus.APPROVED and item.info_type == InfoType.INTERPRETATION and item.interprets_id:
        _retry_policy(item.interprets_id)
    return decision


def _retry_policy(policy_id):
    """三同步: an interpretation just got approved; its waiting policy document may now finish."""
    policy = _lock_item(Information(pk=policy_id))
    rnd = policy.rounds.order_by("-number").first()
    if rnd and rnd.status == ReviewRound.Status.RUNNING and rnd.current_step is None:
        maybe_finish_round(policy, rnd)
        rnd.save()


@transaction.atomic
def proofread_step(*, actor, task: Task, data: dict, comment: str = "", expected_hash: str | None = None):
    """A proofreader corrects the text: the corrections become a new revision, which the proofreader approves.

    Review approvals recorded on the previous text are voided: they must approve the corrected text."""
    item, rnd, task, step = _prepare_step(actor, task, expected_hash)
    if step not in PROOF_STEPS:
        raise NotAllowedForYou("只有校对步骤可以修改正文", en="Only proofreading steps may change the text")
    _auto_claim(actor, task, item)
    _apply_fields(item, data)
    rev = _make_revision(item, actor=actor, kind=Revision.Kind.PROOFREAD, note=comment)
    if rev is not None:
        item.save()
        voided = _void_stale(rnd, item, reason=f"{Step(step).label}修改了内容")
        audit.record(action="workflow.proofread.edit", actor=actor, role=Role.PROOFREADER, item=item,
                     revision_hash=rev.content_hash, from_state=item.status, to_state=item.status, comment=comment,
                     data={"step": step, "revision": rev.number, "parent_hash": rev.parent.content_hash,
                           "changed_fields": sorted(data), "voided_decisions": voided})
    return _record_approval(actor=actor, task=task, item=item, rnd=rnd, step=step, comment=comment)


def _void_stale(rnd, item, *, reason):
    """Mark approvals that no longer hold for the current revision as voided (display; checks recompute)."""
    still = {d.pk for d in valid_approvals(item, rnd).values()}
    stale = rnd.decisions.filter(decision=StepDecision.Decision.APPROVE, voided=False).exclude(pk__in=still)
    ids = list(stale.values_list("pk", flat=True))
    stale.update(voided=True, voided_reason=reason[:200])
    return ids


def _require_reason(reason):
    if not (reason or "").strip():
        raise InvalidInput("请填写退回理由", en="A reason is required", field="reason")


@transaction.atomic
def reject_step(*, actor, task: Task, reason: str) -> StepDecision:
    """Return the item to its drafter with a required reason; this review round ends."""
    _require_reason(reason)
    item, rnd, task, step = _prepare_step(actor, task, None)
    _auto_claim(actor, task, item)
    decision = StepDecision.objects.create(
        round=rnd, step=step, actor=actor, decision=StepDecision.Decision.REJECT, revision=item.current_revision,
        revision_hash=item.current_revision.content_hash, comment=reason,
    )
    from_state = item.status
    _transition(item, "reject")
    item.save()
    rnd.status = ReviewRound.Status.REJECTED
    rnd.finished_at = timezone.now()
    rnd.save()
    audit.record(action="workflow.review.reject", actor=actor, role=STEP_ROLE[step], item=item,
                 revision_hash=decision.revision_hash, from_state=from_state, to_state=item.status, comment=reason,
                 data={"step": step, "round": rnd.number, "task": task.pk})
    _finish_task(task)
    return decision


@transaction.atomic
def return_step(*, actor, task: Task, to_step: str, reason: str) -> StepDecision:
    """Send the round back to an earlier step, whose decision (and every later one) must be made again."""
    _require_reason(reason)
    item, rnd, task, step = _prepare_step(actor, task, None)
    if to_step not in rnd.steps[: rnd.position]:
        raise InvalidInput("只能退回到本轮已经过的步骤", en="to_step must be an earlier step of this round",
                           field="to_step")
    _auto_claim(actor, task, item)
    target = rnd.steps.index(to_step)
    decision = StepDecision.objects.create(
        round=rnd, step=step, actor=actor, decision=StepDecision.Decision.RETURN, revision=item.current_revision,
        revision_hash=item.current_revision.content_hash, comment=reason, details={"to_step": to_step},
    )
    rnd.decisions.filter(step__in=rnd.steps[target:], decision=StepDecision.Decision.APPROVE, voided=False).update(
        voided=True, voided_reason=f"{Step(step).label}退回至{Step(to_step).label}")
    rnd.position = target
    rnd.save()
    audit.record(action="workflow.review.return", actor=actor, role=STEP_ROLE[step], item=item,
                 revision_hash=decision.revision_hash, from_state=item.status, to_state=item.status, comment=reason,
                 data={"step": step, "to_step": to_step, "round": rnd.number, "task": task.pk})
    _finish_task(task)
    return decision


def _cancel_open_tasks(item):
    for task in Task.objects.filter(process__review_round__item=item, status__in=permissions.OPEN_STATUSES):
        Task.objects.filter(pk=task.pk).update(status=STATUS.CANCELED, finished=timezone.now())


def open_task_for(item, *, step=None):
    """The open task of the item's latest round (optionally of a given step, or 'publish')."""
    qs = Task.objects.filter(process__review_round__item=item, status__in=permissions.OPEN_STATUSES)
    if step:
        qs = qs.filter(data__step=step)
    return qs.order_by("-pk").first()


# 保密审查 masking lives with the rest of the secrecy rules; exported here with the other actions.
from .secrecy import mask_item  # noqa: E402,F401
