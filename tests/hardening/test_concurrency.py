"""Races between real parallel PostgreSQL connections: claims, approvals, edits, publications.

Each worker runs in its own thread with its own connection and its own transaction. A short sleep is
injected inside the critical section (after the item row lock would have been taken), so that without
the row lock both workers would be inside at the same time and the assertions below would fail."""
import time

import pytest
from django.utils import timezone

from audit.models import AuditRecord
from audit.verify import verify_chain
from core.errors import NotAllowedInState
from publishing.actions import publish_item
from tests.factories import approve_all, draft, reload
from tests.hardening.conftest import pg_only, run_parallel
from workflow import actions, permissions
from workflow.models import ItemStatus, Revision, StepDecision

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    pg_only()


@pytest.fixture
def slow_permission_check(monkeypatch):
    """Widen the race window: every task permission check takes 0.3 s."""
    original = permissions.task_denial

    def slow(user, task):
        result = original(user, task)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(permissions, "task_denial", slow)


def submitted(world, **data):
    item = draft(world, **data)
    actions.submit_item(actor=world.drafter, item=item)
    return item


def outcomes(results):
    ok = [v for kind, v in results if kind == "ok"]
    errors = [v for kind, v in results if kind == "error"]
    return ok, errors


def test_racing_claims_exactly_one_wins(world, slow_permission_check):
    # given an open 一校 task that two proofreaders both may claim
    item = submitted(world)
    task = actions.open_task_for(item)
    assert task.data["step"] == "proof_1"
    audit_before = AuditRecord.objects.count()

    # when both claim it at the same moment
    results = run_parallel(
        lambda: actions.claim_task(actor=world.proof1, task=task),
        lambda: actions.claim_task(actor=world.proof2, task=task),
    )

    # then exactly one wins, the other is told the task is taken
    ok, errors = outcomes(results)
    assert len(ok) == 1 and len(errors) == 1, results
    assert isinstance(errors[0], NotAllowedInState) and errors[0].code == "task_taken", errors
    winner = ok[0].owner_id
    assert winner in (world.proof1.pk, world.proof2.pk)
    assert reload(task).owner_id == winner
    claims = AuditRecord.objects.filter(action="workflow.task.claim")
    assert AuditRecord.objects.count() == audit_before + 1
    assert claims.get().actor_id == winner
    assert verify_chain().ok


def test_racing_approvals_of_one_task_record_one_decision(world, slow_permission_check):
    # given an unclaimed 一校 task; approving auto-claims it
    item = submitted(world)
    task = actions.open_task_for(item)

    # when two proofreaders approve it at once
    results = run_parallel(
        lambda: actions.approve_step(actor=world.proof1, task=task, comment="同意"),
        lambda: actions.approve_step(actor=world.proof2, task=task, comment="同意"),
    )

    # then one approval, the other refused because the task is taken or already done
    ok, errors = outcomes(results)
    assert len(ok) == 1 and len(errors) == 1, results
    assert isinstance(errors[0], NotAllowedInState) and errors[0].code in ("task_taken", "task_closed")
    decisions = StepDecision.objects.filter(round__item=item, step="proof_1")
    assert decisions.count() == 1
    assert AuditRecord.objects.filter(action="workflow.review.approve").count() == 1
    assert AuditRecord.objects.filter(action="workflow.task.claim").count() == 1
    nxt = actions.open_task_for(item)
    assert nxt.data["step"] == "proof_2"
    assert verify_chain().ok


def test_double_click_approval_by_the_same_person(world, slow_permission_check):
    item = submitted(world)
    task = actions.open_task_for(item)
    actions.claim_task(actor=world.proof1, task=task)

    results = run_parallel(
        lambda: actions.approve_step(actor=world.proof1, task=task),
        lambda: actions.approve_step(actor=world.proof1, task=task),
    )

    ok, errors = outcomes(results)
    assert len(ok) == 1 and len(errors) == 1, results
    assert isinstance(errors[0], NotAllowedInState) and errors[0].code == "task_closed"
    assert StepDecision.objects.filter(round__item=item).count() == 1
    assert verify_chain().ok


