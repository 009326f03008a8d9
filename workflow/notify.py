"""Who is told what when the review engine moves (notices.events.notify, with plain data).

Each function is called inside an action's transaction; the recipients of a task are worked out once that
transaction has committed (the new task exists then), and nothing happens if it rolls back."""
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from viewflow.workflow.models import Task

from core.models import Role
from notices.events import notify
from notices.models import Kind

from . import permissions
from .models import Information
from .models.review import STEP_ROLE, Step


def task_changed(item) -> None:
    """The item's open task may be new: tell the people who may take it (or its holder) after commit."""
    item_id = item.pk
    transaction.on_commit(lambda: announce_open_task(item_id))


def eligible_people(task, item) -> list[int]:
    """Everyone who may act on `task` (the same policy the inbox uses)."""
    step = task.data.get("step")
    role = Role.PUBLISHER if step == permissions.PUBLISH else STEP_ROLE.get(step)
    if not role:
        return []
    candidates = get_user_model().objects.filter(
        is_active=True, memberships__role=role, memberships__agency_id__in=item.agency.acting_agency_ids(),
        memberships__agency__is_active=True).distinct()
    return [u.pk for u in candidates if permissions.task_denial(u, task) is None]


def announce_open_task(item_id: int) -> None:
    item = Information.objects.select_related("agency").filter(pk=item_id).first()
    task = (Task.objects.filter(process__review_round__item=item, status__in=permissions.OPEN_STATUSES)
            .order_by("-pk").first() if item is not None else None)
    if task is None:
        return
    step = task.data.get("step")
    label = "发布" if step == "publish" else _step_label(step)
    url = reverse("workflow:task", args=[task.pk])
    if task.owner_id:
        notify(kind=Kind.TASK_ASSIGNED, recipient_ids=[task.owner_id], title=f"{label}任务已交给您：{item.title}",
               body=f"机构：{item.agency.name}", url=url, key=f"task:{task.pk}:owner:{task.owner_id}")
        return
    notify(kind=Kind.TASK_QUEUED, recipient_ids=eligible_people(task, item),
           title=f"待认领的{label}任务：{item.title}", body=f"机构：{item.agency.name}", url=url,
           key=f"task:{task.pk}")


def _step_label(step):
    return str(Step(step).label) if step in Step.values else step


def task_assigned(task, item, to_user) -> None:
    """An office admin handed a task to `to_user`."""
    notify(kind=Kind.TASK_ASSIGNED, recipient_ids=[to_user.pk], title=f"任务已转交给您：{item.title}",
           body=f"机构：{item.agency.name}", url=reverse("workflow:task", args=[task.pk]),
           key=f"task:{task.pk}:owner:{to_user.pk}")


def item_returned(item, *, actor, step_label: str, reason: str) -> None:
    """A reviewer returned the item to its drafter: the drafter reads why."""
    notify(kind=Kind.ITEM_RETURNED, recipient_ids=[item.drafter_id], exclude=[actor.pk],
           title=f"信息被退回修改：{item.title}", body=f"{step_label}退回理由：{reason}",
           url=reverse("workflow:item", args=[item.pk]))


def item_masked(item, *, actor, revision_number: int, counts: dict) -> None:
    """The secrecy reviewer masked personal data: the drafter sees what and where."""
    where = "、".join(f"{'正文' if k == 'body' else k} {v} 处" for k, v in counts.items() if v)
    notify(kind=Kind.ITEM_MASKED, recipient_ids=[item.drafter_id], exclude=[actor.pk],
           title=f"信息已脱敏：{item.title}",
           body=f"保密审查脱敏生成第{revision_number}版（{where}），将从第一个审核步骤重新审核。",
           url=reverse("workflow:revision", args=[item.pk, revision_number]))
