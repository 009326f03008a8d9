"""Items, attachments, publishing and the audit timeline through the API: payloads, 400/403/409 and
what is stored (nothing half)."""
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import SAMPLE_BODY, approve_all, draft, last_seq, reload
from workflow import actions
from workflow.models import Category, Information, ItemStatus, Revision

from .conftest import Api, actions_since, assert_error

SEED_TITLE = "宿州市埇桥区2024年政务公开工作要点"


def _create(api, world, **data):
    payload = {"agency": world.dept.pk, "title": SEED_TITLE, "body": SAMPLE_BODY, **data}
    return api.post("/items", payload)


def test_drafter_creates_item_with_catalogue_fields(world):
    topic = Category.objects.create(kind="topic", name="政务公开")
    api = Api(world.drafter)
    response = _create(api, world, doc_number="宿埇政办〔2024〕3号", info_type="policy_document", topic=topic.pk,
                       created_date="2024-03-01", summary="年度工作要点", fee_amount="12.50", display_days=7,
                       scope="limited", scope_audience="各乡镇（街道）", needs_interpretation=True)
    assert response.status_code == 201, response.content
    body = response.json()
    item = Information.objects.get(pk=body["id"])
    assert (item.title, item.doc_number, item.topic, str(item.fee_amount), item.scope_audience) == (
        SEED_TITLE, "宿埇政办〔2024〕3号", topic, "12.50", "各乡镇（街道）")
    assert body["status"] == "draft" and body["topic"] == topic.pk and body["fee_amount"] == "12.50"
    assert body["created_date"] == "2024-03-01"
    assert body["current_revision"]["content_hash"] == item.current_revision.content_hash
    assert body["drafter"]["username"] == "drafter" and body["agency"]["code"] == world.dept.code
    assert body["review"] is None and body["open_tasks"] == []


def test_body_is_sanitised(world):
    response = _create(Api(world.drafter), world, body='<p onclick="x()">正文<script>alert(1)</script></p>')
    assert response.status_code == 201
    stored = Information.objects.get(pk=response.json()["id"]).body
    assert "script" not in stored and "onclick" not in stored and "正文" in stored


@pytest.mark.parametrize("data,field", [
    ({"title": ""}, "title"),
    ({"title": None}, "title"),
    ({"title": "名" * 301}, "title"),
    ({"title": ["列表"]}, "title"),
    ({"info_type": "memo"}, "info_type"),
    ({"created_date": "2024-02-30"}, "created_date"),
    ({"created_date": "昨天"}, "created_date"),
    ({"display_days": -1}, "display_days"),
    ({"display_days": 10**20}, "display_days"),
    ({"display_days": "7"}, "display_days"),
    ({"fee_amount": "abc"}, "fee_amount"),
    ({"fee_amount": "1" * 20}, "fee_amount"),
    ({"needs_interpretation": "yes"}, "needs_interpretation"),
    ({"topic": 10**17}, "topic"),
    ({"topic": 0}, "topic"),
    ({"agency": "dept"}, "agency"),
    ({"agency": 10**17}, "agency"),
    ({"status": "published"}, "status"),
    ({"scope": "limited"}, "scope_audience"),
    ({"interprets": 10**16}, "interprets"),
    ({"summary": "a\x00b"}, "summary"),
    ({"summary": "\ud800"}, "summary"),
])
def test_invalid_input_is_400_with_the_field_and_stores_nothing(world, data, field):
    before = last_seq()
    payload = {"agency": world.dept.pk, "title": SEED_TITLE, "body": SAMPLE_BODY, **data}
    response = Api(world.drafter).post("/items", raw=json.dumps(payload))  # ASCII escapes carry "\ud800"
    assert_error(response, 400, "invalid_input", field=field)
    assert Information.objects.count() == 0 and Revision.objects.count() == 0
    assert actions_since(before) == []


def test_missing_required_fields(world):
    assert_error(Api(world.drafter).post("/items", {"title": "x"}), 400, field="agency")
    assert_error(Api(world.drafter).post("/items", {"agency": world.dept.pk}), 400, field="title")
    assert_error(Api(world.drafter).post("/items"), 400, field="agency")


