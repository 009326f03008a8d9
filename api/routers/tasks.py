"""Review and publish tasks: the inbox and queue, claim, give back, hand over, and every step decision
(approve, proofread, reject, return, mask), each the action the task page of the web calls."""
from django.contrib.auth import get_user_model
from ninja import Router
from ninja.pagination import paginate
from viewflow.workflow.models import Task

from core.errors import InvalidInput
from workflow import actions, diffs, permissions

from .. import lookups
from ..errors import not_found
from ..fields import PathId, json_body
from ..schemas.common import Empty, Pagination, responses
from ..schemas.tasks import (
    ApproveIn,
    BatchApproveIn,
    BatchApproveOut,
    MaskIn,
    ProofreadIn,
    ReassignIn,
    RejectIn,
    ReturnIn,
    TaskOut,
    TaskResult,
    round_of,
)
from .items import diff_between

router = Router(tags=["任务"])
ACT = (400, 403, 404, 409, 415)


def _tasks(qs):
    return qs.select_related("owner").order_by("created", "pk")


@router.get("/tasks/mine", response=responses(list[TaskOut], 200, 400), summary="我的待办（已认领的任务）")
@paginate(Pagination)
def tasks_mine(request):
    return _tasks(permissions.my_tasks(request.auth))


@router.get("/tasks/queue", response=responses(list[TaskOut], 200, 400), summary="可认领的任务")
@paginate(Pagination)
def tasks_queue(request):
    return _tasks(permissions.queue_for(request.auth))


def result(request, task_id, decision=None):
    """The task after an action: the task, its item, the decision just taken, the revision under review (with
    its body) and what changed since the last reviewed revision."""
    task = lookups.task(request.auth, task_id)
    item = round_of(task).item
    revision = item.current_revision
    return {"task": task, "item": item, "decision": decision, "revision": revision,
            "diff": diff_between(diffs.baseline_for(revision), revision) if revision else None}


@router.get("/tasks/{int:task_id}", response=responses(TaskResult, 200, 400, 404),
            summary="任务详情（含待审版本正文及与上次审核版本的差异）")
def task_read(request, task_id: PathId):
    return result(request, task_id)


@router.post("/tasks/{int:task_id}/claim", response=responses(TaskResult, 200, *ACT), summary="认领任务")
def task_claim(request, task_id: PathId, data: json_body(Empty)):
    actions.claim_task(actor=request.auth, task=lookups.task(request.auth, task_id))
    return result(request, task_id)


@router.post("/tasks/{int:task_id}/unclaim", response=responses(TaskResult, 200, *ACT),
             summary="放回任务（本人，或公开办管理员）")
def task_unclaim(request, task_id: PathId, data: json_body(Empty)):
    actions.unclaim_task(actor=request.auth, task=lookups.task(request.auth, task_id))
    return result(request, task_id)


@router.post("/tasks/{int:task_id}/reassign", response=responses(TaskResult, 200, *ACT),
             summary="转交任务（公开办管理员）")
def task_reassign(request, task_id: PathId, data: json_body(ReassignIn)):
    task = lookups.task(request.auth, task_id)
    # Only people of agencies the actor may see can be named; anyone else is "not there" (no oracle).
    person = get_user_model().objects.filter(
        pk=data.to_user, is_active=True,
        memberships__agency_id__in=permissions.visible_agency_ids(request.auth)).distinct().first()
    if person is None:
        raise InvalidInput("转交给：所选项不存在", en="No such user", field="to_user")
    actions.reassign_task(actor=request.auth, task=task, to_user=person, reason=data.reason)
    return result(request, task_id)


def _nested(exc, prefix, names):
    if exc.field in names:
        exc.field = f"{prefix}.{exc.field}"
    return exc


@router.post("/tasks/{int:task_id}/approve", response=responses(TaskResult, 200, *ACT),
             summary="审核通过（保密审查步骤附 secrecy 结论）",
             description="expected_hash 为您审阅的版本哈希；若内容已变更返回 409 stale_revision。"
                         "未认领的任务会自动认领。保密审查：result 为 not_disclosable 时须给出 ground"
                         "（条例第十四至十六条）；预检有发现时须先脱敏"
                         "（POST …/mask）或在 override_ground 写明依法公开的依据，该依据记入审核意见和审计记录。")
