"""JSON API endpoints. Thin: validate the shape, find the object the user may see (else 404), call the
action, serialise. Permission and state decisions are the actions' and workflow.permissions' alone."""
import os

from django.contrib.auth import authenticate
from django.db.models import Q
from django.http import FileResponse
from viewflow.workflow.models import Task

from audit.models import AuditRecord
from core.conf import shenfa_setting
from core.errors import InvalidInput, NotAllowedInState
from core.models import Agency, Membership
from publishing import actions as publishing
from workflow import actions, permissions
from workflow.models import Attachment, Information, ReviewRound

from . import spec
from .http import ApiError, endpoint, json_response, not_found
from .serializers import (
    attachments_of,
    audit_json,
    decision_json,
    item_detail,
    item_summary,
    task_json,
    user_json,
)
from .tokens import issue_token

ITEM_ERRORS = (400, 401, 403, 404, 409)


# --- lookups: what the user may not see does not exist for them (404, never a hint) --------------

def _item(user, item_id) -> Information:
    item = (permissions.visible_items(user).select_related("agency", "drafter", "current_revision")
            .filter(pk=item_id).first())
    if item is None:
        raise not_found(en="No such item")
    return item


def _task(user, task_id):
    from workflow.flows import ReviewFlow

    task = (Task.objects.filter(Q(flow_task=ReviewFlow.step) | Q(flow_task=ReviewFlow.publish), pk=task_id)
            .select_related("owner").first())
    rnd = ReviewRound.objects.filter(process_id=task.process_id).first() if task else None
    if rnd is None or not permissions.visible_items(user).filter(pk=rnd.item_id).exists():
        raise not_found(en="No such task")
    return task


# Path parameters checked before the request body is looked at (see http.resource).
PATH_CHECKS = {"item_id": _item, "task_id": _task}


def _task_payload(user, task, decision=None):
    task = Task.objects.select_related("owner").get(pk=task.pk)
    rnd = ReviewRound.objects.get(process_id=task.process_id)
    item = _item(user, rnd.item_id)
    return {"task": task_json(task, rnd, item), "item": item_summary(item),
            "decision": decision_json(decision) if decision is not None else None}


def _detail(user, item_id, status=200):
    return json_response(item_detail(_item(user, item_id)), status=status)


# --- authentication -----------------------------------------------------------------------------

@endpoint("POST", summary="用户名和密码换取 API 令牌", tag="认证", body=spec.TOKEN_REQUEST, response=("Token", 200),
          errors=(400, 401, 429), auth=False,
          description="令牌在修改密码、停用账号或超过有效期后失效。之后的请求带请求头 Authorization: Token <令牌>。")
def token_create(request, *, data):
    from core.context import client_ip
    from core.throttle import is_locked, locked_message

    if is_locked(data["username"], client_ip(request)):
        raise ApiError(429, "throttled", locked_message(), en="Too many failed log-in attempts; try again later")
    user = authenticate(request, username=data["username"], password=data["password"])
    if user is None:
        raise ApiError(401, "invalid_credentials", "用户名或密码错误", en="Wrong username or password")
    token = issue_token(user=user, actor=user, via="api")
    return json_response({"token": token, "user": user_json(user),
                          "max_age_days": shenfa_setting("API_TOKEN_MAX_AGE_DAYS")})


@endpoint("GET", summary="当前用户及其机构角色", tag="认证", response=("Me", 200), errors=(401,))
def me(request, *, user):
    memberships = Membership.objects.filter(user=user, agency__is_active=True).select_related("agency")
    return json_response({
        **user_json(user),
        "memberships": [{"agency": {"id": m.agency_id, "code": m.agency.code, "name": m.agency.name},
                         "role": m.role, "role_label": m.get_role_display()} for m in memberships],
    })


# --- items --------------------------------------------------------------------------------------

@endpoint("GET", summary="我可以查看的信息", tag="信息", query=spec.ITEM_LIST_QUERY, response=("ItemList", 200),
          errors=(400, 401))
def item_list(request, *, user, query):
    qs = permissions.visible_items(user).select_related("agency", "drafter", "current_revision")
    if "status" in query:
        qs = qs.filter(status=query["status"])
    if "agency" in query:
        qs = qs.filter(agency_id=query["agency"])
    if query.get("mine"):
        qs = qs.filter(drafter=user)
    offset, limit = query["offset"], query["limit"]
    return json_response({"count": qs.count(), "limit": limit, "offset": offset,
                          "results": [item_summary(i) for i in qs.order_by("-updated_at", "-pk")[offset:offset + limit]]})


@endpoint("POST", summary="起草信息", tag="信息", body=spec.ITEM_CREATE, response=("Item", 201),
          errors=(400, 401, 403))
