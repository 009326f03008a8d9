"""The default 三审三校 + 保密审查 flow end to end through the action functions, with exact audit trails."""
import pytest
from viewflow.workflow.status import STATUS

from audit.models import AuditRecord
from core.errors import InvalidInput, NotAllowedInState
from publishing.actions import publish_item
from tests.factories import STEP_ACTOR, approve_all, draft, reload
from workflow import actions, permissions
from workflow.models import Information, ItemStatus, ReviewRound, Revision, StepDecision
from workflow.review_state import round_is_complete

pytestmark = pytest.mark.django_db

DEFAULT = ["proof_1", "proof_2", "proof_3", "first_review", "second_review", "final_review", "secrecy_review"]


def actions_of(item):
    return list(AuditRecord.objects.filter(item=item).order_by("seq").values_list("action", flat=True))


def test_full_review_then_publish_writes_exact_audit_trail(world):
    # given a draft submitted under the default policy
    item = draft(world)
    rnd = actions.submit_item(actor=world.drafter, item=item)
    assert rnd.steps == DEFAULT
    assert reload(item).status == ItemStatus.IN_REVIEW
    # when every step approves and the publisher publishes
    publish_task = approve_all(world, item)
    item = reload(item)
    assert item.status == ItemStatus.APPROVED
    assert publish_task is not None and publish_task.data["step"] == "publish"
    assert permissions.queue_for(world.publisher).filter(pk=publish_task.pk).exists()
    publish_item(actor=world.publisher, item=item)
    # then
    item = reload(item)
    assert item.status == ItemStatus.PUBLISHED and item.online
    assert item.index_number.startswith(f"{world.dept.code}/")
    assert item.published_revision_id == item.current_revision_id
    per_step = []
    for _ in DEFAULT[:-1]:
        per_step += ["workflow.task.claim", "workflow.review.approve"]
    assert actions_of(item) == (
        ["workflow.item.create", "workflow.item.submit"] + per_step
        + ["workflow.task.claim", "workflow.secrecy.decide", "workflow.item.approve", "publishing.item.publish"]
    )
    rec = AuditRecord.objects.filter(item=item, action="workflow.review.approve").first()
    assert rec.actor == world.proof1 and rec.role == "proofreader" and rec.agency == world.dept
    assert rec.revision_hash == item.current_revision.content_hash
    assert ReviewRound.objects.get(pk=rnd.pk).status == ReviewRound.Status.PUBLISHED
    # the viewflow process ended
    assert not permissions.eligible_tasks(world.publisher).filter(
        status__in=permissions.OPEN_STATUSES).exists()


def test_reject_returns_to_drafter_and_resubmission_starts_new_round(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item, stop_before="first_review")
    task = actions.open_task_for(item)
    with pytest.raises(InvalidInput):
        actions.reject_step(actor=world.first, task=task, reason="  ")
    actions.reject_step(actor=world.first, task=task, reason="请补充政策依据")
    item = reload(item)
    assert item.status == ItemStatus.RETURNED
    assert actions.open_task_for(item) is None
    # resubmission of a changed revision: a new round, old approvals play no part
    actions.edit_item(actor=world.drafter, item=item, data={"summary": "补充了政策依据"})
    rnd2 = actions.submit_item(actor=world.drafter, item=reload(item))
    assert rnd2.number == 2 and rnd2.position == 0
    assert actions.open_task_for(item).data["step"] == "proof_1"
    assert actions_of(item)[-4:] == ["workflow.task.claim", "workflow.review.reject", "workflow.item.edit",
                                     "workflow.item.submit"]


def test_return_to_previous_step_reopens_it(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item, stop_before="final_review")
    task = actions.open_task_for(item)
    actions.claim_task(actor=world.final, task=task)
    actions.return_step(actor=world.final, task=task, to_step="second_review", reason="请复核数据来源")
    rnd = reload(item).rounds.get()
    assert rnd.current_step == "second_review"
    assert rnd.decisions.get(step="second_review", decision="approve").voided
    assert not rnd.decisions.get(step="first_review", decision="approve").voided
    task = actions.open_task_for(item)
    assert task.data["step"] == "second_review" and task.status == STATUS.NEW
    with pytest.raises(InvalidInput):
        actions.return_step(actor=world.second, task=task, to_step="final_review", reason="x")


