"""The NinjaAPI of /api/v1/: JSON in (with a media-type check), JSON out (UTF-8, not escaped), every error
in the one format of api.errors, and the OpenAPI document as the routers declare it."""
import datetime
import json

from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.utils.functional import cached_property
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from .errors import ApiError, as_shenfa_error, invalid_input_from, malformed_json, unsupported_media_type

DESCRIPTION = """先审后发、一事一审。每个写操作调用与网页相同的业务动作函数，并在同一事务中写入同一审计链。

认证：`POST /auth/token` 以用户名和密码换取令牌（或已登录网页的用户 `POST /tokens`），之后每个请求带
`Authorization: Token <令牌>`。令牌默认 7 天有效（API_TOKEN_MAX_AGE_DAYS），可在 `/tokens` 查看并逐个吊销；
修改密码吊销全部令牌，退出网页登录吊销该会话签发的令牌。使用网页会话调用时，写操作须带 CSRF 令牌。

错误均为 JSON：`{code, message（中文）, message_en, field?, errors?}`。400 输入无效（含超出取值范围），
401 未认证，403 无权操作，404 不存在或无权查看，405 方法不允许，409 当前状态不允许，415 请求体类型不支持，
500 服务器错误（code 为 server_error，不含调用栈）。

分页：列表接口接受 `limit`（1–100，默认 20）与 `offset`，返回 `{count, limit, offset, results}`。"""


class Encoder(NinjaJSONEncoder):
    """Times keep their microseconds (Django's encoder cuts them to milliseconds), so an updated_at read from
    one answer is an exact `since` for the next sync."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


class Renderer(JSONRenderer):
    encoder_class = Encoder
    json_dumps_params = {"ensure_ascii": False}


class JsonParser(Parser):
    """JSON request bodies only: another media type is a 415, unparsable JSON a 400 malformed_json."""

    def parse_body(self, request):
        ctype = request.content_type or ""
        if ctype and ctype != "application/json" and not ctype.endswith("+json"):
            raise unsupported_media_type()
        try:
            return json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise malformed_json(type(exc).__name__) from exc


def error_response(exc, request=None):
    """The JSON response of a ShenfaError (or of anything else, through api.errors.as_shenfa_error)."""
    error = as_shenfa_error(exc)
    if getattr(exc, "expects_files", False) and request is not None and \
            request.content_type != "multipart/form-data":
        error = unsupported_media_type("multipart/form-data")
    body = error.as_dict()
    if "errors" in body:
        # Actions report {field: message} or {field: [messages]}: the API always answers with lists, and
        # names the first bad field when the action did not.
        body["errors"] = {k: [str(m) for m in v] if isinstance(v, (list, tuple)) else [str(v)]
                          for k, v in body["errors"].items()}
        body.setdefault("field", next(iter(body["errors"])))
    response = JsonResponse(body, status=error.status, json_dumps_params={"ensure_ascii": False})
    for key, value in getattr(error, "headers", {}).items():
        response[key] = value
    return response


class Api(NinjaAPI):
    def __init__(self, **kwargs):
        super().__init__(renderer=Renderer(), parser=JsonParser(), docs_url=None, **kwargs)
        # django-ninja registers its own handlers for these; every one of them answers in our format instead.
        for kind in (Exception, Http404, HttpError, NinjaValidationError, AuthenticationError):
            self.add_exception_handler(kind, lambda request, exc: error_response(exc, request))

    def validation_error_from_error_contexts(self, error_contexts):
        """400 with the field and a Chinese message (django-ninja answers 422 with pydantic's text)."""
        error = NinjaValidationError([])
        error.shenfa_error = invalid_input_from(error_contexts)
        # An upload sent as anything but multipart/form-data: the media type is the problem (415).
        error.expects_files = any(c.model.__ninja_param_source__ == "file" for c in error_contexts)
        return error

    @cached_property
    def schema_document(self):
        return self.build_schema()

    def build_schema(self):
        """The OpenAPI document: paths relative to the server /api/v1, the token or session requirement
        stated once for all operations (public ones say security: [])."""
        doc = dict(super().get_openapi_schema(path_prefix=""))
        doc["servers"] = [{"url": "/api/v1"}]
        schemes = doc.get("components", {}).get("securitySchemes", {})
        default = [{name: []} for name in schemes]
        doc["security"] = default
        for operations in doc["paths"].values():
            for op in operations.values():
                if op.get("security") == default:
                    del op["security"]
                elif "security" not in op:
                    op["security"] = []
        _date_bounds(doc)
        return json.loads(json.dumps(doc, cls=self.renderer.encoder_class))

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return self.schema_document


def _date_bounds(node):
    """pydantic writes a date's bounds as "ge"/"le", which no OpenAPI tool reads: name them formatMinimum /
    formatMaximum (the JSON Schema format-assertion vocabulary) instead."""
    if isinstance(node, dict):
        if node.get("format") in ("date", "date-time"):
            for old, new in (("ge", "formatMinimum"), ("le", "formatMaximum")):
                if old in node:
                    node[new] = node.pop(old)
        for value in node.values():
            _date_bounds(value)
    elif isinstance(node, list):
        for value in node:
            _date_bounds(value)


def json_errors(view):
    """Wrap a django-ninja path view: a method the path does not have is a JSON 405 with Allow."""

    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - whatever escapes django-ninja is still a JSON error
            return error_response(exc)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = ", ".join(sorted(m.strip() for m in response["Allow"].split(",")))
            error = ApiError(405, "method_not_allowed", f"不支持 {request.method} 方法",
                             en=f"Method {request.method} not allowed", headers={"Allow": allowed})
            return error_response(error)
        return response

    wrapper.csrf_exempt = True
    return wrapper
