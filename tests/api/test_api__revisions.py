"""Revisions, diffs, privacy findings, the review policy, reference data, and what a task carries: the body
under review and the diff since the last reviewed revision (workflow.diffs, the same as the web pages)."""
from core.models import Role
from tests.factories import approve_all, draft, make_user, reload
from workflow import actions, diffs
from workflow.models import Category, ReviewPolicy

from .conftest import Api, assert_error

NEW_BODY = "<p>为深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，现将工作要点印发给你们。</p>"


def test_revisions_are_listed_newest_first_and_each_can_be_read(world):
    item = draft(world)
    actions.edit_item(actor=world.drafter, item=item, data={"body": NEW_BODY}, note="精简正文")
    api = Api(world.first)
    listed = api.get(f"/items/{item.pk}/revisions").json()
    assert [r["number"] for r in listed] == [2, 1] and listed[0]["note"] == "精简正文"
    first = api.get(f"/items/{item.pk}/revisions/1").json()
    assert first["body"] == reload(item).revisions.get(number=1).body and first["parent_number"] is None
    assert first["metadata"]["title"] == item.title and first["decisions"] == []
    assert_error(api.get(f"/items/{item.pk}/revisions/3"), 404, "not_found")
    assert_error(api.get(f"/items/{item.pk}/revisions/0"), 400, "invalid_input", field="number")


def test_diff_between_two_revisions_is_the_web_diff(world):
    item = draft(world)
    actions.edit_item(actor=world.drafter, item=item, data={"body": NEW_BODY, "doc_number": "宿政办发〔2024〕6号"})
    body = Api(world.drafter).get(f"/items/{item.pk}/revisions/2/diff", {"against": 1}).json()
    revs = {r.number: r for r in reload(item).revisions.all()}
    expected = diffs.text_diff(revs[1].body, revs[2].body)
    assert (body["base"], body["target"]) == (1, 2)
    assert body["text"] == {"html": str(expected["html"]), "changed": True, "inserted": expected["inserted"],
                            "deleted": expected["deleted"]}
    assert [(m["field"], m["old"], m["new"]) for m in body["metadata"]] == [
        ("doc_number", "宿政办发〔2024〕5号", "宿政办发〔2024〕6号")]
    # without "against": the last revision that went to review (none yet: against nothing)
    assert Api(world.drafter).get(f"/items/{item.pk}/revisions/2/diff").json()["base"] is None


def test_task_payload_carries_the_body_and_the_diff_since_the_last_reviewed_revision(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    actions.proofread_step(actor=world.proof1, task=task, data={"body": NEW_BODY}, comment="删去冗余表述")
    second = actions.open_task_for(item)
    body = Api(world.proof2).get(f"/tasks/{second.pk}").json()
    assert body["revision"]["number"] == 2 and body["revision"]["body"] == reload(item).body
    assert body["diff"]["base"] == 1 and body["diff"]["target"] == 2 and body["diff"]["text"]["changed"]
    assert "<del>" in body["diff"]["text"]["html"]
    assert body["decision"] is None and body["task"]["step"] == "proof_2"


def test_findings_of_a_revision_and_the_secrecy_override_is_recorded(world):
    ReviewPolicy.objects.create(name="两审", steps=["first_review", "secrecy_review"])
    item = actions.create_item(actor=world.drafter, agency=world.dept, data={
        "title": "2024年低保对象公示", "body": "<p>联系电话13812345678。</p>"})
    actions.submit_item(actor=world.drafter, item=item)
    task = approve_all(world, item, stop_before="secrecy_review")
    api = Api(world.secrecy)
    findings = api.get(f"/items/{item.pk}/revisions/1/findings").json()
    assert findings["blocking"] and [f["kind"] for f in findings["findings"]] == ["mobile"]
    h = reload(item).current_revision.content_hash
    assert_error(api.post(f"/tasks/{task.pk}/approve", {"expected_hash": h}), 400, "invalid_input",
                 field="secrecy.override_ground")
    body = api.post(f"/tasks/{task.pk}/approve", {"expected_hash": h, "secrecy": {
        "override_ground": "本人书面同意公开联系电话"}}).json()
    assert body["decision"]["details"]["override_ground"] == "本人书面同意公开联系电话"
    assert body["item"]["status"] == "approved"


def test_masking_makes_a_new_revision_reviewed_again_from_the_first_step(world):
    ReviewPolicy.objects.create(name="两审", steps=["first_review", "secrecy_review"])
    item = actions.create_item(actor=world.drafter, agency=world.dept, data={
        "title": "2024年低保对象公示", "body": "<p>联系电话13812345678。</p>"})
    actions.submit_item(actor=world.drafter, item=item)
    task = approve_all(world, item, stop_before="secrecy_review")
    assert_error(Api(world.first).post(f"/tasks/{task.pk}/mask", {}), 403, "permission_denied")
    body = Api(world.secrecy).post(f"/tasks/{task.pk}/mask", {"comment": "电话脱敏"}).json()
    assert body["task"]["status"] == "DONE" and body["revision"]["kind"] == "mask"
    assert "138****5678" in body["revision"]["body"]
    assert actions.open_task_for(item).data["step"] == "first_review"


def test_review_policy_of_an_item_and_of_a_draft_to_be(world):
    ReviewPolicy.objects.create(name="政策文件五审", agency=world.dept, info_type="policy_document",
                                steps=["first_review", "second_review", "final_review", "legal_review",
                                       "secrecy_review"])
    item = draft(world, info_type="policy_document")
    body = Api(world.drafter).get(f"/items/{item.pk}/policy").json()
    assert body["name"] == "政策文件五审" and [s["label"] for s in body["steps"]][-2:] == ["合法性审查", "保密审查"]
    general = Api(world.drafter).get("/review-policy", {"agency": world.dept.pk}).json()
    assert general["name"] == "三审三校（默认）" and len(general["steps"]) == 7
    policy = Api(world.drafter).get("/review-policy", {"agency": world.dept.pk, "info_type": "policy_document"})
    assert policy.json()["name"] == "政策文件五审"
    assert_error(Api(world.drafter).get("/review-policy", {"agency": 99999}), 400, "invalid_input", field="agency")
    assert_error(Api(world.drafter).get("/review-policy", {"agency": world.dept.pk, "info_type": "memo"}), 400,
                 field="info_type")


def test_reference_data(world):
    topic = Category.objects.create(kind="topic", name="综合政务", code="01")
    Category.objects.create(kind="facet", name="政策文件")
    assert [t["name"] for t in Api(world.drafter).get("/topics").json()] == ["综合政务"]
    assert Api(world.drafter).get("/topics").json()[0]["id"] == topic.pk
    assert [f["name"] for f in Api(world.drafter).get("/facets").json()] == ["政策文件"]
    assert Api(world.drafter).get("/info-types").json()[1] == {"code": "policy_document", "label": "政策文件"}
    steps = Api(world.drafter).get("/steps").json()
    assert steps[0] == {"step": "proof_1", "label": "一校", "role": "proofreader", "role_label": "校对人"}
    # agencies: those one may see, with one's roles there
    mine = {a["code"]: a["my_roles"] for a in Api(world.drafter).get("/agencies").json()}
    assert mine == {world.dept.code: ["drafter"]}
    auditor = {a["code"]: a["my_roles"] for a in Api(world.auditor).get("/agencies").json()}
    assert auditor == {world.gov.code: ["auditor"], world.dept.code: []}
    outsider = make_user("outsider", world.other, Role.DRAFTER)
    assert [a["code"] for a in Api(outsider).get("/agencies").json()] == [world.other.code]
