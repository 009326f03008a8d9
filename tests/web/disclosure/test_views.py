"""Pages: list, register, detail with the deadline explanation, actions through the web, overdue list."""
import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time

from core.models import CalendarYear
from disclosure.models import Application, AppStatus
from tests.disclosure.test_calendar__deadlines import actions_of
from tests.factories import register, reload

D = datetime.date
pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


@freeze_time("2026-09-14 10:00")
def test_register_page_and_detail_explains_the_deadline(client, world):
    login(client, world.handler)
    assert client.get(reverse("disclosure:register")).status_code == 200
    resp = client.post(reverse("disclosure:register"), {
        "agency": world.dept.pk, "applicant_type": "research", "applicant_name": "安徽某研究院",
        "channel": "in_person", "received_date": "2026-09-14", "content": "申请公开2024年政务公开工作要点",
        "item_count": 1})
    app = Application.objects.get()
    assert resp.status_code == 302 and resp.url == reverse("disclosure:detail", args=[app.pk])
    page = client.get(resp.url).content.decode()
    assert "2026年10月16日" in page
    assert "国庆节调休上班" in page and "第 15 天" in page
    assert "登记申请" in page  # timeline label
    assert client.get(reverse("disclosure:list")).content.decode().count(app.number) == 1


@freeze_time("2026-09-14 10:00")
def test_register_errors_are_shown_in_chinese_and_nothing_is_stored(client, world):
    login(client, world.handler)
    resp = client.post(reverse("disclosure:register"), {
        "agency": world.dept.pk, "applicant_type": "natural_person", "applicant_name": "王某",
        "channel": "online", "received_date": "2026-09-15", "content": "x", "item_count": 1})
    assert resp.status_code == 400
    assert "不能晚于今天" in resp.content.decode()
    assert Application.objects.count() == 0


@pytest.mark.parametrize("who", ["drafter", "first", "publisher", "other_first"])
def test_people_without_a_request_role_cannot_register_or_read(client, world, who):
    app = register(world)
    login(client, world.people[who])
    assert client.get(reverse("disclosure:register")).status_code == 403
    # an application one may not read is a 404, like a missing one (no oracle, no agency named)
    response = client.get(reverse("disclosure:detail", args=[app.pk]))
    assert response.status_code == 404 and world.dept.name not in response.content.decode()
    assert client.get(reverse("disclosure:detail", args=[app.pk + 1000])).status_code == 404
    assert app.number not in client.get(reverse("disclosure:list")).content.decode()


@pytest.mark.parametrize("who", ["handler", "legal", "office", "auditor"])
def test_request_people_can_read(client, world, who):
    app = register(world)
    login(client, world.people[who])
    assert client.get(reverse("disclosure:detail", args=[app.pk])).status_code == 200


def test_anonymous_is_sent_to_log_in(client, world):
    app = register(world)
    resp = client.get(reverse("disclosure:detail", args=[app.pk]))
    assert resp.status_code == 302 and "/login/" in resp.url


def test_whole_cycle_through_the_web(client, world):
    app = register(world)
    url = lambda name: reverse("disclosure:act", args=[app.pk, name])  # noqa: E731
    with freeze_time("2026-03-09 10:00"):
        login(client, world.handler)
        resp = client.post(url("consult"), {"consult-kind": "third_party", "consult-party": "某公司",
                                            "consult-sent_date": "2026-03-09"})
        assert resp.status_code == 302
        pause = app.pauses.get()
    with freeze_time("2026-03-13 10:00"):
        client.post(url("consult_end"), {"consult_end-pause": pause.pk, "consult_end-received_date": "2026-03-13",
                                         "consult_end-opinion": "同意公开"})
        assert reload(app).due_date == D(2026, 4, 3)
        resp = client.post(url("legal"), {"legal-decision": "approve"})
        assert resp.status_code == 403  # the handler is not a legal reviewer
        resp = client.post(url("reply"), {"reply-outcome": "disclosed", "reply-body": "经审查，予以公开。"})
        assert resp.status_code == 302
        login(client, world.legal)
        page = client.get(reverse("disclosure:detail", args=[app.pk])).content.decode()
        assert "合法性审查" in page and 'name="legal-decision"' in page
        assert client.post(url("legal"), {"legal-decision": "approve", "legal-comment": "合法"}).status_code == 302
        login(client, world.office)
        assert client.post(url("sign"), {"sign-decision": "approve"}).status_code == 302
        login(client, world.handler)
        resp = client.post(url("deliver"), {"deliver-method": "email", "deliver-delivered_date": "2026-03-14"})
        assert resp.status_code == 400 and "不能晚于今天" in resp.content.decode()
        resp = client.post(url("deliver"), {"deliver-method": "email", "deliver-delivered_date": "2026-03-13",
                                            "deliver-note": "wang@example.com"})
        assert resp.status_code == 302
    app = reload(app)
    assert (app.status, app.outcome) == (AppStatus.CLOSED, "disclosed")
    assert actions_of(app) == [
        "disclosure.application.register", "disclosure.application.consult_start",
        "disclosure.application.consult_end", "disclosure.reply.draft", "disclosure.reply.legal_approve",
        "disclosure.reply.sign_off", "disclosure.reply.deliver"]


