"""Step mechanics shared by the review and secrecy actions: the step a task stands for, recording an
approval bound to the exact revision, advancing the round, finishing it (and 三同步), voiding approvals."""
from django.utils import timezone

from audit import log as audit
from core.errors import NotAllowedInState, deny

from .. import notify, permissions
from ..lifecycle import lifecycle
from ..models import Information, InfoType, ItemStatus, ReviewRound, StepDecision
from ..models.review import STEP_ROLE
from ..review_state import first_unapproved_position, valid_approvals
from . import activations
from .common import lock_item, transition
from .tasks import auto_claim, check_open, task_context


def prepare_step(actor, task, expected_hash):
    item, rnd, task = task_context(task)
    check_open(task, actor=actor, need_owner=True)
    deny(permissions.task_denial(actor, task))
    step = task.data.get("step")
    if step == "publish" or step != rnd.current_step:
        raise NotAllowedInState("该任务不是当前审核步骤", en="Not the current review step")
    if expected_hash and item.current_revision.content_hash != expected_hash:
        raise NotAllowedInState("信息内容在您审阅期间已变更，请查看最新版本后再审核", en="Revision changed",
                                code="stale_revision")
    return item, rnd, task, step


def advance(item, rnd):
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
    transition(item, "approve")
    item.save()
    rnd.status = ReviewRound.Status.APPROVED
    rnd.finished_at = timezone.now()
    audit.record(action="workflow.item.approve", actor=None, item=item,
                 revision_hash=item.current_revision.content_hash, from_state=from_state, to_state=item.status,
                 data={"round": rnd.number})
    return True


def record_approval(*, actor, task, item, rnd, step, comment, details=None, action="workflow.review.approve"):
    auto_claim(actor, task, item)
    decision = StepDecision.objects.create(
        round=rnd, step=step, actor=actor, decision=StepDecision.Decision.APPROVE, revision=item.current_revision,
        revision_hash=item.current_revision.content_hash, comment=comment, details=details or {},
    )
    audit.record(action=action, actor=actor, role=STEP_ROLE[step], item=item,
                 revision_hash=decision.revision_hash, from_state=item.status, to_state=item.status,
                 comment=comment, data={"step": step, "round": rnd.number, "task": task.pk, **(details or {})})
    advance(item, rnd)
    activations.complete(task)
    notify.task_changed(item)
    if item.status == ItemStatus.APPROVED and item.info_type == InfoType.INTERPRETATION and item.interprets_id:
        _retry_policy(item.interprets_id)
    return decision


def _retry_policy(policy_id):
    """三同步: an interpretation just got approved; its waiting policy document may now finish."""
    policy = lock_item(Information(pk=policy_id))
    rnd = policy.rounds.order_by("-number").first()
    if rnd and rnd.status == ReviewRound.Status.RUNNING and rnd.current_step is None:
        maybe_finish_round(policy, rnd)
        rnd.save()


def void_stale(rnd, item, *, reason):
    """Mark approvals that no longer hold for the current revision as voided (display; checks recompute)."""
    still = {d.pk for d in valid_approvals(item, rnd).values()}
    stale = rnd.decisions.filter(decision=StepDecision.Decision.APPROVE, voided=False).exclude(pk__in=still)
    ids = list(stale.values_list("pk", flat=True))
    stale.update(voided=True, voided_reason=reason[:200])
    return ids