def task_approve(request, task_id: PathId, data: json_body(ApproveIn)):
    task = lookups.task(request.auth, task_id)
    secrecy = data.secrecy.model_dump(exclude_none=True) if data.secrecy else None
    try:
        decision = actions.approve_step(actor=request.auth, task=task, comment=data.comment,
                                        expected_hash=data.expected_hash, secrecy=secrecy)
    except InvalidInput as exc:
        raise _nested(exc, "secrecy", ("result", "ground", "override_ground", "disclosure_mode", "scope"))
    return result(request, task_id, decision)


@router.post("/tasks/batch-approve", response=responses(BatchApproveOut, 200, 400, 403, 404, 409),
             summary="批量审核通过（同一步骤的多项任务）",
             description="每项任务按其 expected_hash 单独审核、单独记录审核意见和审计记录；某项内容已变更、已被他人认领"
                         "或无权处理时，该项在 outcomes 中报告（code），其余各项照常通过。保密审查步骤不可批量。"
                         "若没有一项通过且各项失败原因相同，按单项审核的错误回答（403/404/409）。")
def task_batch_approve(request, data: json_body(BatchApproveIn)):
    ids = [t.task_id for t in data.tasks]
    found = {t.pk: t for t in Task.objects.filter(pk__in=ids, data__has_key="step",
                                                 process__review_round__item__in=permissions.visible_items(
                                                     request.auth))}
    pairs = [(found[t.task_id], t.expected_hash) for t in data.tasks if t.task_id in found]
    missing = [actions.BatchOutcome(t.task_id, False, "任务不存在", "not_found", error=not_found(en="No such task"))
               for t in data.tasks if t.task_id not in found]
    outcomes = (actions.approve_steps(actor=request.auth, tasks=pairs, comment=data.comment) if pairs else []) + missing
    approved = sum(1 for o in outcomes if o.ok)
    if not approved and len({o.code for o in outcomes}) == 1:
        raise outcomes[0].error  # nothing done, for one reason: answer as the single approval would
    return {"approved": approved, "failed": len(outcomes) - approved,
            "outcomes": [{"task_id": o.task_id, "ok": o.ok, "code": o.code, "message": o.message} for o in outcomes]}


@router.post("/tasks/{int:task_id}/proofread", response=responses(TaskResult, 200, *ACT),
             summary="校对修改并通过本校对步骤",
             description="data 中的修改生成新的校对版本，由本校对人通过；此前对旧文本的审核结论作废。")
def task_proofread(request, task_id: PathId, data: json_body(ProofreadIn)):
    task = lookups.task(request.auth, task_id)
    fields = data.data.model_dump(exclude_unset=True)
    try:
        decision = actions.proofread_step(actor=request.auth, task=task, data=fields, comment=data.comment,
                                          expected_hash=data.expected_hash)
    except InvalidInput as exc:
        raise _nested(exc, "data", tuple(actions.EDITABLE_FIELDS))
    return result(request, task_id, decision)


@router.post("/tasks/{int:task_id}/reject", response=responses(TaskResult, 200, *ACT),
             summary="退回起草人（本轮审核结束）")
def task_reject(request, task_id: PathId, data: json_body(RejectIn)):
    decision = actions.reject_step(actor=request.auth, task=lookups.task(request.auth, task_id), reason=data.reason)
    return result(request, task_id, decision)


@router.post("/tasks/{int:task_id}/return", response=responses(TaskResult, 200, *ACT), summary="退回到本轮之前的步骤")
def task_return(request, task_id: PathId, data: json_body(ReturnIn)):
    decision = actions.return_step(actor=request.auth, task=lookups.task(request.auth, task_id),
                                   to_step=data.to_step, reason=data.reason)
    return result(request, task_id, decision)


@router.post("/tasks/{int:task_id}/mask", response=responses(TaskResult, 200, *ACT), tags=["保密审查"],
             summary="保密审查：脱敏处理（生成新版本，从第一步重新审核）")
def task_mask(request, task_id: PathId, data: json_body(MaskIn)):
    actions.mask_item(actor=request.auth, task=lookups.task(request.auth, task_id),
                      expected_hash=data.expected_hash, comment=data.comment)
    return result(request, task_id)