def test_state_error_is_409(client, world, app):
    login(client, world.handler)
    with freeze_time("2026-03-03"):
        resp = client.post(reverse("disclosure:act", args=[app.pk, "fee_paid"]), {"fee_paid-paid_date": "2026-03-03"})
    assert resp.status_code == 409


def test_overdue_page(client, world, app):
    login(client, world.office)
    with freeze_time("2026-03-31 10:00"):
        page = client.get(reverse("disclosure:overdue")).content.decode()
    assert app.number in page and "已超过答复期限（1）" in page
    login(client, world.other_first)
    with freeze_time("2026-03-31 10:00"):
        assert app.number not in client.get(reverse("disclosure:overdue")).content.decode()


def test_load_calendar_command_from_csv_recomputes(world, tmp_path):
    app = register(world, received=D(2026, 12, 15))
    assert app.due_provisional
    path = tmp_path / "2027.csv"
    path.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,holiday,春节\n", encoding="utf-8")
    with freeze_time("2026-12-20"):
        call_command("load_calendar", year=2027, csv=str(path), source="国务院办公厅通知")
    assert CalendarYear.objects.get(pk=2027).days.count() == 2
    app = reload(app)
    assert (app.due_date, app.due_provisional) == (D(2027, 1, 13), False)


def test_admin_edit_of_a_year_recomputes(client, world, admin_user):
    app = register(world, received=D(2026, 12, 15))
    with freeze_time("2026-12-20"):
        client.force_login(admin_user)
        resp = client.post(reverse("admin:core_calendaryear_add"), {
            "year": 2027, "source": "国办发明电",
            "days-TOTAL_FORMS": 1, "days-INITIAL_FORMS": 0, "days-MIN_NUM_FORMS": 0, "days-MAX_NUM_FORMS": 1000,
            "days-0-date": "2027-01-01", "days-0-kind": "holiday", "days-0-name": "元旦"})
    assert resp.status_code == 302
    assert reload(app).due_date == D(2027, 1, 13)
    assert actions_of(app)[-1] == "disclosure.application.deadline_recompute"



def test_detail_shows_fee_bands_supplement_and_masked_reply(client, world):
    from disclosure import actions

    app = register(world, received=D(2026, 3, 2))
    other = register(world, received=D(2026, 3, 2), applicant_name="李某")
    with freeze_time("2026-03-03 10:00"):
        actions.issue_fee_notice(actor=world.handler, application=app, method="per_volume", pages=120,
                                 notice_date=D(2026, 3, 3))
        actions.record_fee_payment(actor=world.handler, application=app, paid_date=D(2026, 3, 3))
        actions.draft_reply(actor=world.handler, application=app, outcome="partial", body="部分公开。",
                            disclosed_text="联系人电话13812345678", withheld="联系电话，条例第十五条")
        actions.request_supplement(actor=world.handler, application=other, requested_date=D(2026, 3, 3),
                                   items="请说明文件名称", applicant_due=D(2026, 3, 17))
        login(client, world.legal)
        page = client.get(reverse("disclosure:detail", args=[app.pk])).content.decode()
        assert "1100.00 元" in page and "第 101–120 页" in page
        assert "138****5678" in page and "13812345678" not in page
        page = client.get(reverse("disclosure:detail", args=[other.pk])).content.decode()
        assert "答复期限自收到补正之日起重新计算" in page and "请说明文件名称" in page
