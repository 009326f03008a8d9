"""The inbox (/): my tasks, the claimable queue, what I drafted, what is overdue. One policy:
workflow.permissions builds every list, so the inbox shows exactly what the user may act on."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core import org
from core.models import Role
from workflow import permissions
from workflow.models import Information, ItemStatus, Revision, StepDecision
from workflow.models.review import Step

from .common import is_overdue_item, overdue_items, task_overdue_before


def step_label(step):
    if step == "publish":
        return "发布"
    try:
        return Step(step).label
    except ValueError:
        return step or ""


#: Steps a reviewer may approve several at once (the secrecy review and publishing are decided one by one).
BATCH_STEPS = {s.value for s in Step} - {Step.SECRECY_REVIEW}

#: Rows of a task list on the landing page (oldest first); a publisher of a busy agency may have thousands.
INBOX_ROWS = 100


def task_rows(tasks, limit=INBOX_ROWS):
    tasks = list(tasks.select_related("owner").order_by("created")[:limit])
    items = Information.objects.select_related("agency", "drafter", "current_revision").in_bulk(
        [t.data.get("item") for t in tasks])
    limit = task_overdue_before()
    rows = []
    for task in tasks:
        item = items.get(task.data.get("item"))
        if item is None:
            continue
        step = task.data.get("step")
        rows.append({"task": task, "item": item, "step": step_label(step), "batchable": step in BATCH_STEPS,
                     "overdue": task.created < limit, "item_overdue": is_overdue_item(item)})
    return rows


def returned_items(user):
    """The drafter's items sent back to them, each with the reason of the decision that returned it."""
    items = list(Information.objects.filter(drafter=user, status=ItemStatus.RETURNED).order_by("-updated_at")[:20])
    reasons = {}
    for d in (StepDecision.objects.filter(round__item__in=items, decision=StepDecision.Decision.REJECT)
              .order_by("pk").values("round__item_id", "comment")):
        reasons[d["round__item_id"]] = d["comment"]
    return [{"item": i, "reason": reasons.get(i.pk, "")} for i in items]


def masked_items(user):
    """The drafter's items whose current revision the secrecy reviewer masked (脱敏): shown until it changes."""
    return list(Information.objects.filter(drafter=user, current_revision__kind=Revision.Kind.MASK)
                .exclude(status__in=[ItemStatus.WITHDRAWN, ItemStatus.EXPIRED])
                .select_related("current_revision").order_by("-updated_at")[:20])


SHORTCUTS = [
    ({Role.DRAFTER}, "起草新信息", "/items/new/"),
    ({Role.PUBLISHER, Role.OFFICE_ADMIN}, "定时发布", "/gk/manage/scheduled/"),
    ({Role.PUBLISHER, Role.OFFICE_ADMIN}, "逾期未公开", "/gk/manage/overdue/"),
    ({Role.PUBLISHER, Role.OFFICE_ADMIN}, "定期清理", "/gk/manage/cleanup/"),
    ({Role.REQUEST_HANDLER, Role.OFFICE_ADMIN, Role.OFFICE_HEAD, Role.LEGAL_REVIEWER}, "依申请公开", "/requests/"),
    ({Role.AUDITOR, Role.OFFICE_ADMIN, Role.OFFICE_HEAD}, "审计与年度报告", "/audit/"),
]


def shortcuts(roles):
    return [{"label": label, "url": url} for wanted, label, url in SHORTCUTS if wanted & roles]


@login_required
def inbox(request):
    """Each role's landing page."""
    user = request.user
    roles = set().union(*org.roles_by_agency(user).values()) if org.roles_by_agency(user) else set()
    acting_roles = roles & ({r for r in Role.values} - {Role.DRAFTER, Role.AUDITOR, Role.REQUEST_HANDLER,
                                                       Role.OFFICE_HEAD})
    drafted = Information.objects.filter(drafter=user).select_related("agency", "current_revision")[:100]
    visible = permissions.visible_items(user)
    context = {
        "roles": sorted(Role(r).label for r in roles),
        "is_drafter": Role.DRAFTER in roles,
        "is_reviewer": bool(acting_roles),
        "is_publisher": Role.PUBLISHER in roles,
        "my_tasks": task_rows(permissions.my_tasks(user)),
        "queue": task_rows(permissions.queue_for(user)),
        "drafted": [{"item": i, "overdue": is_overdue_item(i)} for i in drafted],
        "overdue": overdue_items(visible).select_related("agency").order_by("disclosure_due")[:50],
        "scheduled": (visible.filter(status=ItemStatus.SCHEDULED).order_by("publish_at")[:50]
                      if Role.PUBLISHER in roles else []),
        "returned": returned_items(user),
        "masked": masked_items(user),
        "shortcuts": shortcuts(roles),
    }
    return render(request, "workflow/inbox.html", context)
