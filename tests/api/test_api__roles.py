"""Every endpoint against every person of the world (and anonymous): who succeeds, who gets 403, who
(another agency) gets 404, and which audit records the successful call writes. Each attempt runs in a
savepoint that is rolled back, so every person meets the same state."""
from dataclasses import dataclass, field

import pytest
from django.db import transaction

from publishing.actions import publish_item
from tests.factories import approve_all, draft, last_seq, reload
from workflow import actions

from .conftest import Api, actions_since, assert_error

PEOPLE = ["drafter", "drafter2", "proof1", "proof2", "proof3", "first", "second", "final", "secrecy", "legal",
          "publisher", "office", "auditor", "handler", "other_first", "multi"]
DEPT_DRAFTERS = {"drafter", "drafter2"}
PROOFREADERS = {"proof1", "proof2", "proof3"}


@dataclass
class Case:
    name: str
    state: str                      # draft | proof_1 | first_review | second_review | secrecy_review | approved | ...
    method: str
    path: str                       # {item}, {task}, {att} are filled in
    allowed: set
    ok: int = 200
    body: dict | None = None
    audit: list = field(default_factory=list)
    denied_other_agency: int = 404  # what a person of another agency gets


def _body(case, item):
    if callable(case.body):
        return case.body(item)
    return case.body


HASH = lambda item: {"expected_hash": item.current_revision.content_hash}  # noqa: E731

CASES = [
    Case("create", "none", "post", "/items", DEPT_DRAFTERS, ok=201,
         audit=["workflow.item.create"], denied_other_agency=403),
    Case("me", "draft", "get", "/me", set(PEOPLE)),
    Case("list", "draft", "get", "/items", set(PEOPLE)),
    Case("my_tasks", "proof_1_claimed", "get", "/tasks/mine", set(PEOPLE)),
    Case("queue", "proof_1", "get", "/tasks/queue", set(PEOPLE)),
    Case("read", "draft", "get", "/items/{item}", set(PEOPLE) - {"other_first"}),
    Case("audit", "draft", "get", "/items/{item}/audit", set(PEOPLE) - {"other_first"}),
    Case("attachments", "draft", "get", "/items/{item}/attachments", set(PEOPLE) - {"other_first"}),
    Case("download", "draft", "get", "/items/{item}/attachments/{att}", set(PEOPLE) - {"other_first"}),
    Case("patch", "draft", "patch", "/items/{item}", DEPT_DRAFTERS, body={"summary": "补充内容概述"},
         audit=["workflow.item.edit"]),
    Case("upload", "draft", "upload", "/items/{item}/attachments", DEPT_DRAFTERS, ok=201,
         audit=["workflow.item.edit"]),
    Case("delete_attachment", "draft", "delete", "/items/{item}/attachments/{att}", DEPT_DRAFTERS,
         audit=["workflow.item.edit"]),
    Case("submit", "draft", "post", "/items/{item}/submit", DEPT_DRAFTERS, audit=["workflow.item.submit"]),
    Case("task_read", "proof_1", "get", "/tasks/{task}", set(PEOPLE) - {"other_first"}),
    Case("claim", "proof_1", "post", "/tasks/{task}/claim", PROOFREADERS, audit=["workflow.task.claim"]),
    Case("unclaim", "proof_1_claimed", "post", "/tasks/{task}/unclaim", {"proof1", "office"},
         audit=["workflow.task.unclaim"]),
    Case("approve_proof", "proof_1", "post", "/tasks/{task}/approve", PROOFREADERS, body=HASH,
         audit=["workflow.task.claim", "workflow.review.approve"]),
    Case("proofread", "proof_1", "post", "/tasks/{task}/proofread", PROOFREADERS,
         body=lambda item: {"data": {"title": item.title + "（校对）"}, "comment": "改标题",
                            "expected_hash": item.current_revision.content_hash},
         audit=["workflow.task.claim", "workflow.proofread.edit", "workflow.review.approve"]),
    Case("approve_first", "first_review", "post", "/tasks/{task}/approve", {"first", "multi"}, body=HASH,
         audit=["workflow.task.claim", "workflow.review.approve"]),
    Case("reject", "first_review", "post", "/tasks/{task}/reject", {"first", "multi"},
         body={"reason": "文号有误，请核实"}, audit=["workflow.task.claim", "workflow.review.reject"]),
    Case("return", "second_review", "post", "/tasks/{task}/return", {"second", "multi"},
         body={"to_step": "first_review", "reason": "请初审重新核对"},
         audit=["workflow.task.claim", "workflow.review.return"]),
    Case("secrecy", "secrecy_review", "post", "/tasks/{task}/approve", {"secrecy"},
         body=lambda item: {"expected_hash": item.current_revision.content_hash, "comment": "可以公开",
                            "secrecy": {"result": "disclosable"}},
         audit=["workflow.task.claim", "workflow.secrecy.decide", "workflow.item.approve"]),
    Case("publish", "approved", "post", "/items/{item}/publish", {"publisher"}, body={},
         audit=["publishing.item.publish"]),
    Case("withdraw", "published", "post", "/items/{item}/withdraw", {"publisher"},
         body={"reason": "内容已过时"}, audit=["publishing.item.withdraw"]),
]


