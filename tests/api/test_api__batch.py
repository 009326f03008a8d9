"""POST /tasks/batch-approve: each task by its own hash; failures reported per task with their codes."""
import pytest

from tests.factories import draft, reload
from workflow import actions
from workflow.models import StepDecision

from .conftest import Api


@pytest.fixture
def three(world, fast_policy):
    items = []
    for n in range(3):
        item = draft(world, title=f"批量{n}")
        actions.submit_item(actor=world.drafter, item=item)
        items.append(reload(item))
    return items


def body(items, override=None):
    override = override or {}
    return {"tasks": [{"task_id": actions.open_task_for(i).pk, "expected_hash": override.get(i.pk) or
                       i.current_revision.content_hash} for i in items], "comment": "同意"}


def test_batch_approve_reports_each_task(world, three):
    data = body(three, {three[1].pk: "a" * 64})
    data["tasks"].append({"task_id": 999999, "expected_hash": "b" * 64})
    resp = Api(world.first).post("/tasks/batch-approve", data)
    assert resp.status_code == 200, resp.content
    out = resp.json()
    assert (out["approved"], out["failed"]) == (2, 2)
    assert [o["code"] for o in out["outcomes"]] == ["ok", "stale_revision", "ok", "not_found"]
    assert StepDecision.objects.count() == 2


def test_batch_approve_input_errors_are_400(world, three):
    api = Api(world.first)
    assert api.post("/tasks/batch-approve", {"tasks": []}).status_code == 400
    assert api.post("/tasks/batch-approve", {"tasks": [{"task_id": 1, "expected_hash": "x"}]}).status_code == 400
    assert api.post("/tasks/batch-approve", {**body(three), "extra": 1}).status_code == 400
    assert Api(None).post("/tasks/batch-approve", body(three)).status_code == 401
    # another agency's reviewer sees none of them: "not found", as for one task; a drafter may not: 403
    assert Api(world.other_first).post("/tasks/batch-approve", body(three)).status_code == 404
    assert Api(world.drafter).post("/tasks/batch-approve", body(three)).status_code == 403
    assert not StepDecision.objects.exists()