def test_create_in_another_agency_is_403(world):
    response = Api(world.drafter).post("/items", {"agency": world.other.pk, "title": "x"})
    assert_error(response, 403, "permission_denied")


def test_list_shows_only_visible_items_and_filters(world):
    mine = draft(world)
    theirs = actions.create_item(actor=world.other_first, agency=world.other, data={
        "title": "淮北市2024年政务公开工作要点", "body": SAMPLE_BODY})
    actions.submit_item(actor=world.drafter, item=draft(world, title="第二条"))

    def ids(user, **params):
        body = Api(user).get("/items", params).json()
        return {r["id"] for r in body["results"]}, body["count"]

    dept_ids, count = ids(world.first)
    assert theirs.pk not in dept_ids and mine.pk in dept_ids and count == 2
    assert ids(world.other_first) == ({theirs.pk}, 1)
    assert ids(world.auditor)[1] == 2  # the government's auditor sees the department's items
    assert ids(world.first, status="draft")[0] == {mine.pk}
    assert ids(world.drafter2, mine="true") == (set(), 0)
    assert ids(world.first, agency=world.other.pk) == (set(), 0)
    page = Api(world.first).get("/items", {"limit": 1, "offset": 1}).json()
    assert (page["count"], len(page["results"]), page["limit"], page["offset"]) == (2, 1, 1, 1)


@pytest.mark.parametrize("params,field", [
    ({"status": "gone"}, "status"), ({"limit": "0"}, "limit"), ({"limit": "abc"}, "limit"),
    ({"offset": "-1"}, "offset"), ({"offset": "9" * 30}, "offset"), ({"agency": "x\x00"}, "agency"),
    ({"mine": "maybe"}, "mine"),
])
def test_list_query_errors_are_400(world, params, field):
    assert_error(Api(world.first).get("/items", params), 400, "invalid_input", field=field)


def test_other_agency_gets_404_on_every_item_endpoint(world):
    item = draft(world)
    actions.edit_item(actor=world.drafter, item=item,
                      add_attachments=[actions.NewAttachment("附件.txt", "内容".encode(), "text/plain")])
    att = reload(item).current_revision.attachments.get()
    api = Api(world.other_first)
    paths = [("get", f"/items/{item.pk}"), ("patch", f"/items/{item.pk}"), ("post", f"/items/{item.pk}/submit"),
             ("get", f"/items/{item.pk}/attachments"), ("get", f"/items/{item.pk}/attachments/{att.pk}"),
             ("delete", f"/items/{item.pk}/attachments/{att.pk}"), ("get", f"/items/{item.pk}/audit"),
             ("post", f"/items/{item.pk}/publish"), ("post", f"/items/{item.pk}/withdraw")]
    for method, path in paths:
        response = getattr(api, method)(path) if method in ("get", "delete") else getattr(api, method)(path, {})
        body = assert_error(response, 404, "not_found")
        assert item.title not in str(body)
    upload = api.upload(f"/items/{item.pk}/attachments", [("x.txt", b"x")])
    assert_error(upload, 404, "not_found")


def test_edit_rules_403_409_and_stale_hash(world):
    item = draft(world)
    old_hash = item.current_revision.content_hash
    drafter = Api(world.drafter)
    # a reviewer of the same agency may see but not edit: 403
    assert_error(Api(world.first).patch(f"/items/{item.pk}", {"title": "改"}), 403, "permission_denied")
    # read-only / unknown fields: 400 with the field
    assert_error(drafter.patch(f"/items/{item.pk}", {"index_number": "x"}), 400, field="index_number")
    # an edit makes a new revision and returns it
    before = last_seq()
    response = drafter.patch(f"/items/{item.pk}", {"doc_number": "宿埇政办〔2024〕4号", "note": "改文号",
                                                   "expected_hash": old_hash})
    assert response.status_code == 200
    assert response.json()["current_revision"]["number"] == 2
    assert response.json()["current_revision"]["note"] == "改文号"
    assert actions_since(before) == ["workflow.item.edit"]
    # someone else's edit in between: 409 stale_revision, nothing stored
    response = drafter.patch(f"/items/{item.pk}", {"summary": "x", "expected_hash": old_hash})
    assert_error(response, 409, "stale_revision")
    assert reload(item).summary == ""
    # an identical PATCH writes nothing
    before = last_seq()
    assert drafter.patch(f"/items/{item.pk}", {"doc_number": "宿埇政办〔2024〕4号"}).status_code == 200
    assert actions_since(before) == []
    # in review: 409
    assert drafter.post(f"/items/{item.pk}/submit").status_code == 200
    assert_error(drafter.patch(f"/items/{item.pk}", {"title": "改"}), 409, "invalid_state")
    assert_error(drafter.post(f"/items/{item.pk}/submit"), 409, "invalid_state")


