"""One permission policy for the review domain, answering both ways:
"may this user act on this task?" and "which tasks may this user act on?".

task_denial() is defined in terms of eligible_tasks(), so the inbox and the check can never disagree.
Rules (promises 2 and 3):
  * only people holding the step's role in the item's agency (or its parent, where the agency allows
    parent review) act on its tasks;
  * the drafter (and whoever submitted the round) approves none of the steps;
  * nobody does two of the three reviews of one round, unless the round's policy relaxes it.
"""
from django.db.models import Exists, OuterRef, Q
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from core.models import Agency, Membership, Role
from .models import Information, StepDecision
from .models.review import STEP_ROLE, THREE_REVIEWS

OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def roles_by_agency(user):
    """{agency_id: {role, ...}} for the user's memberships (cached on the user object)."""
    if user is None or not user.is_authenticated:
        return {}
    cache = getattr(user, "_shenfa_roles", None)
    if cache is None:
        cache = {}
        for agency_id, role in Membership.objects.filter(user=user, agency__is_active=True).values_list(
            "agency_id", "role"
        ):
            cache.setdefault(agency_id, set()).add(role)
        user._shenfa_roles = cache
    return cache


def _agencies_reachable(agency_ids):
    """Agencies whose items people of `agency_ids` may act on: those agencies and their children that
    allow parent review."""
    children = Agency.objects.filter(parent_id__in=agency_ids, parent_may_review=True).values_list("pk", flat=True)
    return set(agency_ids) | set(children)


def agencies_with_role(user, role):
    own = [a for a, roles in roles_by_agency(user).items() if role in roles]
    return _agencies_reachable(own) if own else set()


def has_role_for(user, item, role) -> bool:
    roles = roles_by_agency(user)
    return any(role in roles.get(a, ()) for a in item.agency.acting_agency_ids())


# --- tasks --------------------------------------------------------------------------------------

def eligible_tasks(user):
    """Every review-flow task (any status) this user is entitled to act on."""
    from .flows import ReviewFlow

    if user is None or not user.is_authenticated:
        return Task.objects.none()
    role_q = Q(pk__in=[])
    for role in set(STEP_ROLE.values()):
        agencies = agencies_with_role(user, role)
        if agencies:
            steps = [s.value for s, r in STEP_ROLE.items() if r == role]
            role_q |= Q(flow_task=ReviewFlow.step, data__step__in=steps,
                        process__review_round__item__agency_id__in=agencies)
    publishers = agencies_with_role(user, Role.PUBLISHER)
    if publishers:
        role_q |= Q(flow_task=ReviewFlow.publish, process__review_round__item__agency_id__in=publishers)
    other_review = StepDecision.objects.filter(
        round=OuterRef("process__review_round"), actor=user, step__in=THREE_REVIEWS,
        decision=StepDecision.Decision.APPROVE, voided=False,
    )
    return (
        Task.objects.filter(role_q)
        .exclude(Q(flow_task=ReviewFlow.step)
                 & (Q(process__review_round__item__drafter=user) | Q(process__review_round__submitted_by=user)))
        .exclude(Q(data__step__in=[s.value for s in THREE_REVIEWS])
                 & Q(process__review_round__allow_same_reviewer=False) & Exists(other_review))
    )


def queue_for(user):
    """Claimable tasks: open, unassigned, and the user is entitled to them."""
    return eligible_tasks(user).filter(status=STATUS.NEW, owner__isnull=True)


def my_tasks(user):
    return eligible_tasks(user).filter(owner=user, status__in=(STATUS.ASSIGNED, STATUS.STARTED))


def task_denial(user, task):
    """None if the user may act on this task, else a Chinese reason. State is not checked here."""
    if user is None or not user.is_authenticated:
        return "请先登录"
    if eligible_tasks(user).filter(pk=task.pk).exists():
        return None
    return _explain(user, task)


def _explain(user, task):
    from .flows import ReviewFlow

    rnd = task.process.review_round
    item = rnd.item
    if task.flow_task == ReviewFlow.publish:
        return "您不是该信息所属机构的授权发布人"
    step = task.data.get("step")
    role = STEP_ROLE.get(step)
    if user.pk in (item.drafter_id, rnd.submitted_by_id):
        return "起草人不能审核自己起草的信息"
    if role is None or not has_role_for(user, item, role):
        label = Role(role).label if role else "相应"
        return f"您在“{item.agency.name}”没有{label}角色，不能处理此任务"
    return "同一人不能承担同一信息的两级审核（三审须由三个不同的人完成）"


# --- items --------------------------------------------------------------------------------------

def visible_items(user):
    """Items a signed-in user may read: those of agencies where they hold any role (and children that
    allow parent review), plus their own drafts. Auditors and office admins also see sub-agencies."""
    if user is None or not user.is_authenticated:
        return Information.objects.none()
    roles = roles_by_agency(user)
    agency_ids = _agencies_reachable(list(roles))
    wide = [a for a, r in roles.items() if r & {Role.AUDITOR, Role.OFFICE_ADMIN, Role.OFFICE_HEAD}]
    for agency in Agency.objects.filter(pk__in=wide):
        agency_ids |= set(agency.descendant_ids())
    return Information.objects.filter(Q(agency_id__in=agency_ids) | Q(drafter=user))


def item_view_denial(user, item):
    if user is None or not user.is_authenticated:
        return "请先登录"
    if visible_items(user).filter(pk=item.pk).exists():
        return None
    return "您无权查看其他机构的信息"


def edit_denial(user, item):
    """Drafting: the item's drafter, or a drafter of the item's own agency."""
    if user is None or not user.is_authenticated:
        return "请先登录"
    if Role.DRAFTER in roles_by_agency(user).get(item.agency_id, ()):
        return None
    return f"您在“{item.agency.name}”没有起草人角色，不能编辑此信息"


def create_denial(user, agency):
    if Role.DRAFTER in roles_by_agency(user).get(agency.pk, ()):
        return None
    return f"您在“{agency.name}”没有起草人角色，不能起草信息"


def publish_denial(user, item):
    if has_role_for(user, item, Role.PUBLISHER):
        return None
    return "您不是该信息所属机构的授权发布人"


def office_denial(user, agency):
    roles = roles_by_agency(user)
    for a in Agency.objects.filter(pk__in=[a for a, r in roles.items() if Role.OFFICE_ADMIN in r]):
        if agency.pk in a.descendant_ids():
            return None
    return "您不是该机构的政务公开办管理员"


def auditor_agencies(user):
    """Agencies whose records this user may export: auditors see their agency and every agency below."""
    ids = set()
    for a in Agency.objects.filter(pk__in=[a for a, r in roles_by_agency(user).items() if Role.AUDITOR in r]):
        ids |= set(a.descendant_ids())
    return ids
