"""Task actions: claim from the queue, give back, hand over (office admin)."""
from django.db import transaction
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from audit import log as audit
from core.errors import NotAllowedForYou, NotAllowedInState, deny
from core.models import Role

from .. import notify, permissions
from ..models import Information, ReviewRound
from ..models.review import STEP_ROLE
from . import activations
from .common import lock_item


def task_context(task):
    """(item, round, task) of a review task: the item row locked first, then the task (read fresh with its
    process and round in one statement, after the item lock, so they are current)."""
    item_id = task.data.get("item") if isinstance(task.data, dict) else None
    if item_id is None:  # a task created before tasks carried their item
        item_id = ReviewRound.objects.filter(process_id=task.process_id).values_list("item_id", flat=True).get()
    item = lock_item(Information(pk=item_id))
    task = activations.lock_task(task)
    rnd = task.process.review_round
    if rnd.item_id != item.pk:
        raise NotAllowedInState("任务与信息不一致", en="Task does not belong to the item")
    rnd.item = item
    return item, rnd, task


def check_open(task, *, actor=None, need_owner=False):
    if task.status in (STATUS.DONE, STATUS.CANCELED):
        raise NotAllowedInState("该任务已被处理或已取消，请刷新待办列表", en="Task is already closed",
                                code="task_closed")
    if need_owner and task.owner_id and task.owner_id != actor.pk:
        raise NotAllowedInState("该任务已被他人认领", en="Task was claimed by someone else", code="task_taken")


def role_of_task(task):
    step = task.data.get("step")
    return Role.PUBLISHER if step == "publish" else STEP_ROLE.get(step, "")


@transaction.atomic
def claim_task(*, actor, task: Task) -> Task:
    """Take a task from the queue; exactly one of two simultaneous claimers wins."""
    item, rnd, task = task_context(task)
    check_open(task)
    deny(permissions.task_denial(actor, task))
    if task.owner_id == actor.pk:
        return task
    if task.owner_id:
        raise NotAllowedInState("该任务已被他人认领", en="Task was claimed by someone else", code="task_taken")
    activations.assign(task, actor)
    audit.record(action="workflow.task.claim", actor=actor, role=role_of_task(task), item=item,
                 revision_hash=item.current_revision.content_hash, data={"task": task.pk,
                                                                         "step": task.data.get("step")})
    return task


@transaction.atomic
def unclaim_task(*, actor, task: Task) -> Task:
    """Put a claimed task back in the queue."""
    item, rnd, task = task_context(task)
    check_open(task)
    if task.owner_id != actor.pk:
        deny(permissions.office_denial(actor, item.agency))
    if task.owner_id is None:
        raise NotAllowedInState("该任务尚未被认领，无需退回", en="Task is not claimed", code="task_not_claimed")
    activations.unassign(task)
    audit.record(action="workflow.task.unclaim", actor=actor, role=role_of_task(task), item=item,
                 revision_hash=item.current_revision.content_hash, data={"task": task.pk})
    return task


@transaction.atomic
def reassign_task(*, actor, task: Task, to_user, reason: str = "") -> Task:
    """Office admin hands a task to another eligible person."""
    item, rnd, task = task_context(task)
    check_open(task)
    deny(permissions.office_denial(actor, item.agency))
    denial = permissions.task_denial(to_user, task)
    if denial:
        raise NotAllowedForYou(f"不能转交给 {to_user}：{denial}", en="Target user is not eligible")
    previous = task.owner_id
    activations.reassign(task, to_user)
    audit.record(action="workflow.task.reassign", actor=actor, role=Role.OFFICE_ADMIN, item=item,
                 revision_hash=item.current_revision.content_hash, comment=reason,
                 data={"task": task.pk, "from_user": previous, "to_user": to_user.pk})
    notify.task_assigned(task, item, to_user)
    return task


def auto_claim(actor, task, item):
    if task.owner_id is None:
        activations.assign(task, actor)
        audit.record(action="workflow.task.claim", actor=actor, role=role_of_task(task), item=item,
                     revision_hash=item.current_revision.content_hash,
                     data={"task": task.pk, "step": task.data.get("step")})
