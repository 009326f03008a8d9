"""Issue 16 finding 3: nobody approves a step of a text they wrote or changed, and 三校 needs three people.

The permission policy answers both ways (inbox and check), so every case asserts both."""
import pytest

from core.errors import NotAllowedForYou
from core.models import Role
from publishing.actions import publish_item
from tests.factories import approve_all, draft, make_user, reload
from workflow import actions, permissions
from workflow.models import ReviewPolicy

pytestmark = pytest.mark.django_db


def eligible(user, task):
    in_queue = permissions.queue_for(user).filter(pk=task.pk).exists()
    denial = permissions.task_denial(user, task)
    assert in_queue == (denial is None), (user, denial)  # the inbox and the check never disagree
    return denial is None, denial


@pytest.fixture
def editor_reviewer(world):
    """A person who is a drafter and the 初审人 of the department (the case of the security review)."""
    return make_user("editor_first", world.dept, Role.DRAFTER, Role.FIRST_REVIEWER, name="杨兼职")


def test_an_editor_of_the_text_may_not_approve_its_first_review(world, editor_reviewer):
    # given: the editor edits someone else's item, its drafter submits it
    item = draft(world)
    actions.edit_item(actor=editor_reviewer, item=item, data={"body": "<p>由兼职人员改写的正文。</p>"})
    actions.submit_item(actor=world.drafter, item=reload(item))
    task = approve_all(world, item, stop_before="first_review")
    # then: the editor is not offered 初审 and may not take it; the other 初审人 may
    ok, denial = eligible(editor_reviewer, task)
    assert not ok and "撰稿与审核分离" in denial
    with pytest.raises(NotAllowedForYou, match="撰稿与审核分离"):
        actions.claim_task(actor=editor_reviewer, task=task)
    assert eligible(world.first, task)[0]


def test_an_editor_whose_edit_was_overwritten_is_still_an_author(world, editor_reviewer):
    item = draft(world)
    actions.edit_item(actor=editor_reviewer, item=item, data={"body": "<p>兼职人员的修改。</p>"})
    actions.edit_item(actor=world.drafter, item=reload(item), data={"body": "<p>起草人又改回来了。</p>"})
    actions.submit_item(actor=world.drafter, item=reload(item))
    task = approve_all(world, item, stop_before="first_review")
    assert not eligible(editor_reviewer, task)[0]


def test_an_earlier_version_already_published_does_not_bar_its_editor(world, editor_reviewer):
    # The editor changed the first version, which was reviewed and published; the update is someone else's.
    item = draft(world)
    actions.edit_item(actor=editor_reviewer, item=item, data={"body": "<p>第一版由兼职人员修改。</p>"})
    actions.submit_item(actor=world.drafter, item=reload(item))
    approve_all(world, item)
    publish_item(actor=world.publisher, item=reload(item))
    actions.edit_item(actor=world.drafter, item=reload(item), data={"body": "<p>更新后的正文。</p>"})
    actions.submit_item(actor=world.drafter, item=reload(item))
    task = approve_all(world, item, stop_before="first_review")
    assert eligible(editor_reviewer, task)[0]


@pytest.fixture
def proof_reviewer(world):
    return make_user("proof_second", world.dept, Role.PROOFREADER, Role.SECOND_REVIEWER, name="秦校审")


def _proofread_by(world, who, item, body="<p>校对后的正文。</p>"):
    task = actions.open_task_for(item)
    actions.proofread_step(actor=who, task=task, data={"body": body}, comment="校对")


def test_a_proofreader_who_corrected_the_text_may_not_review_it(world, proof_reviewer):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    _proofread_by(world, proof_reviewer, item)
    task = approve_all(world, item, stop_before="second_review")
    ok, denial = eligible(proof_reviewer, task)
    assert not ok and "校对修改" in denial


def test_a_proofreader_who_only_approved_may_review(world, proof_reviewer):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    actions.approve_step(actor=proof_reviewer, task=task, comment="无误")
    task = approve_all(world, item, stop_before="second_review")
    assert eligible(proof_reviewer, task)[0]


def test_the_policy_may_allow_proofreaders_to_review_their_corrections(world, proof_reviewer):
    ReviewPolicy.objects.create(name="校审合一", agency=world.dept, steps=[
        "proof_1", "proof_2", "proof_3", "first_review", "second_review", "final_review", "secrecy_review"],
        allow_proofreader_review=True)
    item = draft(world)
    rnd = actions.submit_item(actor=world.drafter, item=item)
    assert rnd.allow_proofreader_review and not rnd.allow_same_proofreader
    _proofread_by(world, proof_reviewer, item)
    task = approve_all(world, item, stop_before="second_review")
    assert eligible(proof_reviewer, task)[0]
    actions.approve_step(actor=proof_reviewer, task=task)


def test_three_proofreadings_need_three_people(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    actions.approve_step(actor=world.proof1, task=task)
    task = actions.open_task_for(item)
    assert task.data["step"] == "proof_2"
    ok, denial = eligible(world.proof1, task)
    assert not ok and "三校须由三个不同的人完成" in denial
    with pytest.raises(NotAllowedForYou):
        actions.claim_task(actor=world.proof1, task=task)
    actions.approve_step(actor=world.proof2, task=task)
    task = actions.open_task_for(item)
    assert [eligible(world.people[n], task)[0] for n in ("proof1", "proof2", "proof3")] == [False, False, True]


def test_the_policy_may_let_one_person_proofread_twice(world):
    ReviewPolicy.objects.create(name="两校一人", agency=world.dept, steps=["proof_1", "proof_2", "secrecy_review"],
                                allow_same_proofreader=True)
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    for _ in range(2):
        task = actions.open_task_for(item)
        actions.approve_step(actor=world.proof1, task=task)
    assert actions.open_task_for(item).data["step"] == "secrecy_review"


def test_a_proofreading_sent_back_may_be_redone_by_the_same_person(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    actions.approve_step(actor=world.proof1, task=actions.open_task_for(item))
    task = actions.open_task_for(item)
    actions.return_step(actor=world.proof2, task=task, to_step="proof_1", reason="请重新校对")
    task = actions.open_task_for(item)
    assert task.data["step"] == "proof_1" and eligible(world.proof1, task)[0]


def test_denials_name_no_agency(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    for name in ("first", "other_first", "auditor", "publisher"):
        denial = permissions.task_denial(world.people[name], task)
        assert denial and world.dept.name not in denial and world.other.name not in denial
    assert world.dept.name not in permissions.edit_denial(world.first, item)
    assert world.other.name not in permissions.create_denial(world.first, world.other)


def test_a_proofreader_and_a_reviewer_may_still_open_the_task_they_did(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    actions.approve_step(actor=world.proof1, task=task)
    assert permissions.task_denial(world.proof1, task) is None
    approve_all(world, item, stop_before="second_review")
    first_task = permissions.eligible_tasks(world.first).get(data__step="first_review")
    assert permissions.task_denial(world.first, first_task) is None
