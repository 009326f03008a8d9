"""Batch review: several tasks of one step approved at once, each bound to its own revision hash with its own
audit record; a stale, taken or forbidden one is reported without failing the others."""
import pytest

from audit.models import AuditRecord
from core.errors import InvalidInput
from tests.factories import EVERYONE, approve_all, draft, last_seq, person, reload
from workflow import actions
from workflow.models import StepDecision

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(world, fast_policy):
    """Three items waiting at 初审 (policy: 初审 + 保密审查)."""
    items = []
    for n in range(3):
        item = draft(world, title=f"关于第{n + 1}批惠民资金的公示")
        actions.submit_item(actor=world.drafter, item=item)
        items.append(reload(item))
    return items


def pairs(items):
    return [(actions.open_task_for(i), i.current_revision.content_hash) for i in items]


def test_three_approvals_each_bound_to_its_revision_with_its_own_audit_record(world, three):
    before = last_seq()
    outcomes = actions.approve_steps(actor=world.first, tasks=pairs(three), comment="同意")
    assert [o.ok for o in outcomes] == [True, True, True]
    for item, outcome in zip(three, outcomes, strict=True):
        decision = StepDecision.objects.get(pk=outcome.decision.pk)
        assert decision.revision_hash == item.current_revision.content_hash and decision.round.item_id == item.pk
        recs = list(AuditRecord.objects.filter(seq__gt=before, item=item).order_by("seq")
                    .values_list("action", "revision_hash"))
        assert recs == [("workflow.task.claim", item.current_revision.content_hash),
                        ("workflow.review.approve", item.current_revision.content_hash)]
        assert actions.open_task_for(item).data["step"] == "secrecy_review"


def test_a_stale_and_a_taken_task_are_reported_and_the_others_pass(world, three):
    stale, taken, fine = three
    tasks = pairs(three)
    tasks[0] = (tasks[0][0], "0" * 64)
    actions.claim_task(actor=world.multi, task=tasks[1][0])
    outcomes = actions.approve_steps(actor=world.first, tasks=tasks)
    assert [(o.ok, o.code) for o in outcomes] == [(False, "stale_revision"), (False, "task_taken"), (True, "ok")]
    assert "已变更" in outcomes[0].message
    assert actions.open_task_for(stale).data["step"] == "first_review"
    assert actions.open_task_for(taken).data["step"] == "first_review"
    assert actions.open_task_for(fine).data["step"] == "secrecy_review"
    assert not StepDecision.objects.filter(round__item__in=[stale, taken]).exists()


@pytest.mark.parametrize("who", [p for p in EVERYONE if p not in ("first", "multi")])
def test_nobody_else_approves_in_a_batch(world, three, who):
    actor = person(world, who)
    if actor is None:
        return  # anonymous never reaches the action (log-in required; the API answers 401)
    outcomes = actions.approve_steps(actor=actor, tasks=pairs(three))
    assert not any(o.ok for o in outcomes)
    assert {o.code for o in outcomes} == {"permission_denied"}
    assert not StepDecision.objects.exists()


def test_mixed_steps_the_secrecy_step_and_bad_sizes_are_refused(world, three):
    one, two, _ = three
    actions.approve_steps(actor=world.first, tasks=pairs([one]))
    with pytest.raises(InvalidInput, match="同一审核步骤"):
        actions.approve_steps(actor=world.first, tasks=pairs([reload(one), two]))
    with pytest.raises(InvalidInput, match="保密审查"):
        actions.approve_steps(actor=world.secrecy, tasks=pairs([reload(one)]))
    with pytest.raises(InvalidInput, match="至少选择"):
        actions.approve_steps(actor=world.first, tasks=[])
    with pytest.raises(InvalidInput, match="重复"):
        actions.approve_steps(actor=world.first, tasks=pairs([two]) * 2)
    task = pairs([two])[0]
    with pytest.raises(InvalidInput, match="最多"):
        actions.approve_steps(actor=world.first, tasks=[task] * (actions.BATCH_MAX + 1))


def test_the_inbox_offers_checkboxes_and_the_batch_page_reports_each(client, world, three):
    client.force_login(world.first)
    html = client.get("/").content.decode()
    for item in three:
        task = actions.open_task_for(item)
        assert f'id="batch-{task.pk}"' in html and f'value="{item.current_revision.content_hash}"' in html
    assert "批量同意所选" in html
    tasks = pairs(three)
    data = {"task": [str(t.pk) for t, _h in tasks], "comment": "同意",
            **{f"hash_{t.pk}": h for t, h in tasks}}
    data[f"hash_{tasks[2][0].pk}"] = "f" * 64
    resp = client.post("/tasks/batch-approve/", data)
    html = resp.content.decode()
    assert resp.status_code == 200 and "已同意 2 项" in html and "1 项未处理" in html and "已变更" in html
    assert StepDecision.objects.filter(decision="approve").count() == 2


def test_the_batch_page_refuses_nonsense_and_hides_foreign_tasks(client, world, three):
    client.force_login(world.other_first)
    task, h = pairs(three)[0]
    resp = client.post("/tasks/batch-approve/", {"task": [str(task.pk)], f"hash_{task.pk}": h})
    assert resp.status_code == 200 and "任务不存在或您无权处理" in resp.content.decode()
    resp = client.post("/tasks/batch-approve/", {"task": ["abc"]})
    assert resp.status_code == 302
    assert client.get("/tasks/batch-approve/").status_code == 405
    assert not StepDecision.objects.exists()


def test_secrecy_tasks_are_not_offered_for_batch(client, world, three):
    approve_all(world, three[0], stop_before="secrecy_review")
    client.force_login(world.secrecy)
    html = client.get("/").content.decode()
    assert three[0].title in html and 'name="task"' not in html
