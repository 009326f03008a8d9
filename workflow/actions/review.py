"""Review actions: approve, proofread, reject and return a step (先审后发、一事一审).

An approval is bound to the exact revision hash it saw; the round advances to the first step whose
approval does not hold for the current revision."""
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task

from audit import log as audit
from core.errors import InvalidInput, NotAllowedForYou, ShenfaError
from core.models import Role

from .. import notify
from ..models import ReviewRound, Revision, StepDecision
from ..models.review import PROOF_STEPS, STEP_ROLE, Step
from . import activations
from .common import transition
from .drafting import apply_fields, make_revision
from .secrecy import decide_secrecy
from .steps import prepare_step, record_approval, void_stale
from .tasks import auto_claim


@transaction.atomic
def approve_step(*, actor, task: Task, comment: str = "", expected_hash: str | None = None,
                 secrecy: dict | None = None) -> StepDecision:
    """Approve the current step for the exact current revision (the secrecy step also records its decision)."""
    item, rnd, task, step = prepare_step(actor, task, expected_hash)
    if step == Step.SECRECY_REVIEW:
        return decide_secrecy(actor=actor, task=task, item=item, rnd=rnd, comment=comment, decision=secrecy or {})
    return record_approval(actor=actor, task=task, item=item, rnd=rnd, step=step, comment=comment)


BATCH_MAX = 50


@dataclass
class BatchOutcome:
    """What happened to one task of a batch approval."""

    task_id: int
    ok: bool
    message: str = ""
    code: str = ""
    decision: StepDecision | None = None
    error: ShenfaError | None = None


def approve_steps(*, actor, tasks: list[tuple[Task, str | None]], comment: str = "") -> list[BatchOutcome]:
    """Approve several tasks of the same step, each by approve_step in its own transaction, bound to its own hash.

    `tasks` pairs each task with the revision hash the reviewer saw. A stale, taken or forbidden task is
    reported in its outcome and does not stop the others; the secrecy step is never batched (it needs a
    decision per item)."""
    if not tasks:
        raise InvalidInput("请至少选择一项任务", en="Select at least one task", field="tasks")
    if len(tasks) > BATCH_MAX:
        raise InvalidInput(f"一次最多批量审核 {BATCH_MAX} 项", en=f"At most {BATCH_MAX} tasks at once", field="tasks")
    if len({task.pk for task, _hash in tasks}) != len(tasks):
        raise InvalidInput("同一任务不能重复选择", en="A task is listed twice", field="tasks")
    steps = {task.data.get("step") for task, _hash in tasks}
    if len(steps) != 1:
        raise InvalidInput("批量审核只能选择同一审核步骤的任务", en="Tasks of one step only", field="tasks")
    step = steps.pop()
    if step not in Step.values or step == Step.SECRECY_REVIEW:
        raise InvalidInput("保密审查和发布不能批量处理，请逐项审查", en="This step cannot be batched", field="tasks")
    outcomes = []
    for task, expected_hash in tasks:
        try:
            # approve_step is atomic on its own: outside a transaction each approval commits by itself;
            # a failure rolls back only its own savepoint or transaction.
            decision = approve_step(actor=actor, task=task, comment=comment, expected_hash=expected_hash)
        except ShenfaError as exc:
            outcomes.append(BatchOutcome(task.pk, False, exc.message, exc.code, error=exc))
        else:
            outcomes.append(BatchOutcome(task.pk, True, "已同意", "ok", decision))
    return outcomes


@transaction.atomic
def proofread_step(*, actor, task: Task, data: dict, comment: str = "", expected_hash: str | None = None):
    """A proofreader corrects the text: the corrections become a new revision, which the proofreader approves.

    Review approvals recorded on the previous text are voided: they must approve the corrected text."""
    item, rnd, task, step = prepare_step(actor, task, expected_hash)
    if step not in PROOF_STEPS:
        raise NotAllowedForYou("只有校对步骤可以修改正文", en="Only proofreading steps may change the text")
    auto_claim(actor, task, item)
    apply_fields(item, data)
    rev = make_revision(item, actor=actor, kind=Revision.Kind.PROOFREAD, note=comment)
    if rev is not None:
        item.save()
        voided = void_stale(rnd, item, reason=f"{Step(step).label}修改了内容")
        audit.record(action="workflow.proofread.edit", actor=actor, role=Role.PROOFREADER, item=item,
                     revision_hash=rev.content_hash, from_state=item.status, to_state=item.status, comment=comment,
                     data={"step": step, "revision": rev.number, "parent_hash": rev.parent.content_hash,
                           "changed_fields": sorted(data), "voided_decisions": voided})
    return record_approval(actor=actor, task=task, item=item, rnd=rnd, step=step, comment=comment)


def _require_reason(reason):
    if not (reason or "").strip():
        raise InvalidInput("请填写退回理由", en="A reason is required", field="reason")


@transaction.atomic
def reject_step(*, actor, task: Task, reason: str) -> StepDecision:
    """Return the item to its drafter with a required reason; this review round ends."""
    _require_reason(reason)
    item, rnd, task, step = prepare_step(actor, task, None)
    auto_claim(actor, task, item)
    decision = StepDecision.objects.create(
        round=rnd, step=step, actor=actor, decision=StepDecision.Decision.REJECT, revision=item.current_revision,
        revision_hash=item.current_revision.content_hash, comment=reason,
    )
    from_state = item.status
    transition(item, "reject")
    item.save()
    rnd.status = ReviewRound.Status.REJECTED
    rnd.finished_at = timezone.now()
    rnd.save()
    audit.record(action="workflow.review.reject", actor=actor, role=STEP_ROLE[step], item=item,
                 revision_hash=decision.revision_hash, from_state=from_state, to_state=item.status, comment=reason,
                 data={"step": step, "round": rnd.number, "task": task.pk})
    activations.complete(task)
    notify.item_returned(item, actor=actor, step_label=str(Step(step).label), reason=reason)
    return decision


@transaction.atomic
def return_step(*, actor, task: Task, to_step: str, reason: str) -> StepDecision:
    """Send the round back to an earlier step, whose decision (and every later one) must be made again."""
    _require_reason(reason)
    item, rnd, task, step = prepare_step(actor, task, None)
    if to_step not in rnd.steps[: rnd.position]:
        raise InvalidInput("只能退回到本轮已经过的步骤", en="to_step must be an earlier step of this round",
                           field="to_step")
    auto_claim(actor, task, item)
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
    activations.complete(task)
    notify.task_changed(item)
    return decision