def item_create(request, *, user, data):
    fields = dict(data)
    agency = Agency.objects.filter(pk=fields.pop("agency"), is_active=True).first()
    if agency is None:
        raise InvalidInput("发布机构不存在", en="No such agency", field="agency")
    item = actions.create_item(actor=user, agency=agency, data=fields)
    return _detail(user, item.pk, status=201)


@endpoint("GET", summary="信息详情（含当前版本、附件、审核进度、待办任务）", tag="信息", errors=(401, 404))
def item_read(request, *, user, item_id):
    return _detail(user, item_id)


@endpoint("PATCH", summary="修改信息（生成新版本）", tag="信息", body=spec.ITEM_UPDATE,
          description="只需提交要修改的字段。已审核通过的信息被修改后，原审核结论作废，须重新提交审核。")
def item_update(request, *, user, item_id, data):
    item = _item(user, item_id)
    fields = dict(data)
    note = fields.pop("note", "")
    expected = fields.pop("expected_hash", None)
    actions.edit_item(actor=user, item=item, data=fields, note=note, expected_hash=expected)
    return _detail(user, item_id)


@endpoint("POST", summary="提交审核", tag="信息", body=spec.EMPTY)
def item_submit(request, *, user, item_id, data):
    actions.submit_item(actor=user, item=_item(user, item_id))
    return _detail(user, item_id)


@endpoint("GET", summary="附件列表（默认当前版本）", tag="附件", response=("AttachmentList", 200), errors=(400, 401, 404),
          query={"revision": {"type": "integer", "minimum": 1, "maximum": spec.MAX_INT32, "x-label": "版本号"}})
def attachment_list(request, *, user, item_id, query):
    item = _item(user, item_id)
    revision = item.current_revision
    if "revision" in query:
        revision = item.revisions.filter(number=query["revision"]).first()
        if revision is None:
            raise not_found(en="No such revision")
    return json_response({"results": attachments_of(item, revision)})


@endpoint("POST", summary="上传附件（生成新版本）", tag="附件", response=("AttachmentList", 201),
          multipart={
              "type": "object", "required": ["file"],
              "properties": {
                  "file": {"type": "array", "items": {"type": "string", "format": "binary"}, "x-label": "附件",
                           "description": "一个或多个文件（字段名均为 file）"},
                  "note": spec.text("修改说明"),
                  "expected_hash": spec.ITEM_UPDATE["properties"]["expected_hash"],
              }})
def attachment_upload(request, *, user, item_id, data):
    item = _item(user, item_id)
    files = request.FILES.getlist("file")
    if not files:
        raise InvalidInput("请选择要上传的文件", en="No file uploaded", field="file")
    limit = shenfa_setting("ATTACHMENT_MAX_BYTES")
    max_name = Attachment._meta.get_field("name").max_length
    uploads = []
    for f in files:
        name = spec.clean_string(os.path.basename(f.name or ""), path="file", schema={"x-label": "文件名"})
        if len(name) > max_name:
            raise InvalidInput(f"文件名不能超过 {max_name} 个字符", en="File name too long", field="file")
        # Read at most one byte past the limit: the action rejects oversize files, memory stays bounded.
        uploads.append(actions.NewAttachment(name=name, data=f.read(limit + 1), content_type=f.content_type or ""))
    actions.edit_item(actor=user, item=item, add_attachments=uploads, note=data.get("note", ""),
                      expected_hash=data.get("expected_hash"))
    item = _item(user, item_id)
    return json_response({"results": attachments_of(item)}, status=201)


def _attachment(item, attachment_id):
    att = Attachment.objects.select_related("blob", "revision").filter(pk=attachment_id, revision__item=item).first()
    if att is None:
        raise not_found(en="No such attachment")
    return att


@endpoint("GET", summary="下载附件", tag="附件", response=(None, 200), errors=(401, 404), binary=True)
def attachment_download(request, *, user, item_id, attachment_id):
    att = _attachment(_item(user, item_id), attachment_id)
    return FileResponse(att.blob.file.open("rb"), as_attachment=True, filename=att.name,
                        content_type=att.blob.content_type or "application/octet-stream")


@endpoint("DELETE", summary="从当前版本删除附件（生成新版本）", tag="附件", response=("AttachmentList", 200))
def attachment_delete(request, *, user, item_id, attachment_id):
    item = _item(user, item_id)
    att = _attachment(item, attachment_id)
    if att.revision_id != item.current_revision_id:
        raise NotAllowedInState("该附件不在当前版本中", en="Attachment is not in the current revision",
                                code="not_current")
    actions.edit_item(actor=user, item=item, remove_attachments=[att.name], note=f"删除附件 {att.name}")
    return json_response({"results": attachments_of(_item(user, item_id))})


