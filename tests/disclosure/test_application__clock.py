"""Supplement restarts the clock, consultation stops it, one extension lengthens it (条例第三十至三十四条)."""
import datetime

import pytest
from freezegun import freeze_time

from core.errors import InvalidInput, NotAllowedInState
from disclosure import actions
from disclosure.codes import Outcome
from disclosure.models import AppStatus, ExtensionStatus, Pause
from tests.factories import reload

from .test_calendar__deadlines import actions_of

D = datetime.date
pytestmark = pytest.mark.django_db

# Received Monday 2 March 2026: 20 working days end Monday 30 March; 补正 must be asked by 11 March.


def test_register_sets_due_date_and_supplement_limit(app):
    assert app.due_date == D(2026, 3, 30)
    assert app.supplement_due_date == D(2026, 3, 11)
    assert app.status == AppStatus.PROCESSING
    assert app.number.endswith("/YSQ2026-00001")
    assert actions_of(app) == ["disclosure.application.register"]


@freeze_time("2026-03-11")
def test_supplement_restarts_the_clock_from_its_receipt(world, app):
    app = actions.request_supplement(actor=world.handler, application=app, requested_date=D(2026, 3, 11),
                                     items="请明确所需文件的名称或文号", applicant_due=D(2026, 3, 25))
    assert app.status == AppStatus.AWAITING_SUPPLEMENT
    assert app.due_date is None
    with freeze_time("2026-03-20"):
        app = actions.receive_supplement(actor=world.handler, application=app, received_date=D(2026, 3, 20),
                                         text="所需文件为宿政办发〔2024〕5号")
    # 23-27 Mar (5), 30 Mar-3 Apr (10), 6 Apr 清明 off, 7-10 (14), 13-17 (19), 20 Apr (20).
    assert app.clock_start == D(2026, 3, 20)
    assert app.due_date == D(2026, 4, 20)
    assert app.deadline_calc["start_reason"].startswith("收到补正之日")
    assert app.status == AppStatus.PROCESSING
    assert actions_of(app) == ["disclosure.application.register", "disclosure.application.request_supplement",
                               "disclosure.application.receive_supplement"]


@freeze_time("2026-03-12")
def test_supplement_request_after_seven_working_days_is_refused(world, app):
    with pytest.raises(InvalidInput) as exc:
        actions.request_supplement(actor=world.handler, application=app, requested_date=D(2026, 3, 12),
                                   items="请明确", applicant_due=D(2026, 3, 26))
    assert "7个工作日" in exc.value.message
    assert reload(app).status == AppStatus.PROCESSING


@freeze_time("2026-03-05")
def test_supplement_only_once(world, app):
    actions.request_supplement(actor=world.handler, application=app, requested_date=D(2026, 3, 5),
                               items="请明确", applicant_due=D(2026, 3, 19))
    actions.receive_supplement(actor=world.handler, application=app, received_date=D(2026, 3, 5))
    with pytest.raises(NotAllowedInState):
        actions.request_supplement(actor=world.handler, application=app, requested_date=D(2026, 3, 5),
                                   items="再次补正", applicant_due=D(2026, 3, 19))


def test_no_supplement_in_time_closes_with_outcome_six_one(world, app):
    with freeze_time("2026-03-04"):
        actions.request_supplement(actor=world.handler, application=app, requested_date=D(2026, 3, 4),
                                   items="请明确", applicant_due=D(2026, 3, 18))
    with freeze_time("2026-03-18 10:00"):
        assert actions.run_due_work()["closed_no_supplement"] == 0
    with freeze_time("2026-03-19 08:00"):
        counts = actions.run_due_work()
        with pytest.raises(NotAllowedInState):  # late supplement after closure
            actions.receive_supplement(actor=world.handler, application=app, received_date=D(2026, 3, 19),
                                       late_reason="邮寄延误")
    assert counts["closed_no_supplement"] == 1
    app = reload(app)
    assert (app.status, app.outcome, app.replied_date) == (AppStatus.CLOSED, Outcome.OTHER_NO_SUPPLEMENT,
                                                          D(2026, 3, 19))
    assert actions_of(app)[-1] == "disclosure.application.close_no_supplement"


def test_late_supplement_needs_a_reason(world, app):
    with freeze_time("2026-03-04"):
        actions.request_supplement(actor=world.handler, application=app, requested_date=D(2026, 3, 4),
                                   items="请明确", applicant_due=D(2026, 3, 10))
    with freeze_time("2026-03-11"):
        with pytest.raises(InvalidInput):
            actions.receive_supplement(actor=world.handler, application=app, received_date=D(2026, 3, 11))
        app = actions.receive_supplement(actor=world.handler, application=app, received_date=D(2026, 3, 11),
                                         late_reason="因住院无法按期补正，附证明")
    assert app.clock_start == D(2026, 3, 11)


