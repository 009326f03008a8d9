"""条例第三十五条: mark an application as excessive, ask for reasons (time not counted), then a later reasonable
date or "not processed" (table 三 row （五）4, counted by the report through codes.ART35_REFUSED_OUTCOME)."""
import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from freezegun import freeze_time

from core.errors import InvalidInput, NotAllowedForYou, NotAllowedInState
from disclosure import actions
from disclosure.codes import ART35_REFUSED_OUTCOME, OUTCOME_ROW, Outcome
from disclosure.models import Application, AppStatus, ExcessiveDecision, Pause
from tests.factories import register, reload

from .test_calendar__deadlines import actions_of

D = datetime.date
pytestmark = pytest.mark.django_db


def mark(world, app, actor=None, **kw):
    kw = {"reason": "同一申请人一个月内提出300件申请", "asked_date": D(2026, 3, 3), "explanation_due": D(2026, 3, 10),
          **kw}
    return actions.mark_excessive(actor=actor or world.handler, application=app, **kw)


@freeze_time("2026-03-03 10:00:00+08:00")
def test_mark_asks_for_reasons_and_pauses_the_clock(world):
    app = register(world)
    due = app.due_date
    app = mark(world, app)
    assert app.status == AppStatus.AWAITING_EXPLANATION and app.excessive_decision == ExcessiveDecision.ASKED
    pause = app.pauses.get(kind=Pause.Kind.EXPLANATION)
    assert pause.limit_date == D(2026, 3, 10) and app.due_date > due
    with pytest.raises(NotAllowedInState):
        actions.draft_reply(actor=world.handler, application=app, outcome=Outcome.DISCLOSED)


@pytest.mark.parametrize("who", ["legal", "office", "auditor", "other_first", "drafter", "anonymous"])
@freeze_time("2026-03-03 10:00:00+08:00")
def test_only_the_handler_applies_art35(world, who):
    app = register(world)
    actor = AnonymousUser() if who == "anonymous" else world.people[who]
    with pytest.raises(NotAllowedForYou):
        mark(world, app, actor=actor)
    mark(world, app)
    with pytest.raises(NotAllowedForYou):
        actions.decide_excessive(actor=actor, application=app, reasonable=False, decided_date=D(2026, 3, 3),
                                 explanation="x")


@freeze_time("2026-03-03 10:00:00+08:00")
def test_bad_input(world):
    app = register(world)
    with pytest.raises(InvalidInput):
        mark(world, app, reason=" ")
    with pytest.raises(InvalidInput):
        mark(world, app, explanation_due=D(2026, 3, 3))
    with pytest.raises(InvalidInput):
        mark(world, app, asked_date=D(2026, 3, 4))  # future
    app = mark(world, app)
    with pytest.raises(NotAllowedInState):
        mark(world, app)
    with pytest.raises(InvalidInput):  # no explanation yet and the period is running
        actions.decide_excessive(actor=world.handler, application=app, reasonable=False, decided_date=D(2026, 3, 3))
    with pytest.raises(InvalidInput):  # reasonable needs a later date
        actions.decide_excessive(actor=world.handler, application=app, reasonable=True, decided_date=D(2026, 3, 3),
                                 explanation="研究需要")
    assert reload(app).status == AppStatus.AWAITING_EXPLANATION


def test_reasonable_sets_a_later_due_date(world):
    app = register(world)
    with freeze_time("2026-03-03 10:00:00+08:00"):
        mark(world, app)
    with freeze_time("2026-03-05 10:00:00+08:00"):
        app = actions.decide_excessive(actor=world.handler, application=app, reasonable=True,
                                       decided_date=D(2026, 3, 5), explanation="课题研究需要",
                                       later_date=D(2026, 6, 30))
    assert app.status == AppStatus.PROCESSING and app.due_date == D(2026, 6, 30)
    assert app.deadline_calc["excessive_later"] == "2026-06-30"
    assert app.excessive_decision == ExcessiveDecision.LATER
    with freeze_time("2026-06-01 10:00:00+08:00"), pytest.raises(InvalidInput):
        actions.draft_reply(actor=world.handler, application=app, outcome=ART35_REFUSED_OUTCOME)


def test_no_reasons_in_time_means_not_processed_and_the_report_row(world):
    app = register(world)
    with freeze_time("2026-03-03 10:00:00+08:00"):
        with pytest.raises(InvalidInput):  # 不予处理 as excessive needs the Art. 35 procedure first
            actions.draft_reply(actor=world.handler, application=app, outcome=ART35_REFUSED_OUTCOME)
        mark(world, app)
    with freeze_time("2026-03-11 10:00:00+08:00"):
        app = actions.decide_excessive(actor=world.handler, application=app, reasonable=False,
                                       decided_date=D(2026, 3, 11))
        assert app.excessive_decision == ExcessiveDecision.REFUSED and app.status == AppStatus.PROCESSING
        actions.draft_reply(actor=world.handler, application=app, outcome=ART35_REFUSED_OUTCOME)
        actions.legal_review(actor=world.legal, application=app, approve=True)
        actions.sign_reply(actor=world.office, application=app, approve=True)
        actions.deliver_reply(actor=world.handler, application=app, method="post", delivered_date=D(2026, 3, 11))
    app = reload(app)
    assert (app.outcome, app.replied_date) == (Outcome.NOT_PROCESSED_EXCESSIVE, D(2026, 3, 11))
    assert OUTCOME_ROW[ART35_REFUSED_OUTCOME] == ("五", 4)
    assert Application.objects.concluded_in(2026).filter(outcome=ART35_REFUSED_OUTCOME).count() == 1
    letter = app.letters.get(reply__isnull=False)
    assert "第三十五条" in letter.basis and "同一申请人一个月内提出300件申请" in letter.body
    assert actions_of(app) == [
        "disclosure.application.register", "disclosure.application.excessive_ask",
        "disclosure.application.excessive_decide", "disclosure.reply.draft", "disclosure.reply.legal_approve",
        "disclosure.reply.sign_off", "disclosure.reply.deliver"]
