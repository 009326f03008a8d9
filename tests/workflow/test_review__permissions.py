"""Every role against every review action (promises 2 and 3): who may, who may not, and which error."""
import pytest

from audit.models import AuditRecord
from core.errors import NotAllowedForYou, NotAllowedInState
from core.org import forget_roles
from publishing.actions import publish_item, withdraw_item
from tests.factories import approve_all, draft, reload
from workflow import actions, permissions
from workflow.models import ItemStatus, ReviewPolicy

pytestmark = pytest.mark.django_db

EVERYONE = ["drafter", "drafter2", "proof1", "proof2", "proof3", "first", "second", "final", "secrecy", "legal",
            "publisher", "office", "auditor", "handler", "other_first", "multi"]

# step -> the people who may act on it in the default world
ALLOWED = {
    "proof_1": {"proof1", "proof2", "proof3"},
    # 三校 by three different people: whoever proofread an earlier round may not do a later one
    "proof_2": {"proof2", "proof3"},
    "proof_3": {"proof3"},
    "first_review": {"first", "multi"},
    "second_review": {"second", "multi"},
    "final_review": {"final", "multi"},
    "secrecy_review": {"secrecy"},
}


def audit_count():
    return AuditRecord.objects.count()


@pytest.mark.parametrize("step", list(ALLOWED))
def test_claim_matrix(world, step):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = approve_all(world, item, stop_before=step)
    assert task.data["step"] == step
    for name in EVERYONE:
        user = world.people[name]
        in_queue = permissions.queue_for(user).filter(pk=task.pk).exists()
        denial = permissions.task_denial(user, task)
        assert in_queue == (denial is None), name  # the inbox and the check never disagree
        if name in ALLOWED[step]:
            assert denial is None, (name, denial)
        else:
            before = audit_count()
            with pytest.raises(NotAllowedForYou):
                actions.claim_task(actor=user, task=task)
            with pytest.raises(NotAllowedForYou):
                actions.approve_step(actor=user, task=task, secrecy={"result": "disclosable"})
            with pytest.raises(NotAllowedForYou):
                actions.reject_step(actor=user, task=task, reason="不同意")
            assert audit_count() == before, name


def test_drafter_never_reviews_even_with_the_role(world):
    from core.models import Membership, Role

    for role in (Role.PROOFREADER, Role.FIRST_REVIEWER, Role.SECRECY_REVIEWER):
        Membership.objects.create(user=world.drafter, agency=world.dept, role=role)
    forget_roles(world.drafter)
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    assert not permissions.queue_for(world.drafter).filter(pk=task.pk).exists()
    with pytest.raises(NotAllowedForYou) as exc:
        actions.claim_task(actor=world.drafter, task=task)
    assert "起草人" in exc.value.message


