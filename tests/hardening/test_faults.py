"""Fault injection: a failure in the middle of any action leaves no partial state and no orphan audit record.

For every action we first count the audit records it writes (N, in a savepoint that we roll back), then run
it 2N times with a failure injected: instead of the k-th audit record, and right after the k-th record
(so the record was written and everything after it, e.g. finishing the viewflow task, never ran). Each time
the whole database (every row of every model of our apps and of viewflow) must equal the snapshot taken
before. Finally the action runs without a fault and must change the database, so the setup is valid."""
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from audit import log as audit_log
from audit.verify import verify_chain
from core.org import forget_roles
from publishing import actions as pub
from tests.factories import approve_all, draft, reload
from workflow import actions
from workflow.models import InfoType

pytestmark = pytest.mark.django_db

SNAPSHOT_APPS = ("workflow", "publishing", "audit", "disclosure", "viewflow")


class InjectedFault(Exception):
    pass


def full_snapshot():
    data = {}
    for label in SNAPSHOT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            fields = [f.attname for f in model._meta.concrete_fields]
            data[model._meta.label] = list(model._default_manager.order_by("pk").values_list(*fields))
    return data


def count_records(run):
    """How many audit records the action writes (run in a savepoint that is rolled back)."""
    calls = []
    original = audit_log.record

    def counting(**kwargs):
        calls.append(kwargs["action"])
        return original(**kwargs)

    audit_log.record = counting
    sid = transaction.savepoint()
    try:
        run()
    finally:
        transaction.savepoint_rollback(sid)
        audit_log.record = original
    return calls


def faulty_record(k, *, after):
    original = audit_log.record
    seen = {"n": 0}

    def record(**kwargs):
        seen["n"] += 1
        if seen["n"] == k and not after:
            raise InjectedFault(f"before audit record {k}")
        rec = original(**kwargs)
        if seen["n"] == k and after:
            raise InjectedFault(f"after audit record {k} ({kwargs['action']})")
        return rec

    return record


# --- set-ups: each returns the action to run, as a zero-argument callable --------------------------------

def submitted(world, **data):
    item = draft(world, **data)
    actions.submit_item(actor=world.drafter, item=item)
    return item


def approved(world, **data):
    item = submitted(world, **data)
    approve_all(world, item)
    return reload(item)


def published(world, **data):
    item = approved(world, **data)
    pub.publish_item(actor=world.publisher, item=item)
    return reload(item)


def at_step(world, step):
    item = submitted(world)
    task = approve_all(world, item, stop_before=step)
    return item, task


def _create(world):
    return lambda: actions.create_item(
        actor=world.drafter, agency=world.dept,
        data={"title": "关于2024年城乡低保名单的公示", "body": "<p>名单见附件</p>"},
        attachments=[actions.NewAttachment("名单.csv", "姓名,金额\n张三,500\n".encode())])


def _edit_draft(world):
    item = draft(world)
    return lambda: actions.edit_item(actor=world.drafter, item=item, data={"body": "<p>修改后的正文</p>"},
                                     add_attachments=[actions.NewAttachment("说明.txt", "附件说明".encode())])


def _edit_approved(world):
    item = approved(world)
    return lambda: actions.edit_item(actor=world.drafter, item=item, data={"title": "审核通过后又修改的标题"})


def _edit_published(world):
    item = published(world)
    return lambda: actions.edit_item(actor=world.drafter, item=item, data={"body": "<p>发布后更新</p>"})


def _submit(world):
    item = draft(world)
    return lambda: actions.submit_item(actor=world.drafter, item=item)


def _claim(world):
    item = submitted(world)
    return lambda: actions.claim_task(actor=world.proof1, task=actions.open_task_for(item))


def _unclaim(world):
    item = submitted(world)
    task = actions.claim_task(actor=world.proof1, task=actions.open_task_for(item))
    return lambda: actions.unclaim_task(actor=world.proof1, task=task)


