"""信息处理费 tiers at their boundaries, per applicant and calendar month, and the payment deadline."""
import datetime
from decimal import Decimal

import pytest
from freezegun import freeze_time

from core.errors import InvalidInput, NotAllowedInState
from disclosure import actions, fees
from disclosure.codes import Outcome
from disclosure.models import AppStatus, FeeMethod
from tests.factories import register, reload

from .test_calendar__deadlines import actions_of

D = datetime.date


@pytest.mark.parametrize("items, total", [
    (10, 0), (11, 100), (30, 2000), (31, 2200), (40, 4000), (41, 4300), (50, 7000), (51, 7400),
])
def test_per_item_tiers(items, total):
    amount, bands = fees.per_item_fee(0, items)
    assert amount == Decimal(total)
    assert sum(b["count"] for b in bands) == items


@pytest.mark.parametrize("pages, total", [
    (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740),
])
def test_per_volume_tiers(pages, total):
    assert fees.per_volume_fee(pages)[0] == Decimal(total)


def test_per_item_is_marginal_on_the_month_count():
    # The 11th item of the month costs 100 even if it is the applicant's first item on this request.
    assert fees.per_item_fee(10, 1)[0] == 100
    assert fees.per_item_fee(29, 2)[0] == 300  # items 30 (100) and 31 (200)
    assert fees.per_item_fee(0, 11)[0] + fees.per_item_fee(11, 30)[0] == fees.per_item_fee(0, 41)[0]


@pytest.mark.django_db
def test_per_item_counts_the_same_applicant_in_the_same_calendar_month(world):
    # Feb 2026 does not count toward March; another applicant does not count.
    register(world, received=D(2026, 2, 27), item_count=8, applicant_id_number="340102199001011235")
    register(world, received=D(2026, 3, 2), item_count=9, applicant_id_number="340102199001011235")
    register(world, received=D(2026, 3, 2), item_count=9, applicant_name="李某", applicant_id_number="X")
    app = register(world, received=D(2026, 3, 3), item_count=3, applicant_id_number="340102199001011235")
    assert actions.month_prior_items(app) == 9
    with freeze_time("2026-03-05"):
        app = actions.issue_fee_notice(actor=world.handler, application=app, method=FeeMethod.PER_ITEM,
                                       notice_date=D(2026, 3, 5))
    # items 10 (free), 11 and 12 (100 each)
    assert app.fee_amount == Decimal("200.00")
    assert app.fee_prior_items == 9
    assert app.status == AppStatus.AWAITING_FEE
    # Payment period: 20 working days from 5 Mar: 6 Mar .. 2 Apr.
    assert app.fee_due_date == D(2026, 4, 2)
    assert actions_of(app)[-1] == "disclosure.application.fee_notice"


@pytest.mark.django_db
def test_fee_notice_pauses_the_clock_until_payment(world, app):
    with freeze_time("2026-03-05"):
        app = actions.issue_fee_notice(actor=world.handler, application=app, method=FeeMethod.PER_VOLUME,
                                       pages=150, notice_date=D(2026, 3, 5))
        assert app.fee_amount == Decimal("1700.00")  # 70 x 10 + 50 x 20
        with pytest.raises(NotAllowedInState):
            actions.issue_fee_notice(actor=world.handler, application=app, method=FeeMethod.PER_VOLUME,
                                     pages=150, notice_date=D(2026, 3, 5))
    with freeze_time("2026-03-10"):
        app = actions.record_fee_payment(actor=world.handler, application=app, paid_date=D(2026, 3, 10))
    # 6, 9, 10 Mar do not count: 30 Mar + 3 working days = 2 Apr.
    assert (app.status, app.fee_paid_date, app.due_date) == (AppStatus.PROCESSING, D(2026, 3, 10), D(2026, 4, 2))
    assert actions_of(app)[-2:] == ["disclosure.application.fee_notice", "disclosure.application.fee_paid"]


@pytest.mark.django_db
def test_free_request_needs_no_notice_and_method_is_required(world, app):
    with freeze_time("2026-03-05"):
        with pytest.raises(InvalidInput):
            actions.issue_fee_notice(actor=world.handler, application=app, method=FeeMethod.PER_VOLUME, pages=30,
                                     notice_date=D(2026, 3, 5))
        with pytest.raises(InvalidInput):
            actions.issue_fee_notice(actor=world.handler, application=app, method=FeeMethod.PER_ITEM,
                                     notice_date=D(2026, 3, 5))
        with pytest.raises(InvalidInput):
            actions.issue_fee_notice(actor=world.handler, application=app, method="both", notice_date=D(2026, 3, 5))
    app = reload(app)
    assert (app.status, app.fee_notice_date, app.pauses.count()) == (AppStatus.PROCESSING, None, 0)
    assert actions_of(app) == ["disclosure.application.register"]


@pytest.mark.django_db
def test_unpaid_fee_closes_with_outcome_six_two(world, app):
    with freeze_time("2026-03-05"):
        actions.issue_fee_notice(actor=world.handler, application=app, method=FeeMethod.PER_VOLUME, pages=31,
                                 notice_date=D(2026, 3, 5))
    with freeze_time("2026-04-03"):
        with pytest.raises(InvalidInput):
            actions.record_fee_payment(actor=world.handler, application=app, paid_date=D(2026, 4, 3))
        counts = actions.run_due_work()
        assert actions.run_due_work()["closed_fee_unpaid"] == 0
    assert counts["closed_fee_unpaid"] == 1
    app = reload(app)
    assert (app.status, app.outcome, app.replied_date) == (AppStatus.CLOSED, Outcome.OTHER_FEE_UNPAID,
                                                          D(2026, 4, 3))
    assert actions_of(app)[-1] == "disclosure.application.close_fee_unpaid"
