"""Working-day deadlines on the real State Council schedule (seeded from chinese-calendar)."""
import datetime

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from freezegun import freeze_time

from audit.models import AuditRecord
from core.calendar import WorkCalendar
from core.models import CalendarDay, CalendarYear
from disclosure import actions
from tests.factories import register, reload

D = datetime.date
pytestmark = pytest.mark.django_db


def actions_of(app):
    return list(AuditRecord.objects.filter(subject_type="disclosure.application", subject_id=str(app.pk))
                .order_by("seq").values_list("action", flat=True))


def test_seeded_2026_schedule_matches_state_council_notice():
    cal = WorkCalendar.load()
    assert {2004, 2026} <= cal.years and 2027 not in cal.years
    # National Day + Mid-Autumn 2026: 1-7 October off; make-up workdays Sunday 20 September, Saturday 10 October.
    assert [cal.is_working_day(D(2026, 10, d)) for d in range(1, 8)] == [False] * 7
    assert cal.is_working_day(D(2026, 9, 20)) and D(2026, 9, 20).weekday() == 6
    assert cal.is_working_day(D(2026, 10, 10)) and D(2026, 10, 10).weekday() == 5
    assert not cal.is_working_day(D(2026, 10, 11))
    assert not cal.is_working_day(D(2026, 9, 25))  # 中秋节, a Friday
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆节"


def test_deadline_across_2026_national_day_counts_make_up_days(world):
    app = register(world, received=D(2026, 9, 14))
    # 15-18 Sep (4), Sun 20 Sep make-up (5), 21-24 (9), 25 Sep Mid-Autumn off, 28-30 (12),
    # 1-7 Oct off, 8-9 Oct (14), Sat 10 Oct make-up (15), 12-16 Oct (20).
    assert app.due_date == D(2026, 10, 16)
    assert app.due_provisional is False
    steps = {s["date"]: s for s in app.deadline_calc["steps"]}
    assert steps["2026-09-20"]["kind"] == "makeup" and steps["2026-09-20"]["n"] == 5
    assert steps["2026-10-10"]["kind"] == "makeup" and steps["2026-10-10"]["n"] == 15
    assert steps["2026-10-01"]["kind"] == "holiday" and steps["2026-10-01"]["n"] is None
    assert steps["2026-10-16"]["n"] == 20
    assert app.deadline_calc["summary"]["makeup"] == 2
    assert app.deadline_calc["summary"]["holiday"] == 10  # 25-27 Sep and 1-7 Oct, as listed in the notice
    assert app.deadline_calc["summary"]["weekend"] == 2  # Sat 19 Sep, Sun 11 Oct
    assert actions_of(app) == ["disclosure.application.register"]


@override_settings(SHENFA={**django_settings.SHENFA, "REQUEST_REPLY_WORKING_DAYS": 15})
def test_local_15_day_limit_can_end_on_a_make_up_saturday(world):
    app = register(world, received=D(2026, 9, 14))
    assert app.reply_working_days == 15
    assert app.due_date == D(2026, 10, 10)


def test_deadline_into_2027_is_provisional_until_the_schedule_is_loaded(world, admin_user):
    app = register(world, received=D(2026, 12, 15))
    # 16-18 Dec (3), 21-25 (8), 28-31 (12), 2027 unknown: Fri 1 Jan counted (13), 4-8 (18), 11-12 (20).
    assert app.due_date == D(2027, 1, 12)
    assert app.due_provisional is True
    assert app.deadline_calc["unknown_years"] == [2027]
    # when: the administrator loads 2027 (1 Jan a holiday)
    with freeze_time("2026-12-20"):
        changed = actions.load_calendar_year(actor=admin_user, year=2027, source="国办发明电〔2026〕X号",
                                             days=[(D(2027, 1, 1), "holiday", "元旦")])
    # then
    app = reload(app)
    assert changed == 1
    assert app.due_date == D(2027, 1, 13)
    assert app.due_provisional is False
    assert actions_of(app) == ["disclosure.application.register", "disclosure.application.deadline_recompute"]
    rec = AuditRecord.objects.filter(action="disclosure.application.deadline_recompute").get()
    assert (rec.from_state, rec.to_state) == ("2027-01-12", "2027-01-13")
    assert list(AuditRecord.objects.order_by("-seq").values_list("action", flat=True)[:2]) == [
        "disclosure.application.deadline_recompute", "disclosure.calendar.change"]
    # An unchanged reload changes no deadline and audits only the calendar change.
    with freeze_time("2026-12-20"):
        assert actions.calendar_changed(actor=admin_user, year=2027) == 0
    assert actions_of(app).count("disclosure.application.deadline_recompute") == 1


def test_loading_a_calendar_needs_an_administrator(world):
    from core.errors import NotAllowedForYou

    for name in ("handler", "office", "legal", "drafter", "other_first"):
        with pytest.raises(NotAllowedForYou):
            actions.load_calendar_year(actor=world.people[name], year=2027, days=[], source="x")
    assert not CalendarYear.objects.filter(pk=2027).exists()


def test_bad_calendar_rows_store_nothing(admin_user):
    from core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        actions.load_calendar_year(actor=admin_user, year=2027, source="x",
                                   days=[(D(2027, 1, 1), "holiday", "元旦"), (D(2028, 1, 1), "holiday", "元旦")])
    with pytest.raises(InvalidInput):
        actions.load_calendar_year(actor=admin_user, year=2027, source="x", days=[(D(2027, 1, 1), "off", "")])
    assert not CalendarYear.objects.filter(pk=2027).exists()
    assert not AuditRecord.objects.filter(action="disclosure.calendar.change").exists()


def test_unknown_year_counts_weekends_only():
    cal = WorkCalendar.load()
    calc = cal.add_working_days(D(2027, 9, 30), 5)
    # 2027 unknown: 1 Oct (Fri) counted, 2-3 weekend, 4-7 counted.
    assert calc.due == D(2027, 10, 7) and calc.provisional and calc.unknown_years == [2027]


def test_working_days_between():
    cal = WorkCalendar.load()
    assert cal.working_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 2
    assert cal.working_days_between(D(2026, 10, 9), D(2026, 10, 12)) == 2  # Sat 10 Oct make-up
    assert cal.working_days_between(D(2026, 10, 12), D(2026, 10, 9)) == -2