def test_no_person_does_two_of_the_three_reviews(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = approve_all(world, item, stop_before="first_review")
    actions.approve_step(actor=world.multi, task=task)
    task = actions.open_task_for(item)
    assert task.data["step"] == "second_review"
    assert not permissions.queue_for(world.multi).filter(pk=task.pk).exists()
    with pytest.raises(NotAllowedForYou) as exc:
        actions.approve_step(actor=world.multi, task=task)
    assert "两级审核" in exc.value.message
    actions.approve_step(actor=world.second, task=task)


def test_policy_may_relax_review_separation_but_never_for_the_drafter(world):
    from core.models import Membership, Role

    ReviewPolicy.objects.create(name="宽松", agency=world.dept, allow_same_reviewer=True,
                                steps=["first_review", "second_review", "secrecy_review"])
    Membership.objects.create(user=world.drafter, agency=world.dept, role=Role.SECOND_REVIEWER)
    forget_roles(world.drafter)
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    actions.approve_step(actor=world.multi, task=actions.open_task_for(item))
    task = actions.open_task_for(item)
    with pytest.raises(NotAllowedForYou):
        actions.approve_step(actor=world.drafter, task=task)
    actions.approve_step(actor=world.multi, task=task)
    assert reload(item).rounds.get().current_step == "secrecy_review"


def test_parent_agency_reviews_only_when_configured(world):
    from core.models import Membership, Role

    boss = world.office
    Membership.objects.create(user=boss, agency=world.gov, role=Role.PROOFREADER)
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    with pytest.raises(NotAllowedForYou):
        actions.claim_task(actor=boss, task=task)
    world.dept.parent_may_review = True
    world.dept.save()
    forget_roles(boss)
    actions.claim_task(actor=boss, task=task)


def test_claim_conflict_is_a_state_error_not_a_permission_error(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    actions.claim_task(actor=world.proof1, task=task)
    with pytest.raises(NotAllowedInState) as exc:
        actions.claim_task(actor=world.proof2, task=task)
    assert exc.value.code == "task_taken" and exc.value.status == 409
    with pytest.raises(NotAllowedInState):
        actions.approve_step(actor=world.proof2, task=task)
    actions.unclaim_task(actor=world.proof1, task=task)
    actions.claim_task(actor=world.proof2, task=task)


def test_closed_task_is_a_state_error(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    actions.approve_step(actor=world.proof1, task=task)
    with pytest.raises(NotAllowedInState) as exc:
        actions.approve_step(actor=world.proof1, task=task)
    assert exc.value.code == "task_closed"


@pytest.mark.parametrize("name", EVERYONE)
def test_create_edit_submit_by_role(world, name):
    user = world.people[name]
    may_draft = name in {"drafter", "drafter2"}
    if may_draft:
        item = actions.create_item(actor=user, agency=world.dept, data={"title": "测试", "body": "<p>正文</p>"})
        actions.edit_item(actor=user, item=item, data={"title": "测试（修改）"})
        actions.submit_item(actor=user, item=item)
        assert reload(item).status == ItemStatus.IN_REVIEW
        return
    with pytest.raises(NotAllowedForYou):
        actions.create_item(actor=user, agency=world.dept, data={"title": "测试"})
    item = draft(world)
    before = audit_count()
    with pytest.raises(NotAllowedForYou):
        actions.edit_item(actor=user, item=item, data={"title": "越权修改"})
    with pytest.raises(NotAllowedForYou):
        actions.submit_item(actor=user, item=item)
    assert audit_count() == before
    assert reload(item).title != "越权修改"


@pytest.mark.parametrize("name", EVERYONE)
def test_publish_and_withdraw_by_role(world, name):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item)
    user = world.people[name]
    if name == "publisher":
        publish_item(actor=user, item=reload(item))
        withdraw_item(actor=user, item=reload(item), reason="内容过时")
        assert not reload(item).online
        return
    with pytest.raises(NotAllowedForYou):
        publish_item(actor=user, item=reload(item))
    assert reload(item).status == ItemStatus.APPROVED
    publish_item(actor=world.publisher, item=reload(item))
    with pytest.raises(NotAllowedForYou):
        withdraw_item(actor=user, item=reload(item), reason="越权撤回")
    assert reload(item).online


def test_reassign_by_office_admin_only_to_eligible_people(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    with pytest.raises(NotAllowedForYou):
        actions.reassign_task(actor=world.first, task=task, to_user=world.proof2)
    with pytest.raises(NotAllowedForYou):
        actions.reassign_task(actor=world.office, task=task, to_user=world.first)
    actions.reassign_task(actor=world.office, task=task, to_user=world.proof2, reason="休假")
    task = actions.open_task_for(item)
    assert task.owner_id == world.proof2.pk
    rec = AuditRecord.objects.filter(item=item).order_by("-seq").first()
    assert rec.action == "workflow.task.reassign" and rec.actor == world.office and rec.comment == "休假"


def test_other_agency_cannot_see_drafts(world):
    item = draft(world)
    assert permissions.item_view_denial(world.other_first, item)
    assert not permissions.visible_items(world.other_first).filter(pk=item.pk).exists()
    assert permissions.item_view_denial(world.auditor, item) is None  # auditor of the parent government