def test_consultation_stops_the_clock(world, app):
    with freeze_time("2026-03-09"):
        pause = actions.start_consultation(actor=world.handler, application=app, kind=Pause.Kind.THIRD_PARTY,
                                           party="宿州某某建设有限公司", sent_date=D(2026, 3, 9))
    # Open: assumed to run its 15 working days (10-30 Mar), so the reply is due 15 working days later.
    assert pause.limit_date == D(2026, 3, 30)
    assert reload(app).due_date == D(2026, 4, 21)  # 31 Mar-3 Apr (4), 6 Apr off, 7-10 (8), 13-17 (13), 20-21
    with freeze_time("2026-03-13"):
        actions.end_consultation(actor=world.handler, pause=pause, received_date=D(2026, 3, 13),
                                 opinion="不同意公开涉及本公司报价的内容")
    app = reload(app)
    # 10-13 Mar (4 working days) do not count: 30 Mar + 4 = 3 Apr.
    assert app.due_date == D(2026, 4, 3)
    assert app.deadline_calc["summary"]["paused"] == 4
    assert actions_of(app) == ["disclosure.application.register", "disclosure.application.consult_start",
                               "disclosure.application.consult_end"]


def test_consultation_answered_late_counts_only_fifteen_days(world, app):
    with freeze_time("2026-03-09"):
        pause = actions.start_consultation(actor=world.handler, application=app, kind=Pause.Kind.OTHER_AGENCY,
                                           party="宿州市财政局", sent_date=D(2026, 3, 9))
    with freeze_time("2026-04-02"):
        actions.end_consultation(actor=world.handler, pause=pause, received_date=D(2026, 4, 2), opinion="同意")
        with pytest.raises(NotAllowedInState):
            actions.end_consultation(actor=world.handler, pause=pause, received_date=D(2026, 4, 2))
    assert reload(app).due_date == D(2026, 4, 21)


def test_extension_requested_then_approved_by_office_head(world, app):
    with freeze_time("2026-03-20"):
        app = actions.request_extension(actor=world.handler, application=app, days=20,
                                        reason="申请公开的信息涉及多个部门，需调取档案")
        assert app.due_date == D(2026, 3, 30)
        app = actions.decide_extension(actor=world.office, application=app, approve=True, comment="同意延期")
    # 31 Mar-3 Apr (4), 6 Apr off, 7-10 (8), 13-17 (13), 20-24 (18), 27-28 Apr (20).
    assert app.due_date == D(2026, 4, 28)
    assert (app.extension_status, app.extension_days) == (ExtensionStatus.APPROVED, 20)
    with freeze_time("2026-03-23"), pytest.raises(NotAllowedInState):
        actions.request_extension(actor=world.handler, application=app, days=5, reason="再延")
    assert actions_of(app) == ["disclosure.application.register", "disclosure.application.request_extension",
                               "disclosure.application.approve_extension"]


@freeze_time("2026-03-20")
def test_extension_limits(world, app):
    for days in (0, 21, "x"):
        with pytest.raises(InvalidInput):
            actions.request_extension(actor=world.handler, application=app, days=days, reason="理由")
    with pytest.raises(InvalidInput):
        actions.request_extension(actor=world.handler, application=app, days=10, reason=" ")
    actions.request_extension(actor=world.handler, application=app, days=10, reason="理由")
    with pytest.raises(InvalidInput):  # refusal needs a reason
        actions.decide_extension(actor=world.office, application=app, approve=False)
    app = actions.decide_extension(actor=world.office, application=app, approve=False, comment="理由不充分")
    assert (app.extension_status, app.due_date) == (ExtensionStatus.REJECTED, D(2026, 3, 30))
    assert actions_of(app)[-1] == "disclosure.application.reject_extension"


def test_extension_after_the_period_is_refused(world, app):
    with freeze_time("2026-03-31"), pytest.raises(NotAllowedInState):
        actions.request_extension(actor=world.handler, application=app, days=10, reason="理由")
    with freeze_time("2026-03-30"):
        actions.request_extension(actor=world.handler, application=app, days=10, reason="理由")
    with freeze_time("2026-03-31"), pytest.raises(NotAllowedInState):
        actions.decide_extension(actor=world.office, application=app, approve=True)
