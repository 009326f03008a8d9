"""Online applications (在线申请): submit, confirm receipt (条例第三十一条), the public query by number and code."""
import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from audit.models import AuditRecord
from core.errors import InvalidInput, NotAllowedForYou, NotAllowedInState
from disclosure import actions, online
from disclosure.codes import Outcome
from disclosure.models import AppStatus, OnlineApplication
from tests.factories import reload

D = datetime.date
pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100

PERSON = {"applicant_type": "natural_person", "applicant_name": "王小明", "id_type": "id_card",
          "id_number": "34170219800101123X", "phone": "13812345678", "email": "wxm@example.com",
          "address": "安徽省宿州市埇桥区某路1号", "postcode": "234000", "content": "宿州市2024年政务公开工作要点",
          "purpose": "学习研究", "delivery_form": "electronic", "delivery_way": "online"}


def id_doc(content=PNG, name="身份证.png"):
    return SimpleUploadedFile(name, content, content_type="image/png")


def submit(world, ip="10.0.0.1", **data):
    with freeze_time("2026-03-02 09:00:00+08:00"):
        return online.submit_online_application(agency=world.dept, data={**PERSON, **data}, id_document=id_doc(),
                                                ip=ip, privacy_consent=True)


def test_submit_gives_number_and_code_and_stores_only_a_hash(world):
    sub, code = submit(world)
    assert sub.number.startswith("WS20260302") and len(code) == 12
    assert code not in sub.query_code_hash and sub.status == OnlineApplication.Status.SUBMITTED
    rec = AuditRecord.objects.get(action="disclosure.online.submit")
    assert PERSON["id_number"] not in str(rec.data) and PERSON["phone"] not in str(rec.data)
    assert online.find(sub.number, code) == sub
    assert online.find(sub.number, code.lower()) == sub  # codes are read out: case does not matter


def test_wrong_code_and_missing_number_answer_alike(world):
    sub, code = submit(world)
    assert online.find(sub.number, "WRONGCODE234") is None
    assert online.find("WS20990101000000", code) is None
    assert online.find(sub.number, "") is None


@pytest.mark.parametrize(("change", "field"), [
    ({"applicant_type": "x"}, "applicant_type"),
    ({"id_number": "123"}, "id_number"),
    ({"applicant_type": "commercial"}, "id_type"),
    ({"applicant_type": "commercial", "id_type": "credit_code", "id_number": "91341700MA2N0XXXXX"},
     "legal_representative"),
    ({"phone": "abc"}, "phone"),
    ({"delivery_way": "post", "address": ""}, "address"),
    ({"content": ""}, "content"),
    ({"content": "长" * 5001}, "content"),
])
def test_art29_fields_are_checked(world, change, field):
    with pytest.raises(InvalidInput) as err:
        submit(world, **change)
    assert field in err.value.errors
    assert OnlineApplication.objects.count() == 0


def test_legal_person_applies_with_credit_code(world):
    sub, _ = submit(world, applicant_type="commercial", applicant_name="宿州某某科技有限公司", id_type="credit_code",
                    id_number="91341700ma2n0abc1x", legal_representative="李四")
    assert sub.id_number == "91341700MA2N0ABC1X"


@pytest.mark.parametrize(("content", "name"), [(b"GIF89a....", "a.png"), (PNG, "a.exe"),
                                               (b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024), "big.jpg")])
def test_identity_document_is_checked(world, content, name):
    with pytest.raises(InvalidInput) as err:
        online.submit_online_application(agency=world.dept, data=PERSON, id_document=id_doc(content, name),
                                         ip="1.1.1.1", privacy_consent=True)
    assert err.value.field == "id_document"


def test_privacy_consent_required(world):
    with pytest.raises(InvalidInput):
        online.submit_online_application(agency=world.dept, data=PERSON, id_document=id_doc(), ip="1.1.1.1",
                                         privacy_consent=False)