@endpoint("GET", summary="信息的全部审计记录（时间线）", tag="信息", response=("AuditList", 200), errors=(401, 404))
def item_audit(request, *, user, item_id):
    item = _item(user, item_id)
    records = AuditRecord.objects.filter(item=item).order_by("seq")
    return json_response({"count": records.count(), "results": [audit_json(r) for r in records]})


# --- publishing ---------------------------------------------------------------------------------

@endpoint("POST", summary="发布（立即或定时）", tag="发布", body=spec.PUBLISH)
def item_publish(request, *, user, item_id, data):
    publishing.publish_item(actor=user, item=_item(user, item_id), at=data.get("at"))
    return _detail(user, item_id)


@endpoint("POST", summary="撤回（下线）或取消定时发布", tag="发布", body=spec.WITHDRAW)
def item_withdraw(request, *, user, item_id, data):
    publishing.withdraw_item(actor=user, item=_item(user, item_id), reason=data["reason"])
    return _detail(user, item_id)


# --- tasks --------------------------------------------------------------------------------------

def _task_list(user, qs):
    results = []
    for task in qs.select_related("owner").order_by("created", "pk"):
        rnd = ReviewRound.objects.select_related("item__agency", "item__drafter", "item__current_revision").get(
            process_id=task.process_id)
        results.append(task_json(task, rnd, rnd.item))
    return json_response({"count": len(results), "results": results})


@endpoint("GET", summary="我的待办（已认领的任务）", tag="任务", response=("TaskList", 200), errors=(401,))
def tasks_mine(request, *, user):
    return _task_list(user, permissions.my_tasks(user))


@endpoint("GET", summary="可认领的任务", tag="任务", response=("TaskList", 200), errors=(401,))
def tasks_queue(request, *, user):
    return _task_list(user, permissions.queue_for(user))


@endpoint("GET", summary="任务详情", tag="任务", response=("TaskResult", 200), errors=(401, 404))
def task_read(request, *, user, task_id):
    return json_response(_task_payload(user, _task(user, task_id)))


@endpoint("POST", summary="认领任务", tag="任务", body=spec.EMPTY, response=("TaskResult", 200))
def task_claim(request, *, user, task_id, data):
    task = actions.claim_task(actor=user, task=_task(user, task_id))
    return json_response(_task_payload(user, task))


@endpoint("POST", summary="放回任务（取消认领）", tag="任务", body=spec.EMPTY, response=("TaskResult", 200))
def task_unclaim(request, *, user, task_id, data):
    task = actions.unclaim_task(actor=user, task=_task(user, task_id))
    return json_response(_task_payload(user, task))


@endpoint("POST", summary="审核通过（保密审查步骤附 secrecy 结论）", tag="任务", body=spec.APPROVE,
          response=("TaskResult", 200),
          description="expected_hash 为您审阅的版本哈希；若内容已变更返回 409 stale_revision。未认领的任务会自动认领。")
def task_approve(request, *, user, task_id, data):
    task = _task(user, task_id)
    try:
        decision = actions.approve_step(actor=user, task=task, comment=data.get("comment", ""),
                                        expected_hash=data["expected_hash"], secrecy=data.get("secrecy"))
    except InvalidInput as exc:
        if exc.field in spec.SECRECY["properties"]:
            exc.field = f"secrecy.{exc.field}"
        raise
    return json_response(_task_payload(user, task, decision))


@endpoint("POST", summary="退回起草人（本轮审核结束）", tag="任务", body=spec.REJECT, response=("TaskResult", 200))
def task_reject(request, *, user, task_id, data):
    task = _task(user, task_id)
    decision = actions.reject_step(actor=user, task=task, reason=data["reason"])
    return json_response(_task_payload(user, task, decision))


@endpoint("POST", summary="退回到本轮之前的步骤", tag="任务", body=spec.RETURN, response=("TaskResult", 200))
def task_return(request, *, user, task_id, data):
    task = _task(user, task_id)
    decision = actions.return_step(actor=user, task=task, to_step=data["to_step"], reason=data["reason"])
    return json_response(_task_payload(user, task, decision))


@endpoint("POST", summary="校对修改并通过本校对步骤", tag="任务", body=spec.PROOFREAD, response=("TaskResult", 200),
          description="data 中的修改生成新的校对版本，由本校对人通过；此前对旧文本的审核结论作废。")
def task_proofread(request, *, user, task_id, data):
    task = _task(user, task_id)
    try:
        decision = actions.proofread_step(actor=user, task=task, data=data["data"], comment=data.get("comment", ""),
                                          expected_hash=data["expected_hash"])
    except InvalidInput as exc:
        if exc.field in spec.ITEM_FIELDS:
            exc.field = f"data.{exc.field}"
        raise
    return json_response(_task_payload(user, task, decision))