def test_two_reviewers_approve_while_the_drafter_edits(world, slow_permission_check):
    # given the item at 初审, which both `first` and `multi` may do
    item = submitted(world)
    approve_all(world, item, stop_before="first_review")
    task = actions.open_task_for(item)
    assert task.data["step"] == "first_review"
    revisions_before = Revision.objects.filter(item=item).count()
    approved_hash = reload(item).current_revision.content_hash

    # when both approve while the drafter tries to change the text
    results = run_parallel(
        lambda: actions.approve_step(actor=world.first, task=task, comment="同意"),
        lambda: actions.approve_step(actor=world.multi, task=task, comment="同意"),
        lambda: actions.edit_item(actor=world.drafter, item=item, data={"body": "<p>偷偷修改的正文</p>"}),
    )

    # then one approval of the unchanged text; the edit is refused (item is under review)
    ok, errors = outcomes(results)
    assert len(ok) == 1 and len(errors) == 2, results
    assert all(isinstance(e, NotAllowedInState) for e in errors), errors
    assert results[2][0] == "error"
    item = reload(item)
    assert Revision.objects.filter(item=item).count() == revisions_before
    assert item.current_revision.content_hash == approved_hash
    decision = StepDecision.objects.get(round__item=item, step="first_review")
    assert decision.revision_hash == approved_hash
    assert actions.open_task_for(item).data["step"] == "second_review"
    assert verify_chain().ok


def test_drafter_edit_races_publication_of_an_approved_item(world):
    # given an approved item awaiting publication
    item = submitted(world)
    approve_all(world, item)
    assert reload(item).status == ItemStatus.APPROVED
    approved_hash = reload(item).current_revision.content_hash

    # when the publisher publishes while the drafter edits (which would void the approvals)
    results = run_parallel(
        lambda: publish_item(actor=world.publisher, item=item),
        lambda: actions.edit_item(actor=world.drafter, item=item, data={"body": "<p>发布前最后一刻的修改</p>"}),
    )

    # then both may succeed only in one order; whatever is online is the approved text
    ok, errors = outcomes(results)
    item = reload(item)
    assert all(isinstance(e, NotAllowedInState) for e in errors), errors
    if item.online:
        assert item.published_revision.content_hash == approved_hash
        if results[1][0] == "ok":  # the edit came second: a new draft over the published item
            assert item.status == ItemStatus.DRAFT and item.current_revision.content_hash != approved_hash
        else:
            assert item.status == ItemStatus.PUBLISHED
    else:  # the edit came first and voided the approvals: publication refused
        assert results[0][0] == "error"
        assert item.status == ItemStatus.DRAFT and item.published_revision_id is None
    assert verify_chain().ok


def test_racing_publications_get_unique_gapless_index_numbers(world):
    # given five approved items of one agency
    items = []
    for n in range(5):
        item = submitted(world, title=f"关于第{n + 1}批项目的公示")
        approve_all(world, item)
        items.append(item)

    # when the publisher (and a second session of them) publish them all at once
    results = run_parallel(*[lambda it=it: publish_item(actor=world.publisher, item=it) for it in items])

    # then every one is online with a distinct serial 1..5 of this agency and year
    assert all(kind == "ok" for kind, _ in results), results
    year = timezone.localtime().year
    numbers = sorted(reload(it).index_number for it in items)
    assert numbers == [f"{world.dept.code}/{year}-{n:05d}" for n in range(1, 6)]
    assert AuditRecord.objects.filter(action="publishing.item.publish").count() == 5
    assert verify_chain().ok


def test_racing_publication_of_the_same_item_publishes_once(world):
    item = submitted(world)
    approve_all(world, item)

    results = run_parallel(
        lambda: publish_item(actor=world.publisher, item=item),
        lambda: publish_item(actor=world.publisher, item=item),
    )

    ok, errors = outcomes(results)
    assert len(ok) == 1 and len(errors) == 1, results
    assert isinstance(errors[0], NotAllowedInState)
    assert AuditRecord.objects.filter(action="publishing.item.publish").count() == 1
    assert reload(item).index_number.endswith("-00001")
    assert verify_chain().ok


def test_parallel_audit_writers_keep_one_chain(world):
    # ten drafters' sessions create items at the same moment: the chain must not fork
    results = run_parallel(*[
        lambda n=n: actions.create_item(actor=world.drafter, agency=world.dept,
                                        data={"title": f"并发起草{n}", "body": "<p>正文</p>"})
        for n in range(10)
    ])
    assert all(kind == "ok" for kind, _ in results), results
    result = verify_chain()
    assert result.ok, result.message
    # one chain per agency: gapless within the chain, whatever order the ten sessions committed in
    positions = list(AuditRecord.objects.filter(agency=world.dept).order_by("chain_seq")
                     .values_list("chain_seq", flat=True))
    assert positions == list(range(1, len(positions) + 1)) and len(positions) >= 10
