"""Plumbing of the JSON API: endpoint declarations, authentication, CSRF, body parsing and error mapping.

Views declare what they accept with @endpoint(...); resource() turns one or more of them into the
Django view of one path. The declarations are also what openapi.py publishes."""
import json
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from core.errors import ShenfaError

from . import spec
from .tokens import user_for_token

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class ApiError(ShenfaError):
    """An error of the API layer itself (authentication, routing, parsing)."""

    def __init__(self, status, code, message, *, en="", field=None, headers=None):
        super().__init__(message, code=code, en=en, field=field)
        self.status = status
        self.headers = headers or {}


def not_found(en="Not found"):
    return ApiError(404, "not_found", "未找到该对象，或您无权查看", en=en)


def json_response(data, status=200, headers=None):
    response = JsonResponse(data, status=status, encoder=DjangoJSONEncoder, safe=False,
                            json_dumps_params={"ensure_ascii": False})
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def error_response(exc: ShenfaError):
    return json_response(exc.as_dict(), status=exc.status, headers=getattr(exc, "headers", None))


@dataclass
class Endpoint:
    func: object
    method: str
    summary: str
    tag: str
    body: dict | None = None            # JSON request body schema
    multipart: dict | None = None       # multipart/form-data body schema
    query: dict | None = None           # query parameter schemas
    response: tuple = ("Item", 200)     # (component name | None, status)
    errors: tuple = (400, 401, 403, 404, 409)
    auth: bool = True
    description: str = ""
    binary: bool = False                # the success response is a file
    extra: dict = field(default_factory=dict)


def endpoint(method, *, summary, tag, **options):
    """Declare a handler: method, OpenAPI summary/tag, request schemas, success response and error codes."""

    def decorate(func):
        func.api = Endpoint(func=func, method=method, summary=summary, tag=tag, **options)
        return func

    return decorate


def _authenticate(request):
    """(user, by_token). A present but bad Authorization header never falls back to the session."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header:
        scheme, _, token = header.strip().partition(" ")
        user = user_for_token(token.strip()) if scheme.lower() == "token" else None
        if user is None:
            raise ApiError(401, "invalid_token", "令牌无效、已过期或已被吊销，请重新获取",
                           en="Invalid, expired or revoked token", headers={"WWW-Authenticate": "Token"})
        request.user = user
        return user, True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user, False
    raise ApiError(401, "not_authenticated", "请先登录或提供 API 令牌（Authorization: Token <令牌>）",
                   en="Authentication required", headers={"WWW-Authenticate": "Token"})


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


def _enforce_csrf(request):
    """Session-authenticated writes need a CSRF token like any form; token-authenticated ones do not."""
    check = _CsrfCheck(lambda req: None)
    check.process_request(request)
    reason = check.process_view(request, None, (), {})
    if reason:
        raise ApiError(403, "csrf_failed", "CSRF 校验失败，请刷新页面后重试", en=f"CSRF failed: {reason}")


def _json_body(request, schema):
    raw = request.body
    if not raw.strip():
        data = {}
    else:
        ctype = request.content_type or ""
        if ctype and ctype != "application/json" and not ctype.endswith("+json"):
            raise ApiError(415, "unsupported_media_type", "请求体须为 JSON（Content-Type: application/json）",
                           en="Request body must be application/json")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise ApiError(400, "malformed_json", "请求体不是有效的 JSON", en=f"Malformed JSON: {exc}") from exc
    return spec.validate(schema, data)


def _multipart_body(request, schema):
    if request.content_type != "multipart/form-data":
        raise ApiError(415, "unsupported_media_type", "请以 multipart/form-data 上传文件",
                       en="Use multipart/form-data")
    fields = {}
    for key in request.POST:
        props = schema.get("properties", {})
        if key not in props or props[key].get("format") == "binary":
            raise ApiError(400, "invalid_input", f"不支持字段“{key}”", en=f"Unknown field: {key}", field=key)
        fields[key] = spec.validate(props[key], request.POST.get(key), key)
    for key in request.FILES:
        if key not in schema.get("properties", {}):
            raise ApiError(400, "invalid_input", f"不支持字段“{key}”", en=f"Unknown field: {key}", field=key)
    return fields


def resource(*handlers, checks=None):
    """The Django view of one API path, dispatching to the handler declared for the request's method.

    `checks` maps path parameters to lookups run right after authentication: an object the user may not
    see is a 404 before anything about the request body is said."""
    by_method = {h.api.method: h for h in handlers}
    checks = checks or {}

    @csrf_exempt  # enforced below for session-authenticated requests
    def view(request, **kwargs):
        handler = by_method.get(request.method)
        try:
            if handler is None:
                raise ApiError(405, "method_not_allowed", f"不支持 {request.method} 方法",
                               en=f"Method {request.method} not allowed", headers={"Allow": ", ".join(by_method)})
            api = handler.api
            call = dict(kwargs)
            if api.auth:
                user, by_token = _authenticate(request)
                if request.method in UNSAFE and not by_token:
                    _enforce_csrf(request)
                call["user"] = user
                for name, value in kwargs.items():
                    if name in checks:
                        checks[name](user, value)
            if api.query is not None:
                call["query"] = spec.validate_query(api.query, request.GET)
            if api.body is not None:
                call["data"] = _json_body(request, api.body)
            if api.multipart is not None:
                call["data"] = _multipart_body(request, api.multipart)
            return handler(request, **call)
        except ShenfaError as exc:
            return error_response(exc)
        except (Http404, ObjectDoesNotExist):
            return error_response(not_found())
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, MultiPartParserError) as exc:
            return error_response(ApiError(400, "bad_request", "请求过大或格式不正确", en=f"Bad request: {exc}"))

    view.handlers = by_method
    return view


@csrf_exempt
def unknown_path(request, rest=""):
    """JSON 404 for any path under /api/v1/ that is not an endpoint (instead of an HTML page)."""
    return error_response(not_found(en="No such API endpoint"))