def _prepare(world, state):
    item, task = _drive(world, state)
    return (reload(item) if item else None), task


def _drive(world, state):
    if state == "none":
        return None, None
    item = draft(world)
    actions.edit_item(actor=world.drafter, item=item,
                      add_attachments=[actions.NewAttachment("工作要点.txt", "一、总体要求".encode(), "text/plain")])
    if state == "draft":
        return item, None
    actions.submit_item(actor=world.drafter, item=item)
    if state in ("proof_1", "proof_1_claimed"):
        task = actions.open_task_for(item)
        if state == "proof_1_claimed":
            actions.claim_task(actor=world.proof1, task=task)
        return item, task
    if state in ("first_review", "second_review", "secrecy_review"):
        return item, approve_all(world, item, stop_before=state)
    approve_all(world, item)
    if state == "approved":
        return item, None
    publish_item(actor=world.publisher, item=item)
    return item, None


def _call(world, case, person, item, task):
    user = world.people[person] if person else None
    client = Api(user)
    att = item.current_revision.attachments.first() if item is not None else None
    path = case.path.format(item=item.pk if item else 0, task=task.pk if task else 0, att=att.pk if att else 0)
    if case.name == "create":
        return client.post(path, {"agency": world.dept.pk, "title": "关于2024年第一季度政府信息公开情况的通报",
                                  "body": "<p>现将有关情况通报如下。</p>"})
    if case.method == "get":
        return client.get(path)
    if case.method == "delete":
        return client.delete(path)
    if case.method == "upload":
        return client.upload(path, [("附件二.txt", "附件内容".encode())])
    return getattr(client, case.method)(path, _body(case, item))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_endpoint_for_every_person(world, case):
    # given: the state the endpoint acts on
    item, task = _prepare(world, case.state)
    outcome = {}
    for person in PEOPLE + [None]:
        sid = transaction.savepoint()
        try:
            before = last_seq()
            # when
            response = _call(world, case, person, item, task)
            # then
            if person is None:
                assert_error(response, 401, "not_authenticated")
            elif person in case.allowed:
                assert response.status_code == case.ok, (person, response.content.decode()[:400])
                assert actions_since(before) == case.audit, person
            else:
                expected = case.denied_other_agency if person == "other_first" else 403
                assert_error(response, expected, "not_found" if expected == 404 else "permission_denied")
                assert actions_since(before) == [], person
            outcome[person] = response.status_code
        finally:
            transaction.savepoint_rollback(sid)
    assert sum(1 for s in outcome.values() if s == case.ok) == len(case.allowed)
