import datetime

import pytest
from freezegun import freeze_time

from disclosure import actions
from disclosure.codes import ApplicantType

D = datetime.date

# Seed 002 (八): 依申请公开 — real wording of a request for a government document.
SAMPLE_CONTENT = "申请公开《宿州市2024年政务公开工作要点》及其起草说明、征求意见情况汇总。"


def register(world, received=D(2026, 3, 2), **data):
    """Register an application as the request handler, with time frozen on the receipt day."""
    data.setdefault("applicant_type", ApplicantType.NATURAL_PERSON)
    data.setdefault("applicant_name", "王某某")
    data.setdefault("channel", "online")
    data.setdefault("content", SAMPLE_CONTENT)
    data["received_date"] = received
    with freeze_time(str(data.pop("today", received))):
        return actions.register_application(actor=world.handler, agency=world.dept, data=data)


@pytest.fixture
def app(world):
    return register(world)