def _reassign(world):
    item = submitted(world)
    task = actions.claim_task(actor=world.proof1, task=actions.open_task_for(item))
    return lambda: actions.reassign_task(actor=world.office, task=task, to_user=world.proof2, reason="请假")


def _approve(world):
    item = submitted(world)
    return lambda: actions.approve_step(actor=world.proof1, task=actions.open_task_for(item), comment="同意")


def _approve_last_step(world):
    item, task = at_step(world, "secrecy_review")
    return lambda: actions.approve_step(actor=world.secrecy, task=task, secrecy={"result": "disclosable"})


def _secrecy_refuse(world):
    item, task = at_step(world, "secrecy_review")
    return lambda: actions.approve_step(actor=world.secrecy, task=task,
                                        secrecy={"result": "not_disclosable", "ground": "process_info"})


def _proofread(world):
    item, task = at_step(world, "proof_2")
    return lambda: actions.proofread_step(actor=world.proof2, task=task, data={"body": "<p>校对后的正文。</p>"})


def _reject(world):
    item, task = at_step(world, "second_review")
    return lambda: actions.reject_step(actor=world.second, task=task, reason="依据不充分")


def _return(world):
    item, task = at_step(world, "final_review")
    return lambda: actions.return_step(actor=world.final, task=task, to_step="first_review", reason="请再核实")


def _publish_now(world):
    item = approved(world)
    return lambda: pub.publish_item(actor=world.publisher, item=item)


def _publish_at(world):
    item = approved(world)
    return lambda: pub.publish_item(actor=world.publisher, item=item, at=timezone.now() + timedelta(days=2))


def _publish_due(world):
    item = approved(world)
    pub.publish_item(actor=world.publisher, item=item, at=timezone.now() + timedelta(days=2))
    return lambda: pub.publish_due_item(item=item, now=timezone.now() + timedelta(days=3))


def _withdraw(world):
    item = published(world)
    return lambda: pub.withdraw_item(actor=world.publisher, item=item, reason="信息有误")


def _unschedule(world):
    item = approved(world)
    pub.publish_item(actor=world.publisher, item=item, at=timezone.now() + timedelta(days=2))
    return lambda: pub.withdraw_item(actor=world.publisher, item=item, reason="暂缓发布")


def _expire(world):
    item = published(world, info_type=InfoType.LIST_PUBLICITY, display_days=7)
    return lambda: pub.expire_due_item(item=item, now=timezone.now() + timedelta(days=20))  # 7 working days


def _track_deadline(world):
    item = draft(world, created_date=date.today() - timedelta(days=90))
    return lambda: pub.track_disclosure_deadline(item=item)


def _normative(world):
    return published(world, info_type=InfoType.NORMATIVE_DOCUMENT)


def _mark_amended(world):
    item = _normative(world)
    amending = published(world, title="关于修改有关规范性文件的决定", doc_number="宿政办发〔2024〕9号")
    return lambda: pub.mark_amended(actor=world.publisher, item=item, amended_by=amending, comment="已被修改")


def _mark_expired(world):
    item = _normative(world)
    return lambda: pub.mark_expired(actor=world.publisher, item=item, comment="有效期届满")


def _mark_repealed(world):
    item = _normative(world)
    return lambda: pub.mark_repealed(actor=world.publisher, item=item, comment="宿政〔2024〕1号决定废止")


def _due_cleanup_item(world, **data):
    item = published(world, **data)
    return item, timezone.localdate() + timedelta(days=400)


def _open_cleanup(world):
    item, today = _due_cleanup_item(world)
    return lambda: pub.open_due_cleanup(item=item, today=today)


def _cleanup_task(world, **data):
    item, today = _due_cleanup_item(world, **data)
    return pub.open_due_cleanup(item=item, today=today)


def _cleanup_keep(world):
    task = _cleanup_task(world)
    return lambda: pub.cleanup_keep(actor=world.publisher, task=task,
                                    next_review_date=timezone.localdate() + timedelta(days=365))