def test_abuse_limits_per_address_and_identity(world, settings):
    settings.SHENFA = {**settings.SHENFA, "ONLINE_APPLY_PER_ADDRESS_PER_DAY": 2, "ONLINE_APPLY_PER_IDENTITY_PER_DAY": 3}
    submit(world, ip="10.0.0.9")
    submit(world, ip="10.0.0.9")
    with pytest.raises(online.TooManyRequests):
        submit(world, ip="10.0.0.9")
    submit(world, ip="10.0.0.10")  # the same identity from another address: third of three
    with pytest.raises(online.TooManyRequests) as err:
        submit(world, ip="10.0.0.11")
    assert err.value.status == 429 and "证件" in err.value.message


@pytest.mark.parametrize("who", ["legal", "office", "auditor", "other_first", "drafter", "anonymous"])
def test_only_the_agencys_handler_confirms_receipt(world, who):
    sub, _ = submit(world)
    actor = AnonymousUser() if who == "anonymous" else world.people[who]
    assert not online.submissions_for(actor).exists()  # the identity data is for the handler only
    with freeze_time("2026-03-03 10:00:00+08:00"), pytest.raises(NotAllowedForYou):
        online.confirm_receipt(actor=actor, online=sub)


def test_confirm_receipt_starts_the_clock_on_that_day(world):
    sub, code = submit(world)
    assert online.public_status(sub)["stage"].startswith("已提交")
    with freeze_time("2026-03-04 10:00:00+08:00"):
        app = online.confirm_receipt(actor=world.handler, online=sub)
        with pytest.raises(NotAllowedInState):
            online.confirm_receipt(actor=world.handler, online=sub)
    assert (app.received_date, app.channel, app.applicant_id_number) == (D(2026, 3, 4), "online", PERSON["id_number"])
    assert "确认收到之日" in app.deadline_calc["start_reason"]
    assert app.delivery_way == "online"
    status = online.public_status(reload(sub))
    assert status["due"] == app.due_date and status["stage"] == "办理中"
    actions_ = list(AuditRecord.objects.order_by("seq").values_list("action", flat=True))
    assert actions_ == ["disclosure.online.submit", "disclosure.application.register", "disclosure.online.confirm"]


def test_confirm_date_not_before_submission(world):
    sub, _ = submit(world)
    with freeze_time("2026-03-04 10:00:00+08:00"), pytest.raises(InvalidInput):
        online.confirm_receipt(actor=world.handler, online=sub, received_date=D(2026, 3, 1))


def test_status_shows_what_the_applicant_must_do_and_letters(world):
    sub, code = submit(world)
    with freeze_time("2026-03-04 10:00:00+08:00"):
        app = online.confirm_receipt(actor=world.handler, online=sub)
        actions.request_supplement(actor=world.handler, application=app, requested_date=D(2026, 3, 4),
                                   items="请写明文件的年份", applicant_due=D(2026, 3, 18))
    status = online.public_status(reload(sub))
    assert status["stage"] == "待您补正" and "请写明文件的年份" in status["todo"][0]
    assert [letter.title for letter in status["letters"]] == ["补正申请告知书"]
    assert status["letters"][0].doc_number == f"{world.dept.name}依申请公开〔2026〕1号"


def test_reply_letter_only_after_delivery(world):
    sub, code = submit(world)
    with freeze_time("2026-03-04 10:00:00+08:00"):
        app = online.confirm_receipt(actor=world.handler, online=sub)
        actions.draft_reply(actor=world.handler, application=app, outcome=Outcome.DISCLOSED,
                            disclosed_text="见附件")
        actions.legal_review(actor=world.legal, application=app, approve=True)
        actions.sign_reply(actor=world.office, application=app, approve=True)
        assert online.public_status(reload(sub))["letters"] == []
        actions.deliver_reply(actor=world.handler, application=app, method="online", delivered_date=D(2026, 3, 4))
    status = online.public_status(reload(sub))
    assert status["stage"] == "已办结" and len(status["letters"]) == 1
    assert reload(app).status == AppStatus.CLOSED
    assert io.BytesIO(status["letters"][0].pdf.read()).read(4) == b"%PDF"
