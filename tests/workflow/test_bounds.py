"""Issue 16 finding 4: every date, count and day field has a domain range, checked by the action (model
validation), the API schema, the web form and the database; publishing never overflows."""
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import InvalidInput
from publishing.actions import publish_item
from tests.api.conftest import Api, token_for
from tests.factories import approve_all, draft, reload
from tests.web.workflow.test_views__drafting import form_payload
from workflow import actions
from workflow.models import Information, ItemStatus

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = [
    ({"display_days": 3000000}, "display_days"),
    ({"display_days": 0}, "display_days"),
    ({"display_days": 366}, "display_days"),
    ({"created_date": "9999-12-31"}, "created_date"),
    ({"created_date": "1900-01-01"}, "created_date"),
    ({"created_date": date(2101, 1, 1)}, "created_date"),
    ({"fee_amount": "-5"}, "fee_amount"),
    ({"fee_amount": Decimal("-0.01")}, "fee_amount"),
    ({"fee_amount": "10000000000.00"}, "fee_amount"),
]
IN_RANGE = [{"display_days": 1}, {"display_days": 365}, {"created_date": "1949-01-01"},
            {"created_date": "2100-12-31"}, {"fee_amount": "0"}, {"fee_amount": "9999999999.99"}]


@pytest.mark.parametrize("bad,field", OUT_OF_RANGE)
def test_the_action_refuses_out_of_range_values(world, bad, field):
    with pytest.raises(InvalidInput) as exc:
        draft(world, **bad)
    assert exc.value.field == field and exc.value.status == 400
    assert not Information.objects.exists()
    item = draft(world)
    with pytest.raises(InvalidInput):
        actions.edit_item(actor=world.drafter, item=item, data=bad)


@pytest.mark.parametrize("good", IN_RANGE)
def test_the_action_accepts_the_ends_of_the_ranges(world, good):
    assert draft(world, **good).pk


def _json(value):
    return value.isoformat() if hasattr(value, "isoformat") else (str(value) if isinstance(value, Decimal) else value)


@pytest.mark.parametrize("bad,field", OUT_OF_RANGE)
def test_the_api_refuses_out_of_range_values(world, bad, field):
    token_for(world.drafter)
    payload = {"agency": world.dept.pk, "title": "关于公布名单的通知", **{k: _json(v) for k, v in bad.items()}}
    resp = Api(world.drafter).post("/items", payload)
    assert resp.status_code == 400, resp.content
    body = resp.json()
    assert body["field"] == field and body["message"]


@pytest.mark.parametrize("bad,field", OUT_OF_RANGE)
def test_the_web_form_refuses_out_of_range_values(client, world, bad, field):
    client.force_login(world.drafter)
    resp = client.post("/items/new/", form_payload(**{k: _json(v) for k, v in bad.items()}))
    assert resp.status_code in (200, 400)
    form = resp.context["form"]
    assert field in form.errors, form.errors
    assert not Information.objects.exists()


def test_the_web_form_tells_the_browser_the_ranges(client, world):
    client.force_login(world.drafter)
    html = client.get("/items/new/").content.decode()
    assert 'min="1"' in html and 'max="365"' in html and 'max="2100-12-31"' in html


@pytest.mark.parametrize("column,value", [("display_days", 3000000), ("display_days", 0), ("fee_amount", -1),
                                          ("created_date", date(9999, 12, 31))])
def test_the_database_refuses_out_of_range_values_written_past_the_actions(world, column, value):
    item = draft(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Information.objects.filter(pk=item.pk).update(**{column: value})


def test_a_long_display_period_publishes(world):
    item = draft(world, display_days=365)
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item)
    item = publish_item(actor=world.publisher, item=reload(item))
    assert item.status == ItemStatus.PUBLISHED and item.display_until > timezone.now()


def test_scheduling_beyond_2100_is_refused(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item)
    with pytest.raises(InvalidInput):
        publish_item(actor=world.publisher, item=reload(item), at=timezone.now().replace(year=2101))
    assert reload(item).status == ItemStatus.APPROVED


def test_a_category_cleanup_interval_is_bounded(db):
    from django.core.exceptions import ValidationError

    from workflow.models import Category

    with pytest.raises(ValidationError):
        Category(kind=Category.Kind.TOPIC, name="综合政务", cleanup_interval_days=10**9).full_clean()
    Category(kind=Category.Kind.TOPIC, name="综合政务", cleanup_interval_days=3650).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.create(kind=Category.Kind.TOPIC, name="综合政务", cleanup_interval_days=10**9)
