"""One permission policy for the review domain, answering both ways:
"may this user act on this task?" and "which tasks may this user act on?".

task_denial() is defined in terms of eligible_tasks(), so the inbox and the check can never disagree.
Rules (promises 2 and 3):
  * only people holding the step's role in the item's agency (or its parent, where the agency allows
    parent review) act on its tasks;
  * the drafter (and whoever submitted the round) approves none of the steps;
  * nobody approves a step of a text they wrote or changed since the item was last published: the authors of
    its drafts and edits approve no step; a proofreader who corrected the text approves no review step
    (初审/复审/终审, 保密审查, ...) unless the round's policy allows it for proofreaders; the secrecy reviewer
    who masked the text approves no step but the secrecy review itself;
  * nobody does two of the three reviews of one round, unless the round's policy relaxes it;
  * the three proofreadings (三校) are done by three different people, unless the round's policy relaxes it.
"""
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from core import org
from core.models import Role

from .models import Information, Revision, StepDecision
from .models.review import PROOF_STEPS, STEP_ROLE, THREE_REVIEWS, Step

OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
REVIEW_STEPS_BY_ROLE = {}
for _step, _role in STEP_ROLE.items():
    REVIEW_STEPS_BY_ROLE.setdefault(_role, []).append(_step.value)
PUBLISH = "publish"
AUTHORING_KINDS = (Revision.Kind.DRAFT, Revision.Kind.UPDATE)


def agencies_with_role(user, role) -> set[int]:
    """Agencies whose items the user acts on in `role`: where they hold it, and the children of those
    agencies that let their parent review."""
    return org.agencies_with_role(user, role, parent_review=True)


def has_role_for(user, item, role) -> bool:
    return org.has_role_for(user, item.agency, role)


# --- tasks --------------------------------------------------------------------------------------

def did_another(user, steps) -> Q:
    """Tasks of `steps` in whose round the user made a standing approval of another of `steps` (the task's
    own step does not count: a done task stays theirs to look at)."""
    q = Q(pk__in=[])
    for step in steps:
        others = StepDecision.objects.filter(
            round=OuterRef("process__review_round"), actor=user, step__in=[s for s in steps if s != step],
            decision=StepDecision.Decision.APPROVE, voided=False)
        q |= Q(data__step=step.value) & Exists(others)
    return q


def eligible_tasks(user):
    """Every review-flow task (any status) this user is entitled to act on."""
    if user is None or not user.is_authenticated:
        return Task.objects.none()
    role_q = Q(pk__in=[])
    for role, steps in REVIEW_STEPS_BY_ROLE.items():
        agencies = agencies_with_role(user, role)
        if agencies:
            # data__agency (the task's label, = its item's agency) repeats the join's condition so that the
            # queue's partial index (workflow migration 0007) finds the tasks without scanning every open one.
            role_q |= Q(data__step__in=steps, data__agency__in=agencies,
                        process__review_round__item__agency_id__in=agencies)
    publishers = agencies_with_role(user, Role.PUBLISHER)
    if publishers:
        role_q |= Q(data__step=PUBLISH, data__agency__in=publishers,
                    process__review_round__item__agency_id__in=publishers)
    # The texts under review: every revision since the item was last published (its drafts, edits,
    # proofreading corrections and masking), whoever made them.
    authored = Revision.objects.filter(
        item=OuterRef("process__review_round__item"), created_by=user,
        number__gt=Coalesce(OuterRef("process__review_round__item__published_revision__number"), Value(0)),
    )
    proof_steps = [s.value for s in PROOF_STEPS]
    not_publish = ~Q(data__step=PUBLISH)
    return (
        Task.objects.filter(role_q)
        .exclude(not_publish
                 & (Q(process__review_round__item__drafter=user) | Q(process__review_round__submitted_by=user)))
        .exclude(Q(process__review_round__allow_same_reviewer=False) & did_another(user, THREE_REVIEWS))
        .exclude(Q(process__review_round__allow_same_proofreader=False) & did_another(user, PROOF_STEPS))
        .exclude(not_publish & Exists(authored.filter(kind__in=AUTHORING_KINDS)))
        .exclude(not_publish & ~Q(data__step__in=proof_steps)
                 & Q(process__review_round__allow_proofreader_review=False)
                 & Exists(authored.filter(kind=Revision.Kind.PROOFREAD)))
        .exclude(not_publish & ~Q(data__step=Step.SECRECY_REVIEW.value)
                 & Exists(authored.filter(kind=Revision.Kind.MASK)))
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
    rnd = task.process.review_round
    item = rnd.item
    if task.data.get("step") == PUBLISH:
        return "您不是该信息所属机构的授权发布人"
    step = task.data.get("step")
    role = STEP_ROLE.get(step)
    if user.pk in (item.drafter_id, rnd.submitted_by_id):
        return "起草人不能审核自己起草的信息"
    if role is None or not has_role_for(user, item, role):
        label = Role(role).label if role else "相应"
        return f"您没有{label}角色（须在该信息所属机构任职），不能处理此任务"
    since = item.published_revision.number if item.published_revision_id else 0
    kinds = set(item.revisions.filter(created_by=user, number__gt=since).values_list("kind", flat=True))
    if kinds & set(AUTHORING_KINDS):
        return "您起草或修改过该信息的文本，不能审核（撰稿与审核分离）"
    if Revision.Kind.PROOFREAD in kinds and step not in PROOF_STEPS:
        return "您校对修改过该信息的文本，不能再审核该文本（撰稿与审核分离）"
    if Revision.Kind.MASK in kinds and step != Step.SECRECY_REVIEW:
        return "您对该信息做过脱敏处理，不能再审核该文本（撰稿与审核分离）"
    if step in PROOF_STEPS:
        return "同一人不能承担同一信息的两次校对（三校须由三个不同的人完成）"
    return "同一人不能承担同一信息的两级审核（三审须由三个不同的人完成）"


# --- items --------------------------------------------------------------------------------------

def visible_agency_ids(user) -> set[int]:
    """Agencies whose items a signed-in user may read: those where they hold any role (and children that
    allow parent review); auditors and the disclosure office also see every agency below theirs."""
    if user is None or not user.is_authenticated:
        return set()
    agency_ids = org.agencies_with_role(user, *Role.values, parent_review=True)
    return agency_ids | org.agencies_with_role(user, Role.AUDITOR, Role.OFFICE_ADMIN, Role.OFFICE_HEAD,
                                               descendants=True)


def visible_items(user):
    """Items a signed-in user may read: those of their visible agencies, plus their own drafts."""
    if user is None or not user.is_authenticated:
        return Information.objects.none()
    return Information.objects.filter(Q(agency_id__in=visible_agency_ids(user)) | Q(drafter=user))


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
    if Role.DRAFTER in org.roles_by_agency(user).get(item.agency_id, ()):
        return None
    return "您没有起草人角色（须在该信息所属机构任职），不能编辑此信息"


def create_denial(user, agency):
    if Role.DRAFTER in org.roles_by_agency(user).get(agency.pk, ()):
        return None
    return "您没有该机构的起草人角色，不能起草信息"


def publish_denial(user, item):
    if has_role_for(user, item, Role.PUBLISHER):
        return None
    return "您不是该信息所属机构的授权发布人"


def office_denial(user, agency):
    if agency.pk in org.agencies_with_role(user, Role.OFFICE_ADMIN, descendants=True):
        return None
    return "您不是该机构的政务公开办管理员"
