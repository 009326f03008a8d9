"""/api/v1/openapi.json: generated from the route table (urls.py) and each endpoint's declaration, so it
lists exactly the operations that exist, with the request shapes the API enforces."""
import re

from django.views.decorators.http import require_GET
from viewflow.workflow.status import STATUS

from audit.models import AuditRecord
from workflow.models import ItemStatus, ReviewRound, Revision, StepDecision

from . import spec
from .http import json_response

ERROR_TEXT = {
    400: "输入无效：请求体不是有效的 JSON、类型或长度不符、缺少必填项；field 指明出错的字段",
    401: "未认证：缺少、无效、过期或已吊销的令牌",
    403: "无权操作（角色、机构、审核分离要求），或会话请求的 CSRF 校验失败",
    404: "对象不存在，或您无权查看（其他机构的信息同样返回 404）",
    409: "当前状态不允许此操作，或对象已被他人修改/处理（code 如 invalid_state、stale_revision、task_taken）",
    415: "请求体的 Content-Type 不支持",
    429: "登录失败次数过多，暂时锁定（code throttled）",
}

STRING = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
DATETIME = {"type": "string", "format": "date-time"}
HASH = {"type": "string", "pattern": spec.HASH_PATTERN}


def obj(props, *, nullable=False, description=""):
    schema = {"type": "object", "required": list(props), "properties": props}
    if nullable:
        schema["nullable"] = True
    if description:
        schema["description"] = description
    return schema


def nullable(schema):
    return {**schema, "nullable": True}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def array(items):
    return {"type": "array", "items": items}


def user(nullable_=False):
    return obj({"id": INT, "username": STRING, "name": STRING}, nullable=nullable_)


def revision(nullable_=False):
    return obj({
        "number": INT, "kind": {"type": "string", "enum": list(Revision.Kind.values)}, "content_hash": HASH,
        "note": STRING, "created_at": DATETIME, "created_by": user(),
        "privacy_findings": {"type": "integer", "description": "保密预检发现的疑似问题数"},
    }, nullable=nullable_)


def _response_field(schema):
    """An editable field as it appears in responses: the type, without input-only limits."""
    keep = {k: v for k, v in schema.items() if k in ("type", "enum", "format", "nullable", "x-label")}
    if schema.get("x-decimal"):
        keep["description"] = "十进制数字符串"
    return keep


STEP = {"type": "string", "description": "步骤代码；发布任务为 publish", "enum": spec.STEP_ENUM + ["publish"]}

ITEM_SUMMARY = {
    "id": INT, "title": STRING, "doc_number": STRING, "info_type": _response_field(spec.ITEM_FIELDS["info_type"]),
    "agency": obj({"id": INT, "code": STRING, "name": STRING}), "drafter": user(),
    "status": {"type": "string", "enum": list(ItemStatus.values)}, "status_label": STRING, "online": BOOL,
    "index_number": nullable(STRING), "current_revision_hash": nullable(HASH), "updated_at": DATETIME,
}

DECISION = obj({
    "id": INT, "step": {"type": "string", "enum": spec.STEP_ENUM}, "step_label": STRING,
    "decision": {"type": "string", "enum": list(StepDecision.Decision.values)}, "actor": user(),
    "revision_hash": HASH, "comment": STRING, "details": {"type": "object"}, "voided": BOOL,
    "voided_reason": STRING, "created_at": DATETIME,
})

ROUND = obj({
    "number": INT, "status": {"type": "string", "enum": list(ReviewRound.Status.values)}, "policy_name": STRING,
    "steps": array(obj({"step": {"type": "string", "enum": spec.STEP_ENUM}, "label": STRING})),
    "position": INT, "current_step": nullable({"type": "string", "enum": spec.STEP_ENUM}),
    "submitted_revision_hash": HASH, "submitted_by": user(), "started_at": DATETIME,
    "finished_at": nullable(DATETIME), "decisions": array(ref("Decision")),
}, nullable=True, description="最近一轮审核；未提交过则为 null")

TASK_BRIEF = {
    "id": INT, "step": STEP, "step_label": STRING, "status": {"type": "string", "enum": list(STATUS.values)},
    "owner": user(True), "created": DATETIME,
}

