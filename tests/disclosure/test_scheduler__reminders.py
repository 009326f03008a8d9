"""run_due_work(now): reminders once per day, overdue list, and the year arithmetic the annual report uses."""
import datetime

import pytest
from django.core import mail
from freezegun import freeze_time

from disclosure import actions
from disclosure.models import Application, Reminder
from tests.factories import register, reload

from .test_calendar__deadlines import actions_of
from .test_reply__review import REPLY_BODY

D = datetime.date
pytestmark = pytest.mark.django_db


def test_due_soon_then_overdue_reminders_once_a_day(world, app, django_capture_on_commit_callbacks):
    world.handler.email = "handler@example.gov.cn"
    world.handler.save()
    # Due Monday 30 March. Wednesday 25 March: 3 working days left -> due soon.
    with freeze_time("2026-03-24 09:00"):
        assert actions.run_due_work()["reminded_due_soon"] == 0
    with freeze_time("2026-03-25 09:00"), django_capture_on_commit_callbacks(execute=True):
        assert actions.run_due_work() == {"closed_no_supplement": 0, "closed_fee_unpaid": 0,
                                          "reminded_due_soon": 1, "reminded_overdue": 0}
        assert actions.run_due_work()["reminded_due_soon"] == 0  # the next tick the same day
    assert len(mail.outbox) == 1 and app.number in mail.outbox[0].subject
    with freeze_time("2026-03-31 09:00"):
        assert actions.run_due_work()["reminded_overdue"] == 1
        assert list(actions.overdue_for(world.handler)) == [app]
        assert list(actions.overdue_for(world.office)) == [app]  # office of the parent government
        assert list(actions.overdue_for(world.other_first)) == []
    assert list(Reminder.objects.values_list("kind", flat=True).order_by("on_date")) == ["due_soon", "overdue"]
    assert actions_of(app) == ["disclosure.application.register", "disclosure.application.remind_due_soon",
                               "disclosure.application.remind_overdue"]


def test_run_due_work_accepts_a_datetime(world, app):
    import zoneinfo

    now = datetime.datetime(2026, 3, 31, 1, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    with freeze_time("2026-03-31 09:00"):
        assert actions.run_due_work(now)["reminded_overdue"] == 1


def test_annual_report_year_arithmetic(world):
    a = register(world, received=D(2025, 12, 22))  # carried over into 2026, concluded in 2026
    b = register(world, received=D(2026, 3, 2))    # new in 2026, concluded in 2026
    c = register(world, received=D(2026, 12, 21))  # new in 2026, still open on 31 Dec
    with freeze_time("2026-01-05"):
        actions.draft_reply(actor=world.handler, application=a, outcome="disclosed", body=REPLY_BODY)
        actions.legal_review(actor=world.legal, application=a, approve=True)
        actions.sign_reply(actor=world.office, application=a, approve=True)
        actions.deliver_reply(actor=world.handler, application=a, method="email", delivered_date=D(2026, 1, 5))
    with freeze_time("2026-03-10"):
        actions.draft_reply(actor=world.handler, application=b, outcome="unable_not_held", body=REPLY_BODY)
        actions.legal_review(actor=world.legal, application=b, approve=True)
        actions.sign_reply(actor=world.office, application=b, approve=True)
        actions.deliver_reply(actor=world.handler, application=b, method="post", delivered_date=D(2026, 3, 10))
    qs = Application.objects.filter(agency=world.dept)
    assert set(qs.received_in(2026)) == {b, c}
    assert set(qs.carried_into(2026)) == {a}
    assert set(qs.concluded_in(2026)) == {a, b}
    assert set(qs.carried_out_of(2026)) == {c}
    assert set(qs.carried_out_of(2025)) == {a}
    assert reload(b).outcome == "unable_not_held"
    # row 一 + row 二 = row 三(七) + row 四
    assert qs.received_in(2026).count() + qs.carried_into(2026).count() == (
        qs.concluded_in(2026).count() + qs.carried_out_of(2026).count())
