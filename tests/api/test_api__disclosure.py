"""Disclosure on request through the API: register, the reply clock (supplement, consultation, extension,
fee), the reply's review and delivery, appeal cases; dates are Beijing dates and bounded."""
import datetime

from freezegun import freeze_time

from disclosure.models import Application
from tests.factories import last_seq

from .conftest import Api, actions_since, assert_error

D = datetime.date


def _register(world, **data):
    payload = {"agency": world.dept.pk, "applicant_type": "natural_person", "applicant_name": "王某某",
               "channel": "online", "received_date": "2026-03-02",
               "content": "申请公开《宿州市2024年政务公开工作要点》及其起草说明。", **data}
    return Api(world.handler).post("/applications", payload)


@freeze_time("2026-03-02 10:00:00+08:00")
def test_register_and_read_the_deadline_with_its_calculation(world):
    before = last_seq()
    response = _register(world)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith(f"{world.dept.code}/YSQ2026-") and body["status"] == "processing"
    assert body["due_date"] == "2026-03-30" and body["deadline_calc"]["total"] == 20
    assert [r["action"] for r in body["timeline"]] == ["disclosure.application.register"]
    assert actions_since(before) == ["disclosure.application.register"]
    listed = Api(world.legal).get("/applications", {"status": "open"}).json()
    assert [a["id"] for a in listed["results"]] == [body["id"]]
    assert Api(world.legal).get("/applications", {"q": "不存在的文字"}).json()["count"] == 0


@freeze_time("2026-03-02 10:00:00+08:00")
def test_register_input_errors(world):
    assert_error(_register(world, received_date="2026-03-03"), 400, "invalid_input", field="received_date")  # future
    assert_error(_register(world, received_date="1900-01-01"), 400, field="received_date")
    assert_error(_register(world, applicant_type="robot"), 400, field="applicant_type")
    assert_error(_register(world, item_count=0), 400, field="item_count")
    assert_error(_register(world, item_count="3"), 400, field="item_count")
    assert_error(_register(world, applicant_name=""), 400, field="applicant_name")
    assert_error(_register(world, agency=99999), 400, field="agency")
    assert_error(Api(world.first).post("/applications", {"agency": world.dept.pk, "applicant_type": "natural_person",
                                                         "applicant_name": "王某某", "channel": "online",
                                                         "received_date": "2026-03-02", "content": "x"}),
                 403, "permission_denied")
    assert Application.objects.count() == 0