def _cleanup_update(world):
    from core.models import Membership, Role

    Membership.objects.create(user=world.publisher, agency=world.dept, role=Role.DRAFTER)
    forget_roles(world.publisher)
    task = _cleanup_task(world)
    return lambda: pub.cleanup_update(actor=world.publisher, task=task, data={"body": "<p>清理时更新</p>"})


def _cleanup_withdraw(world):
    task = _cleanup_task(world)
    return lambda: pub.cleanup_withdraw(actor=world.publisher, task=task, reason="已无公开必要")


def _cleanup_invalid(world):
    task = _cleanup_task(world)
    return lambda: pub.cleanup_mark_invalid(actor=world.publisher, task=task, comment="已失效")


def _campaign(world):
    published(world)
    return lambda: pub.start_campaign(actor=world.office, name="2024年度集中清理", agency=world.gov)


CASES = {
    "workflow.create_item": _create,
    "workflow.edit_item[draft]": _edit_draft,
    "workflow.edit_item[approved]": _edit_approved,
    "workflow.edit_item[published]": _edit_published,
    "workflow.submit_item": _submit,
    "workflow.claim_task": _claim,
    "workflow.unclaim_task": _unclaim,
    "workflow.reassign_task": _reassign,
    "workflow.approve_step": _approve,
    "workflow.approve_step[last step]": _approve_last_step,
    "workflow.approve_step[not disclosable]": _secrecy_refuse,
    "workflow.proofread_step": _proofread,
    "workflow.reject_step": _reject,
    "workflow.return_step": _return,
    "publishing.publish_item[now]": _publish_now,
    "publishing.publish_item[at]": _publish_at,
    "publishing.publish_due_item": _publish_due,
    "publishing.withdraw_item": _withdraw,
    "publishing.withdraw_item[scheduled]": _unschedule,
    "publishing.expire_due_item": _expire,
    "publishing.track_disclosure_deadline": _track_deadline,
    "publishing.mark_amended": _mark_amended,
    "publishing.mark_expired": _mark_expired,
    "publishing.mark_repealed": _mark_repealed,
    "publishing.open_due_cleanup": _open_cleanup,
    "publishing.cleanup_keep": _cleanup_keep,
    "publishing.cleanup_update": _cleanup_update,
    "publishing.cleanup_withdraw": _cleanup_withdraw,
    "publishing.cleanup_mark_invalid": _cleanup_invalid,
    "publishing.start_campaign": _campaign,
}


@pytest.mark.parametrize("case", list(CASES))
def test_fault_in_the_middle_leaves_nothing_behind(world, case, monkeypatch):
    # given the state in which the action succeeds
    run = CASES[case](world)
    written = count_records(run)
    assert written, f"{case}: the set-up does not make the action do anything"
    before = full_snapshot()

    # when a failure is injected before or after each of its audit records
    for k in range(1, len(written) + 1):
        for after in (False, True):
            with monkeypatch.context() as m:
                m.setattr(audit_log, "record", faulty_record(k, after=after))
                with pytest.raises(InjectedFault):
                    run()
            # then nothing at all changed: no item, revision, decision, task, counter or audit record
            after_fault = full_snapshot()
            changed = [label for label in before if before[label] != after_fault[label]]
            assert not changed, f"{case}: fault {'after' if after else 'before'} record {k} left changes in {changed}"

    # and without a fault the same action goes through, with the records counted above
    run()
    assert full_snapshot() != before
    assert verify_chain().ok


def _atomic_actions(module):
    for name, fn in vars(module).items():
        if name.startswith("_") or not callable(fn) or getattr(fn, "__module__", "") != module.__name__:
            continue
        if hasattr(fn, "__wrapped__"):  # @transaction.atomic
            yield f"{module.__name__.split('.')[0]}.{name}"


def test_every_action_has_a_fault_case():
    """A new action in workflow.actions or publishing.actions needs a case above."""
    covered = {c.split("[")[0] for c in CASES}
    missing = sorted(set(_atomic_actions(actions)) | set(_atomic_actions(pub)) - covered)
    missing = [m for m in missing if m not in covered]
    assert not missing, f"add a fault-injection case for: {missing}"
