"""The API's error format and the mapping of every failure onto it.

Every error is JSON: {"code", "message" (Chinese), "message_en", "field"?, "errors"?}. Action errors keep
their status (400 input, 403 not for you, 404 not found or not yours to see, 409 state); invalid input is
400, not django-ninja's 422; anything unexpected is a 500 with code "server_error" and no traceback."""
import logging
import typing

import pydantic
from django.core.exceptions import (
    ObjectDoesNotExist,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from core.errors import InvalidInput, NotFound, ShenfaError

log = logging.getLogger("api")


class ApiError(ShenfaError):
    """An error of the API layer itself (authentication, media type, parsing), with its own status."""

    def __init__(self, status, code, message, *, en="", field=None, headers=None):
        super().__init__(message, code=code, en=en, field=field)
        self.status = status
        self.headers = headers or {}


def not_found(en="Not found"):
    return NotFound("未找到该对象，或您无权查看", en=en)


def not_authenticated():
    return ApiError(401, "not_authenticated", "请先登录或提供 API 令牌（Authorization: Token <令牌>）",
                    en="Authentication required", headers={"WWW-Authenticate": "Token"})


def invalid_token():
    return ApiError(401, "invalid_token", "令牌无效、已过期或已被吊销，请重新获取",
                    en="Invalid, expired or revoked token", headers={"WWW-Authenticate": "Token"})


def malformed_json(detail=""):
    en = f"Malformed JSON: {detail}" if detail else "Malformed JSON"
    return ApiError(400, "malformed_json", "请求体不是有效的 JSON", en=en)


def unsupported_media_type(expected="application/json"):
    text = "请以 multipart/form-data 上传文件" if expected.startswith("multipart") else \
        "请求体须为 JSON（Content-Type: application/json）"
    return ApiError(415, "unsupported_media_type", text, en=f"Request body must be {expected}")


# --- pydantic errors -> Chinese -------------------------------------------------------------------

MESSAGES = {
    "missing": ("为必填项", "is required"),
    "extra_forbidden": (None, "Unknown field"),
    "string_type": ("必须是字符串", "must be a string"),
    "string_too_long": ("不能超过 {max_length} 个字符", "longer than {max_length}"),
    "string_too_short": ("不能为空", "must not be empty"),
    "string_pattern_mismatch": ("格式不正确", "has the wrong format"),
    "int_type": ("必须是整数", "must be an integer"),
    "int_parsing": ("必须是整数", "must be an integer"),
    "int_from_float": ("必须是整数", "must be an integer"),
    "greater_than_equal": ("不能小于 {ge}", "must be at least {ge}"),
    "greater_than": ("必须大于 {gt}", "must be greater than {gt}"),
    "less_than_equal": ("不能大于 {le}", "must be at most {le}"),
    "less_than": ("必须小于 {lt}", "must be less than {lt}"),
    "bool_type": ("必须是 true 或 false", "must be a boolean"),
    "bool_parsing": ("必须是 true 或 false", "must be a boolean"),
    "literal_error": ("必须是以下之一：{expected}", "is not one of the allowed values"),
    "enum": ("必须是以下之一：{expected}", "is not one of the allowed values"),
    "date_parsing": ("不是有效的日期", "is not a valid date"),
    "date_from_datetime_parsing": ("不是有效的日期", "is not a valid date"),
    "date_type": ("必须是日期，如 2024-03-01", "must be a date YYYY-MM-DD"),
    "datetime_parsing": ("必须是日期时间，如 2026-01-05T09:00:00+08:00", "must be an ISO 8601 date-time"),
    "datetime_from_date_parsing": ("必须是日期时间，如 2026-01-05T09:00:00+08:00", "must be an ISO 8601 date-time"),
    "datetime_type": ("必须是日期时间，如 2026-01-05T09:00:00+08:00", "must be an ISO 8601 date-time"),
    "decimal_parsing": ("不是有效的数字", "is not a number"),
    "decimal_type": ("不是有效的数字", "is not a number"),
    "decimal_max_digits": ("最多 {max_digits} 位数字", "has too many digits"),
    "decimal_max_places": ("最多 {decimal_places} 位小数", "has too many decimal places"),
    "decimal_whole_digits": ("整数部分位数过多", "has too many whole digits"),
    "finite_number": ("必须是有限的数字", "must be a finite number"),
    "model_type": ("必须是 JSON 对象", "must be an object"),
    "model_attributes_type": ("必须是 JSON 对象", "must be an object"),
    "dict_type": ("必须是 JSON 对象", "must be an object"),
    "list_type": ("必须是数组", "must be an array"),
    "too_long": ("最多 {max_length} 项", "has too many entries"),
    "too_short": ("至少 {min_length} 项", "has too few entries"),
    "none_required": ("必须为空", "must be null"),
}
SOURCES = {"body", "query", "path", "form", "file", "header", "cookie"}


def _annotation_model(annotation):
    """The pydantic model inside an annotation (Optional[Model], list[Model], Model), if any."""
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        model = _annotation_model(arg)
        if model is not None:
            return model
    return None


def _label(model, path):
    """The Chinese title of the field at `path` (declared with Field(title=...)), or the field name."""
    label = None
    for key in path:
        if model is None or not isinstance(key, str):
            continue
        info = model.model_fields.get(key)
        if info is None:
            return None
        label = info.title
        model = _annotation_model(info.annotation)
    return label


def _field_path(model, loc):
    """loc without its source ("body", "query"...) and without the name of a single body parameter."""
    path = list(loc)
    if path and path[0] in SOURCES:
        source = path.pop(0)
        if source == "body" and path and getattr(model, "__read_from_single_attr__", None) == path[0]:
            model_field = model.model_fields.get(path[0])
            model = _annotation_model(model_field.annotation) if model_field else None
            path.pop(0)
    return model, path


def _describe(error, model):
    inner, path = _field_path(model, error["loc"])
    field = ".".join(str(p) for p in path) or None
    label = _label(inner, path) or (str(path[-1]) if path else "请求")
    ctx = dict(error.get("ctx") or {})
    kind = error["type"]
    if kind == "extra_forbidden":
        name = path[-1] if path else ""
        return field, f"不支持字段“{name}”", f"Unknown field: {field}"
    zh, en = MESSAGES.get(kind, (None, None))
    if zh is None:
        zh, en = (error.get("msg") or "无效", error.get("msg") or "invalid")
        if kind in ("value_error", "assertion_error"):
            zh = str(ctx.get("error") or zh).removeprefix("Value error, ")
    if "expected" in ctx:
        ctx["expected"] = str(ctx["expected"]).replace("'", "").replace(" or ", "、").replace(", ", "、")
    try:
        zh, en = zh.format(**ctx), en.format(**ctx)
    except (KeyError, IndexError, ValueError):
        pass
    return field, f"“{label}”{zh}", f"{field or 'body'}: {en}"


def invalid_input_from(contexts) -> InvalidInput:
    """One InvalidInput (field = the first bad field, errors = every bad field) from pydantic errors."""
    errors, first = {}, None
    for context in contexts:
        for error in context.pydantic_validation_error.errors(include_url=False):
            error["loc"] = (context.model.__ninja_param_source__,) + \
                context.model.__ninja_flatten_map_reverse__.get(error["loc"], error["loc"])
            field, zh, en = _describe(error, context.model)
            errors.setdefault(field or "__all__", []).append(zh)
            if first is None:
                first = (field, zh, en)
    field, zh, en = first
    return InvalidInput(zh, en=en, field=field, errors=errors)


# --- exception -> response --------------------------------------------------------------------------

def as_shenfa_error(exc: Exception) -> ShenfaError:
    """The API error for any exception raised while answering a request."""
    if isinstance(exc, ShenfaError):
        return exc
    if isinstance(exc, NinjaValidationError):  # built by Api.validation_error_from_error_contexts
        return getattr(exc, "shenfa_error", None) or InvalidInput("输入无效", en="Invalid input")
    if isinstance(exc, AuthenticationError):
        return not_authenticated()
    if isinstance(exc, Throttled):
        return ApiError(429, "throttled", "请求过于频繁，请稍后再试", en="Too many requests")
    if isinstance(exc, HttpError):
        # django-ninja wraps body parser errors as HttpError(400) "from" the parser's own error.
        if isinstance(exc.__cause__, ShenfaError):
            return exc.__cause__
        if exc.status_code == 400:
            return malformed_json()
        return ApiError(exc.status_code, "error", str(exc), en=str(exc))
    if isinstance(exc, (Http404, ObjectDoesNotExist)):
        return not_found()
    if isinstance(exc, (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, MultiPartParserError,
                        SuspiciousOperation)):
        return ApiError(400, "bad_request", "请求过大或格式不正确", en=f"Bad request: {type(exc).__name__}")
    log.exception("API request failed", exc_info=exc)
    return ApiError(500, "server_error", "服务器内部错误，请稍后再试；问题已记录", en="Internal server error")