def test_proofreader_correction_is_a_new_revision_and_voids_review_approvals(world):
    # a policy where reviews come before proofreading makes the voiding visible
    from workflow.models import ReviewPolicy

    ReviewPolicy.objects.create(name="先审后校", steps=["first_review", "proof_1", "secrecy_review"])
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item, stop_before="proof_1")
    task = actions.open_task_for(item)
    before = reload(item).current_revision
    actions.proofread_step(actor=world.proof1, task=task, data={"body": before.body + "<p>（已校对）</p>"},
                           comment="修改错别字")
    item = reload(item)
    assert item.current_revision.kind == Revision.Kind.PROOFREAD
    assert item.current_revision.parent_id == before.pk
    # the first review approved the old text: void, so the round goes back to it
    assert StepDecision.objects.get(step="first_review").voided
    assert actions.open_task_for(item).data["step"] == "first_review"
    assert "workflow.proofread.edit" in actions_of(item)
    approve_all(world, item)
    assert reload(item).status == ItemStatus.APPROVED


def test_cumulative_proofreading_keeps_earlier_proof_approvals(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item, stop_before="proof_2")
    task = actions.open_task_for(item)
    actions.proofread_step(actor=world.proof2, task=task,
                           data={"title": "关于印发2024年政务公开工作要点的通知（修订）"})
    assert actions.open_task_for(item).data["step"] == "proof_3"
    approve_all(world, item)
    item = reload(item)
    assert item.status == ItemStatus.APPROVED and round_is_complete(item)


def test_edit_after_approval_voids_everything(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item)
    item = reload(item)
    assert item.status == ItemStatus.APPROVED
    actions.edit_item(actor=world.drafter, item=item, data={"body": item.body + "<p>补充</p>"})
    item = reload(item)
    assert item.status == ItemStatus.DRAFT and not round_is_complete(item)
    with pytest.raises(NotAllowedInState):
        publish_item(actor=world.publisher, item=item)


def test_attachment_change_changes_hash(world):
    item = draft(world)
    h1 = item.current_revision.content_hash
    actions.edit_item(actor=world.drafter, item=item,
                      add_attachments=[actions.NewAttachment("名单.csv", "姓名,金额\n张三,100\n".encode())])
    h2 = reload(item).current_revision.content_hash
    assert h1 != h2
    actions.edit_item(actor=world.drafter, item=reload(item),
                      add_attachments=[actions.NewAttachment("名单.csv", "姓名,金额\n张三,200\n".encode())])
    assert reload(item).current_revision.content_hash not in (h1, h2)


def test_stale_hash_is_refused(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    with pytest.raises(NotAllowedInState) as exc:
        actions.approve_step(actor=world.proof1, task=task, expected_hash="0" * 64)
    assert exc.value.code == "stale_revision"


def test_not_disclosable_ends_review(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = approve_all(world, item, stop_before="secrecy_review")
    with pytest.raises(InvalidInput):
        actions.approve_step(actor=world.secrecy, task=task, secrecy={"result": "not_disclosable"})
    actions.approve_step(actor=world.secrecy, task=task, comment="涉及内部事务",
                         secrecy={"result": "not_disclosable", "ground": "internal_affairs"})
    item = reload(item)
    assert item.status == ItemStatus.NOT_DISCLOSED
    assert actions.open_task_for(item) is None
    with pytest.raises(NotAllowedInState):
        publish_item(actor=world.publisher, item=item)


def test_edit_not_allowed_during_review(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    with pytest.raises(NotAllowedInState):
        actions.edit_item(actor=world.drafter, item=reload(item), data={"title": "改标题"})


def test_status_cannot_be_assigned_directly(world):
    item = draft(world)
    with pytest.raises(AttributeError):
        item.status = ItemStatus.PUBLISHED


def test_each_step_role_mapping_is_used(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    seen = []
    while (task := actions.open_task_for(item)) and task.data["step"] != "publish":
        step = task.data["step"]
        seen.append(step)
        actor = world.people[STEP_ACTOR[step]]
        assert permissions.queue_for(actor).filter(pk=task.pk).exists()
        actions.approve_step(actor=actor, task=task, secrecy={"result": "disclosable"})
    assert seen == DEFAULT


def test_refresh_from_db_reloads_the_protected_status(world):
    # given an item object that has gone stale while another copy moved it on
    item = draft(world)
    stale = Information.objects.get(pk=item.pk)
    actions.submit_item(actor=world.drafter, item=item)
    # when the stale copy is refreshed, then it shows the new state (not the field's default)
    stale.refresh_from_db()
    assert stale.status == "in_review"
    stale.refresh_from_db(fields=["status", "title"])
    assert stale.status == "in_review"