def test_the_whole_clock_supplement_consultation_extension_fee_reply(world):
    with freeze_time("2026-03-02 10:00:00+08:00"):
        app = _register(world, item_count=15).json()["id"]
    handler = Api(world.handler)
    path = f"/applications/{app}"
    with freeze_time("2026-03-04 10:00:00+08:00"):
        body = handler.post(f"{path}/supplement-request", {"requested_date": "2026-03-04", "items": "请说明文号",
                                                           "applicant_due": "2026-03-20"}).json()
        assert body["status"] == "awaiting_supplement"
        assert_error(handler.post(f"{path}/supplement-request", {"requested_date": "2026-03-04", "items": "再补",
                                                                 "applicant_due": "2026-03-20"}), 409)
    with freeze_time("2026-03-09 10:00:00+08:00"):
        body = handler.post(f"{path}/supplement-receipt", {"received_date": "2026-03-09", "text": "文号为5号"}).json()
        assert body["clock_start"] == "2026-03-09" and body["status"] == "processing"
        body = handler.post(f"{path}/consultations", {"kind": "third_party", "party": "宿州某公司",
                                                      "sent_date": "2026-03-09"}).json()
        pause = body["pauses"][0]["id"]
    with freeze_time("2026-03-13 10:00:00+08:00"):
        assert_error(handler.post(f"{path}/consultations/999999/end", {"received_date": "2026-03-13"}), 404)
        body = handler.post(f"{path}/consultations/{pause}/end", {"received_date": "2026-03-13",
                                                                  "opinion": "同意公开"}).json()
        assert body["pauses"][0]["ended"] == "2026-03-13"
        assert_error(handler.post(f"{path}/extension-request", {"days": 30, "reason": "x"}), 400, field="days")
        handler.post(f"{path}/extension-request", {"days": 10, "reason": "需调取档案"})
        assert_error(Api(world.handler).post(f"{path}/extension-decision", {"approve": True}), 403)
        due_before = Api(world.office).get(path).json()["due_date"]
        body = Api(world.office).post(f"{path}/extension-decision", {"approve": True}).json()
        assert body["extension_status"] == "approved" and body["due_date"] > due_before
        quote = handler.get(f"{path}/fee-quote", {"method": "per_item"}).json()
        assert quote["amount"] == "500" and quote["calc"]["units"] == 15
        assert_error(handler.get(f"{path}/fee-quote", {"method": "per_volume"}), 400, field="pages")
        body = handler.post(f"{path}/fee-notice", {"method": "per_item", "notice_date": "2026-03-13"}).json()
        assert body["status"] == "awaiting_fee" and body["fee_amount"] == "500.00"
    with freeze_time("2026-03-16 10:00:00+08:00"):
        body = handler.post(f"{path}/fee-payment", {"paid_date": "2026-03-16"}).json()
        assert body["status"] == "processing" and body["fee_paid_date"] == "2026-03-16"
        assert_error(handler.post(f"{path}/replies", {"outcome": "partial", "body": "部分公开。"}), 400,
                     field="disclosed_text")
        body = handler.post(f"{path}/replies", {"outcome": "partial", "body": "部分公开。",
                                                "disclosed_text": "联系人：林小红，电话13812345678",
                                                "withheld": "联系人电话，条例第十五条"}).json()
        reply = body["replies"][0]
        assert body["status"] == "legal_review" and reply["mask_count"] >= 1
        assert "13812345678" not in reply["disclosed_text_masked"]
        assert_error(Api(world.legal).post(f"{path}/legal-review", {"approve": False}), 400, field="comment")
        Api(world.legal).post(f"{path}/legal-review", {"approve": True, "comment": "依据准确"})
        Api(world.office).post(f"{path}/sign-off", {"approve": True})
        before = last_seq()
        body = handler.post(f"{path}/delivery", {"method": "email", "delivered_date": "2026-03-16"}).json()
    assert (body["status"], body["outcome"], body["replied_date"]) == ("closed", "partial", "2026-03-16")
    assert body["replies"][0]["archive_number"].endswith("-1")
    assert actions_since(before) == ["disclosure.reply.deliver"]
    assert [r["action"].rsplit(".", 1)[1] for r in body["timeline"]] == [
        "register", "request_supplement", "receive_supplement", "consult_start", "consult_end",
        "request_extension", "approve_extension", "fee_notice", "fee_paid", "draft", "legal_approve", "sign_off",
        "deliver"]


def test_lapsed_supplement_closes_the_application(world):
    with freeze_time("2026-03-02 10:00:00+08:00"):
        app = _register(world).json()["id"]
        Api(world.handler).post(f"/applications/{app}/supplement-request", {
            "requested_date": "2026-03-02", "items": "请补充", "applicant_due": "2026-03-10"})
        assert_error(Api(world.handler).post(f"/applications/{app}/close-no-supplement", {}), 409, "invalid_state")
    with freeze_time("2026-03-20 10:00:00+08:00"):
        body = Api(world.handler).post(f"/applications/{app}/close-no-supplement", {}).json()
    assert (body["status"], body["outcome"]) == ("closed", "other_no_supplement")


def test_appeal_cases(world):
    office = Api(world.office)
    assert_error(office.post("/appeals", {"agency": world.dept.pk, "kind": "reconsideration",
                                          "filed_date": "2026-01-05", "result": "maintained"}), 400,
                 "invalid_input", field="closed_date")
    response = office.post("/appeals", {"agency": world.dept.pk, "kind": "litigation_direct",
                                        "filed_date": "2026-01-05", "case_number": "（2026）皖1302行初5号"})
    assert response.status_code == 201, response.content
    case = response.json()["id"]
    assert_error(Api(world.auditor).patch(f"/appeals/{case}", {"result": "maintained"}), 403, "permission_denied")
    before = last_seq()
    body = office.patch(f"/appeals/{case}", {"result": "corrected", "closed_date": "2026-06-30"}).json()
    assert (body["result"], body["closed_date"]) == ("corrected", "2026-06-30")
    assert actions_since(before) == ["audit.appeal.update"]
    assert [c["id"] for c in Api(world.auditor).get("/appeals").json()["results"]] == [case]
    assert Api(world.drafter).get("/appeals").json()["count"] == 0
    assert_error(Api(world.drafter).patch(f"/appeals/{case}", {"result": "other"}), 404, "not_found")
