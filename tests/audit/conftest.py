"""Fixtures for the audit app: a short review policy (fast), items published at given moments through
the real actions, and applications / appeal cases entered as the requests desk would."""
import itertools
from datetime import date

import pytest
from freezegun import freeze_time

from publishing import actions as pub
from tests.factories import approve_all, draft, reload
from workflow import actions
from workflow.models import ReviewPolicy

_numbers = itertools.count(1)


@pytest.fixture
def fast_policy(db):
    """初审 + 保密审查 for every agency: the report tests need many published items, not long reviews."""
    return ReviewPolicy.objects.create(name="初审+保密审查（测试）", agency=None, info_type="",
                                       steps=["first_review", "secrecy_review"])


def publish_at(world, when, *, agency=None, drafter=None, publisher=None, **data):
    """Draft, review and publish an item with the clock frozen at `when` (ISO string with offset)."""
    with freeze_time(when):
        drafter = drafter or world.drafter
        if agency is not None and agency != world.dept:
            item = actions.create_item(actor=drafter, agency=agency, data={"body": "<p>正文</p>", **data})
        else:
            item = draft(world, **data)
        actions.submit_item(actor=drafter, item=item)
        approve_all(world, item) if agency in (None, world.dept) else _approve_other(world, item)
        pub.publish_item(actor=publisher or world.publisher, item=reload(item))
    return reload(item)


def _approve_other(world, item):
    """world.other_first holds every role in the other agency but may do only one of the three reviews;
    the fast policy has one review plus secrecy."""
    while True:
        task = actions.open_task_for(item)
        if task is None or task.data.get("step") == "publish":
            return
        actions.claim_task(actor=world.other_first, task=task)
        step = task.data["step"]
        actions.approve_step(actor=world.other_first, task=task, comment="同意",
                             secrecy={"result": "disclosable"} if step == "secrecy_review" else None)


def make_application(agency, user, *, applicant_type, received, replied=None, outcome="", fee=0, fee_paid=None):
    """One registered application (disclosure.Application) as the requests desk records it."""
    from disclosure.models import Application

    n = next(_numbers)
    return Application.objects.create(
        agency=agency, number=f"YSQ-T-{n:05d}", applicant_type=applicant_type, applicant_name=f"申请人{n}",
        channel="online", received_date=date.fromisoformat(received), content="申请公开2024年政务公开工作要点",
        outcome=outcome, replied_date=date.fromisoformat(replied) if replied else None, registered_by=user,
        reply_working_days=20, clock_start=date.fromisoformat(received), fee_amount=fee,
        fee_paid_date=date.fromisoformat(fee_paid) if fee_paid else None,
    )