COMPONENTS = {
    "Error": {
        "type": "object", "required": ["code", "message", "message_en"],
        "properties": {
            "code": {"type": "string", "description": "稳定的错误代码，如 invalid_input、permission_denied、invalid_state、"
                                                      "stale_revision、task_taken、task_closed、not_found、"
                                                      "not_authenticated、invalid_token、malformed_json"},
            "message": {"type": "string", "description": "中文提示"},
            "message_en": STRING,
            "field": {"type": "string", "description": "出错的字段（嵌套字段用点号，如 secrecy.ground）"},
            "errors": {"type": "object", "additionalProperties": array(STRING)},
        },
    },
    "Token": obj({"token": STRING, "user": user(), "max_age_days": INT}),
    "Me": obj({**user()["properties"], "memberships": array(obj({
        "agency": obj({"id": INT, "code": STRING, "name": STRING}), "role": STRING, "role_label": STRING}))}),
    "ItemSummary": obj(ITEM_SUMMARY),
    "ItemList": obj({"count": INT, "limit": INT, "offset": INT, "results": array(ref("ItemSummary"))}),
    "Attachment": obj({"id": INT, "name": STRING, "size": INT, "sha256": HASH, "content_type": STRING,
                       "revision": {"type": "integer", "description": "所属版本号"}, "download_url": STRING}),
    "AttachmentList": obj({"results": array(ref("Attachment"))}),
    "Decision": DECISION,
    "TaskBrief": obj(TASK_BRIEF),
    "Item": obj({
        **ITEM_SUMMARY,
        **{name: _response_field(s) for name, s in spec.ITEM_FIELDS.items()},
        "validity": STRING, "publish_at": nullable(DATETIME), "published_at": nullable(DATETIME),
        "display_until": nullable(DATETIME), "offline_reason": STRING, "current_revision": revision(True),
        "published_revision_hash": nullable(HASH), "attachments": array(ref("Attachment")), "review": ROUND,
        "open_tasks": array(ref("TaskBrief")),
    }),
    "Task": obj({
        **TASK_BRIEF, "is_open": BOOL, "claimable": BOOL, "round": INT,
        "current_step": nullable({"type": "string", "enum": spec.STEP_ENUM}), "item": ref("ItemSummary"),
        "current_revision": revision(True),
    }),
    "TaskList": obj({"count": INT, "results": array(ref("Task"))}),
    "TaskResult": obj({"task": ref("Task"), "item": ref("ItemSummary"), "decision": nullable(DECISION)}),
    "AuditRecord": obj({
        "seq": INT, "created_at": DATETIME, "action": {"type": "string", "description": "如 workflow.review.approve"},
        "actor": nullable(INT), "actor_name": STRING, "role": STRING, "revision_hash": STRING,
        "from_state": STRING, "to_state": STRING, "comment": STRING, "data": {"type": "object"},
        "hash": {"type": "string", "maxLength": AuditRecord._meta.get_field("hash").max_length},
        "prev_hash": STRING,
    }),
    "AuditList": obj({"count": INT, "results": array(ref("AuditRecord"))}),
}


def _path_and_params(route):
    params = []

    def repl(match):
        params.append({"name": match.group(2), "in": "path", "required": True,
                       "schema": {"type": "integer", "minimum": 1, "maximum": spec.MAX_ID}})
        return "{" + match.group(2) + "}"

    return "/" + re.sub(r"<(\w+):(\w+)>", repl, route), params


def _operation(api, path_params):
    op = {"operationId": api.func.__name__, "summary": api.summary, "tags": [api.tag]}
    if api.description:
        op["description"] = api.description
    params = list(path_params)
    for name, schema in (api.query or {}).items():
        params.append({"name": name, "in": "query", "required": False, "schema": spec.public_schema(schema)})
    if params:
        op["parameters"] = params
    errors = set(api.errors)
    if api.body is not None:
        op["requestBody"] = {"required": bool(api.body.get("required")),
                             "content": {"application/json": {"schema": spec.public_schema(api.body)}}}
        errors |= {400, 415}
    if api.multipart is not None:
        op["requestBody"] = {"required": True,
                             "content": {"multipart/form-data": {"schema": spec.public_schema(api.multipart)}}}
        errors |= {400, 415}
    if api.query:
        errors.add(400)
    if path_params:
        errors.add(404)
    if api.auth:
        errors.add(401)
        if api.method in ("POST", "PATCH", "DELETE"):
            errors.add(403)  # CSRF failure of a session-authenticated write
    else:
        op["security"] = []
    name, status = api.response
    if api.binary:
        content = {"*/*": {"schema": {"type": "string", "format": "binary"}}}
    else:
        content = {"application/json": {"schema": ref(name)}}
    responses = {str(status): {"description": "成功", "content": content}}
    for code in sorted(errors):
        responses[str(code)] = {"description": ERROR_TEXT[code],
                                "content": {"application/json": {"schema": ref("Error")}}}
    op["responses"] = responses
    return op


def build_schema():
    """The OpenAPI 3.0 document of the API, as a dict."""
    from . import urls

    paths = {}
    for pattern in urls.urlpatterns:
        handlers = getattr(pattern.callback, "handlers", None)
        if not handlers:
            continue
        path, params = _path_and_params(str(pattern.pattern))
        paths[path] = {method.lower(): _operation(h.api, params) for method, h in handlers.items()}
    tags = sorted({op["tags"][0] for item in paths.values() for op in item.values()})
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "审发 · 政务公开审核发布系统 API",
            "version": "1.0.0",
            "description": (
                "先审后发、一事一审。所有写操作调用与网页相同的业务动作，并写入同一审计链。\n\n"
                "认证：POST /auth/token 以用户名和密码换取令牌，之后每个请求带 `Authorization: Token <令牌>`。"
                "令牌认证的请求无需 CSRF；使用会话（已登录网页）调用时写操作须带 CSRF 令牌。\n\n"
                "错误均为 JSON：{code, message（中文）, message_en, field?}。400 输入无效，401 未认证，"
                "403 无权操作，404 不存在或无权查看，405 方法不允许，409 状态不允许。"
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "tags": [{"name": t} for t in tags],
        "security": [{"TokenAuth": []}, {"SessionAuth": []}],
        "paths": paths,
        "components": {
            "schemas": spec.public_schema(COMPONENTS),
            "securitySchemes": {
                "TokenAuth": {"type": "apiKey", "in": "header", "name": "Authorization",
                              "description": "Token <令牌>（由 POST /auth/token 或 manage.py api_token 获得）"},
                "SessionAuth": {"type": "apiKey", "in": "cookie", "name": "sessionid",
                                "description": "网页登录会话；写操作须带 X-CSRFToken 请求头"},
            },
        },
    }


@require_GET
def schema_view(request):
    return json_response(build_schema())