def test_submit_shows_review_round_and_open_task(world):
    item = draft(world)
    response = Api(world.drafter).post(f"/items/{item.pk}/submit", {})
    body = response.json()
    assert body["status"] == "in_review"
    assert body["review"]["number"] == 1 and body["review"]["current_step"] == "proof_1"
    assert [s["step"] for s in body["review"]["steps"]][:3] == ["proof_1", "proof_2", "proof_3"]
    assert [(t["step"], t["status"]) for t in body["open_tasks"]] == [("proof_1", "NEW")]
    assert_error(Api(world.drafter).post(f"/items/{item.pk}/submit", {"now": True}), 400, field="now")


def test_submit_without_body_or_attachment_is_400(world):
    item = draft(world, body="")
    assert_error(Api(world.drafter).post(f"/items/{item.pk}/submit"), 400, "invalid_input", field="body")
    assert reload(item).status == ItemStatus.DRAFT


def test_attachments_upload_list_download_delete(world):
    item = draft(world)
    api = Api(world.drafter)
    before = last_seq()
    response = api.upload(f"/items/{item.pk}/attachments", [("政务公开目录.csv", "名称,文号\n".encode()),
                                                            ("说明.txt", "说明".encode())], note="加附件")
    assert response.status_code == 201, response.content
    names = [a["name"] for a in response.json()["results"]]
    assert names == ["政务公开目录.csv", "说明.txt"]
    assert actions_since(before) == ["workflow.item.edit"]
    rev = reload(item).current_revision
    assert rev.number == 2 and rev.note == "加附件"
    att = rev.attachments.get(name="说明.txt")
    download = api.get(f"/items/{item.pk}/attachments/{att.pk}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == "说明".encode()
    assert "attachment" in download["Content-Disposition"]
    # earlier revisions' attachment lists stay readable
    assert api.get(f"/items/{item.pk}/attachments", {"revision": 1}).json()["results"] == []
    assert_error(api.get(f"/items/{item.pk}/attachments", {"revision": 99}), 404)
    # delete makes a new revision without it
    response = api.delete(f"/items/{item.pk}/attachments/{att.pk}")
    assert [a["name"] for a in response.json()["results"]] == ["政务公开目录.csv"]
    # the old attachment still downloads (it belongs to revision 2) but is not current any more
    assert api.get(f"/items/{item.pk}/attachments/{att.pk}").status_code == 200
    assert_error(api.delete(f"/items/{item.pk}/attachments/{att.pk}"), 409, "not_current")


@pytest.mark.parametrize("files,field", [
    ([("病毒.exe", b"MZ")], "attachments"),
    ([("空.txt", b"")], "attachments"),
    ([("名" * 201 + ".txt", b"x")], "file"),
    ([], "file"),
])
def test_bad_attachments_are_400_and_store_nothing(world, files, field):
    item = draft(world)
    before = last_seq()
    response = Api(world.drafter).upload(f"/items/{item.pk}/attachments", files)
    assert_error(response, 400, "invalid_input", field=field)
    assert actions_since(before) == [] and reload(item).current_revision.number == 1


def test_oversize_attachment_is_400(world, settings):
    settings.SHENFA = {**settings.SHENFA, "ATTACHMENT_MAX_BYTES": 1024}
    item = draft(world)
    response = Api(world.drafter).upload(f"/items/{item.pk}/attachments", [("大.txt", b"x" * 5000)])
    assert_error(response, 400, "invalid_input", field="attachments")


def test_upload_needs_multipart_and_known_fields(world):
    item = draft(world)
    api = Api(world.drafter)
    assert_error(api.post(f"/items/{item.pk}/attachments", {"file": "x"}), 415, "unsupported_media_type")
    assert_error(api.upload(f"/items/{item.pk}/attachments", [("a.txt", b"a")], extra="1"), 400, field="extra")


def test_publish_now_scheduled_and_withdraw(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    publisher = Api(world.publisher)
    # before approval: state error
    assert_error(publisher.post(f"/items/{item.pk}/publish", {}), 409, "invalid_state")
    approve_all(world, item)
    # a time in the future schedules
    at = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    before = last_seq()
    response = publisher.post(f"/items/{item.pk}/publish", {"at": at.isoformat()})
    assert response.status_code == 200 and response.json()["status"] == "scheduled"
    assert actions_since(before) == ["publishing.item.schedule"]
    assert reload(item).publish_at == at
    # withdrawing a scheduled item cancels the schedule
    response = publisher.post(f"/items/{item.pk}/withdraw", {"reason": "暂缓发布"})
    assert response.json()["status"] == "approved"
    # now
    before = last_seq()
    response = publisher.post(f"/items/{item.pk}/publish", {"at": None})
    body = response.json()
    assert body["status"] == "published" and body["online"] and body["index_number"]
    assert body["published_revision_hash"] == body["current_revision"]["content_hash"]
    assert actions_since(before) == ["publishing.item.publish"]
    assert_error(publisher.post(f"/items/{item.pk}/publish", {}), 409, "invalid_state")
    # withdraw needs a reason
    assert_error(publisher.post(f"/items/{item.pk}/withdraw", {}), 400, field="reason")
    assert_error(publisher.post(f"/items/{item.pk}/withdraw", {"reason": "   "}), 400, field="reason")
    before = last_seq()
    body = publisher.post(f"/items/{item.pk}/withdraw", {"reason": "政策已废止"}).json()
    assert (body["status"], body["online"], body["offline_reason"]) == ("withdrawn", False, "政策已废止")
    assert actions_since(before) == ["publishing.item.withdraw"]
    assert_error(publisher.post(f"/items/{item.pk}/withdraw", {"reason": "再撤"}), 409, "invalid_state")


@pytest.mark.parametrize("at", ["明天", "2024-13-01T00:00:00", 20240101, "9999-12-31T23:59:59-23:59"])
def test_publish_at_must_be_a_datetime(world, at):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item)
    response = Api(world.publisher).post(f"/items/{item.pk}/publish", {"at": at})
    assert_error(response, 400, "invalid_input", field="at")
    assert reload(item).status == ItemStatus.APPROVED


def test_naive_publish_time_is_beijing_time(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item)
    with freeze_time("2026-03-01 00:00:00"):  # UTC; 08:00 in Shanghai
        response = Api(world.publisher).post(f"/items/{item.pk}/publish", {"at": "2026-03-01T09:30:00"})
    assert response.json()["status"] == "scheduled"
    assert timezone.localtime(reload(item).publish_at).strftime("%H:%M") == "09:30"


def test_audit_timeline_of_an_item(world):
    item = draft(world)
    api = Api(world.drafter)
    api.post(f"/items/{item.pk}/submit")
    approve_all(world, item)
    Api(world.publisher).post(f"/items/{item.pk}/publish")
    body = Api(world.auditor).get(f"/items/{item.pk}/audit").json()
    actions_ = [r["action"] for r in body["results"]]
    assert actions_ == (["workflow.item.create", "workflow.item.submit"]
                        + ["workflow.task.claim", "workflow.review.approve"] * 6
                        + ["workflow.task.claim", "workflow.secrecy.decide", "workflow.item.approve",
                           "publishing.item.publish"])
    assert body["count"] == len(actions_)
    seqs = [r["seq"] for r in body["results"]]
    assert seqs == sorted(seqs)
    first = body["results"][0]
    assert first["actor_name"] == "张起草" and first["to_state"] == "draft"
    assert first["revision_hash"] == reload(item).current_revision.content_hash
    approvals = [r for r in body["results"] if r["action"] == "workflow.review.approve"]
    assert [r["data"]["step"] for r in approvals] == ["proof_1", "proof_2", "proof_3", "first_review",
                                                      "second_review", "final_review"]
