"""Tasks through the API: inboxes, claim races, approve with the hash seen, reject/return/proofread, the
secrecy decision; 400 (input) vs 403 (who) vs 409 (state)."""
import pytest

from tests.factories import approve_all, draft, last_seq, reload
from workflow import actions
from workflow.models import ItemStatus, StepDecision

from .conftest import Api, actions_since, assert_error


@pytest.fixture
def submitted(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    return reload(item)


def _hash(item):
    return reload(item).current_revision.content_hash


def test_queue_and_my_tasks_follow_the_permission_policy(world, submitted):
    task = actions.open_task_for(submitted)
    queue = Api(world.proof2).get("/tasks/queue").json()
    assert [t["id"] for t in queue["results"]] == [task.pk]
    entry = queue["results"][0]
    assert (entry["step"], entry["step_label"], entry["status"], entry["claimable"]) == ("proof_1", "一校", "NEW", True)
    assert entry["item"]["id"] == submitted.pk and entry["current_revision"]["content_hash"] == _hash(submitted)
    for person in ("drafter", "first", "publisher", "other_first", "auditor"):
        assert Api(world.people[person]).get("/tasks/queue").json()["count"] == 0, person
    Api(world.proof2).post(f"/tasks/{task.pk}/claim")
    assert Api(world.proof2).get("/tasks/mine").json()["results"][0]["id"] == task.pk
    assert Api(world.proof1).get("/tasks/queue").json()["count"] == 0
    assert Api(world.proof1).get("/tasks/mine").json()["count"] == 0


def test_claim_race_second_claimer_gets_409(world, submitted):
    task = actions.open_task_for(submitted)
    assert Api(world.proof1).post(f"/tasks/{task.pk}/claim").json()["task"]["owner"]["username"] == "proof1"
    # claiming one's own task again is a no-op
    before = last_seq()
    assert Api(world.proof1).post(f"/tasks/{task.pk}/claim").status_code == 200
    assert actions_since(before) == []
    assert_error(Api(world.proof2).post(f"/tasks/{task.pk}/claim"), 409, "task_taken")
    # and cannot act on it either
    assert_error(Api(world.proof2).post(f"/tasks/{task.pk}/approve", {"expected_hash": _hash(submitted)}),
                 409, "task_taken")


def test_approve_needs_the_hash_and_refuses_a_stale_one(world, submitted):
    task = actions.open_task_for(submitted)
    proof = Api(world.proof1)
    assert_error(proof.post(f"/tasks/{task.pk}/approve", {}), 400, "invalid_input", field="expected_hash")
    assert_error(proof.post(f"/tasks/{task.pk}/approve", {"expected_hash": "abc"}), 400, field="expected_hash")
    assert_error(proof.post(f"/tasks/{task.pk}/approve", {"expected_hash": "0" * 64}), 409, "stale_revision")
    assert not StepDecision.objects.exists()
    before = last_seq()
    body = proof.post(f"/tasks/{task.pk}/approve", {"expected_hash": _hash(submitted), "comment": "同意"}).json()
    assert body["decision"]["decision"] == "approve" and body["decision"]["comment"] == "同意"
    assert body["task"]["status"] == "DONE" and body["item"]["status"] == "in_review"
    assert actions_since(before) == ["workflow.task.claim", "workflow.review.approve"]
    # the finished task: state error
    assert_error(proof.post(f"/tasks/{task.pk}/approve", {"expected_hash": _hash(submitted)}), 409, "task_closed")


def test_the_drafter_cannot_review_their_own_item_even_holding_the_role(world):
    from core.models import Membership, Role

    Membership.objects.create(user=world.drafter, agency=world.dept, role=Role.PROOFREADER)
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    body = assert_error(Api(world.drafter).post(f"/tasks/{task.pk}/claim"), 403, "permission_denied")
    assert "起草人" in body["message"]


def test_separation_of_three_reviews(world, submitted):
    task = approve_all(world, submitted, stop_before="second_review")
    # "multi" did not do the first review: may do the second
    assert Api(world.multi).post(f"/tasks/{task.pk}/approve", {"expected_hash": _hash(submitted)}).status_code == 200
    final = actions.open_task_for(submitted)
    body = assert_error(Api(world.multi).post(f"/tasks/{final.pk}/claim"), 403, "permission_denied")
    assert "两级审核" in body["message"]


def test_reject_needs_a_reason_and_ends_the_round(world, submitted):
    task = approve_all(world, submitted, stop_before="first_review")
    first = Api(world.first)
    assert_error(first.post(f"/tasks/{task.pk}/reject", {}), 400, field="reason")
    assert_error(first.post(f"/tasks/{task.pk}/reject", {"reason": "  "}), 400, field="reason")
    assert_error(first.post(f"/tasks/{task.pk}/reject", {"reason": 5}), 400, field="reason")
    before = last_seq()
    body = first.post(f"/tasks/{task.pk}/reject", {"reason": "引用文件文号有误"}).json()
    assert body["decision"]["decision"] == "reject" and body["item"]["status"] == "returned"
    assert actions_since(before) == ["workflow.task.claim", "workflow.review.reject"]
    # the drafter sees the reason, edits and resubmits
    drafter = Api(world.drafter)
    detail = drafter.get(f"/items/{submitted.pk}").json()
    assert detail["review"]["status"] == "rejected"
    assert detail["review"]["decisions"][-1]["comment"] == "引用文件文号有误"
    assert drafter.patch(f"/items/{submitted.pk}", {"doc_number": "宿政办发〔2024〕6号"}).status_code == 200
    before = last_seq()
    assert drafter.post(f"/items/{submitted.pk}/submit").json()["review"]["number"] == 2
    assert actions_since(before) == ["workflow.item.submit"]


def test_return_to_an_earlier_step(world, submitted):
    task = approve_all(world, submitted, stop_before="final_review")
    final = Api(world.final)
    assert_error(final.post(f"/tasks/{task.pk}/return", {"to_step": "publish", "reason": "x"}), 400,
                 field="to_step")
    assert_error(final.post(f"/tasks/{task.pk}/return", {"to_step": "secrecy_review", "reason": "x"}), 400,
                 field="to_step")  # a valid step, but not an earlier one of this round
    assert_error(final.post(f"/tasks/{task.pk}/return", {"to_step": "second_review"}), 400, field="reason")
    before = last_seq()
    body = final.post(f"/tasks/{task.pk}/return", {"to_step": "second_review", "reason": "请复审核对数据"}).json()
    assert body["decision"]["details"] == {"to_step": "second_review"}
    assert actions_since(before) == ["workflow.task.claim", "workflow.review.return"]
    reopened = actions.open_task_for(submitted)
    assert reopened.data["step"] == "second_review"
    assert Api(world.second).get("/tasks/queue").json()["results"][0]["id"] == reopened.pk


def test_proofread_records_a_new_revision(world, submitted):
    task = actions.open_task_for(submitted)
    proof = Api(world.proof1)
    old = _hash(submitted)
    assert_error(proof.post(f"/tasks/{task.pk}/proofread", {"data": {"status": "x"}, "expected_hash": old}), 400,
                 field="data.status")
    assert_error(proof.post(f"/tasks/{task.pk}/proofread", {"data": {"title": ""}, "expected_hash": old}), 400,
                 field="data.title")
    assert_error(proof.post(f"/tasks/{task.pk}/proofread", {"data": [], "expected_hash": old}), 400, field="data")
    before = last_seq()
    body = proof.post(f"/tasks/{task.pk}/proofread", {
        "data": {"body": "<p>为深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署。</p>"},
        "comment": "删去冗余表述", "expected_hash": old}).json()
    assert actions_since(before) == ["workflow.task.claim", "workflow.proofread.edit", "workflow.review.approve"]
    item = reload(submitted)
    assert item.current_revision.kind == "proofread" and item.current_revision.content_hash != old
    assert body["decision"]["revision_hash"] == item.current_revision.content_hash
    # a review step cannot proofread
    first_task = approve_all(world, item, stop_before="first_review")
    response = Api(world.first).post(f"/tasks/{first_task.pk}/proofread",
                                     {"data": {"title": "改"}, "expected_hash": _hash(item)})
    assert_error(response, 403, "permission_denied")


def test_secrecy_decision_through_the_api(world, submitted):
    task = approve_all(world, submitted, stop_before="secrecy_review")
    secrecy = Api(world.secrecy)
    h = _hash(submitted)
    assert_error(secrecy.post(f"/tasks/{task.pk}/approve", {"expected_hash": h, "secrecy": {"result": "maybe"}}),
                 400, field="secrecy.result")
    response = secrecy.post(f"/tasks/{task.pk}/approve", {"expected_hash": h, "secrecy": {"result": "not_disclosable"}})
    assert_error(response, 400, "invalid_input", field="secrecy.ground")
    response = secrecy.post(f"/tasks/{task.pk}/approve", {"expected_hash": h, "secrecy": {"result": "partial"}})
    assert_error(response, 400, "invalid_input", field="secrecy.result")  # partial needs a masked revision
    assert reload(submitted).status == ItemStatus.IN_REVIEW
    before = last_seq()
    body = secrecy.post(f"/tasks/{task.pk}/approve", {
        "expected_hash": h, "comment": "涉及内部事务", "secrecy": {"result": "not_disclosable",
                                                              "ground": "internal_affairs"}}).json()
    assert body["item"]["status"] == "not_disclosed"
    assert body["decision"]["details"] == {"result": "not_disclosable", "ground": "internal_affairs"}
    assert actions_since(before) == ["workflow.task.claim", "workflow.secrecy.decide"]


def test_publisher_task_is_not_approved_via_the_review_endpoint(world, submitted):
    publish_task = approve_all(world, submitted)
    assert publish_task.data["step"] == "publish"
    response = Api(world.publisher).post(f"/tasks/{publish_task.pk}/approve", {"expected_hash": _hash(submitted)})
    assert_error(response, 409, "invalid_state")
    assert Api(world.publisher).get(f"/tasks/{publish_task.pk}").json()["task"]["step"] == "publish"


def test_unknown_and_non_review_tasks_are_404(world, submitted):
    from viewflow.workflow.models import Task

    start = Task.objects.exclude(pk=actions.open_task_for(submitted).pk).first()  # the flow's start node
    assert_error(Api(world.proof1).get(f"/tasks/{start.pk}"), 404, "not_found")
    assert_error(Api(world.proof1).post("/tasks/999999/claim"), 404, "not_found")
    # another agency's person learns nothing, whatever the body
    task = actions.open_task_for(submitted)
    for path in ("claim", "unclaim", "approve", "reject", "return", "proofread"):
        assert_error(Api(world.other_first).post(f"/tasks/{task.pk}/{path}", {"junk": 1}), 404, "not_found")
    assert_error(Api(world.other_first).get(f"/tasks/{task.pk}"), 404)


def test_office_admin_puts_a_claimed_task_back(world, submitted):
    task = actions.open_task_for(submitted)
    actions.claim_task(actor=world.proof1, task=task)
    assert_error(Api(world.proof2).post(f"/tasks/{task.pk}/unclaim"), 403, "permission_denied")
    before = last_seq()
    body = Api(world.office).post(f"/tasks/{task.pk}/unclaim").json()
    assert body["task"]["owner"] is None and body["task"]["claimable"]
    assert actions_since(before) == ["workflow.task.unclaim"]
