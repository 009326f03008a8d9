"""Request shapes of the API as OpenAPI 3.0 schema objects, and the small validator that enforces them.

The same dicts feed /api/v1/openapi.json, so what the schema promises is what the API checks. Only the
*shape* is checked here (types, lengths, enums, required keys); every business rule stays in the actions.
Keys starting with "x-" are ours: "x-label" is the Chinese field name used in error messages."""
import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.errors import InvalidInput
from workflow.actions import EDITABLE_FIELDS
from workflow.models import Information, ItemStatus, SecrecyResult, WithholdGround
from workflow.models.review import Step

MAX_ID = 10**18 - 1  # ids in URLs and bodies: well inside 64-bit, never an overflow in the database
MAX_INT32 = 2147483647
MAX_TEXT = 200_000  # comments, reasons, notes
HASH_PATTERN = "^[0-9a-f]{64}$"


def id_schema(label, *, nullable=False):
    schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID, "x-label": label}
    if nullable:
        schema["nullable"] = True
    return schema


def text(label, *, max_length=MAX_TEXT, min_length=0, **extra):
    schema = {"type": "string", "maxLength": max_length, "x-label": label, **extra}
    if min_length:
        schema["minLength"] = min_length
    return schema


def _field_schema(field):
    """OpenAPI schema of one editable Information field, read from the model (one source of truth)."""
    label = str(field.verbose_name)
    if isinstance(field, models.ForeignKey):
        return id_schema(label, nullable=field.null)
    if isinstance(field, models.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, models.DateField):
        schema = {"type": "string", "format": "date"}
    elif isinstance(field, models.DecimalField):
        whole = field.max_digits - field.decimal_places
        schema = {"type": "string", "pattern": rf"^-?[0-9]{{1,{whole}}}(\.[0-9]{{1,{field.decimal_places}}})?$",
                  "x-decimal": True, "description": "十进制数字符串，如 \"120.50\""}
    elif isinstance(field, models.PositiveIntegerField):
        schema = {"type": "integer", "minimum": 0, "maximum": MAX_INT32}
    elif field.choices:
        values = [v for v, _ in field.flatchoices]
        schema = {"type": "string", "enum": values + ([""] if field.blank and "" not in values else [])}
    else:
        schema = {"type": "string", "maxLength": field.max_length or MAX_TEXT * 5}
        if not field.blank:
            schema["minLength"] = 1
    if field.null:
        schema["nullable"] = True
    schema["x-label"] = label
    return schema


ITEM_FIELDS = {name: _field_schema(Information._meta.get_field(name)) for name in EDITABLE_FIELDS}

STEP_ENUM = [s.value for s in Step]

# --- request bodies -----------------------------------------------------------------------------

TOKEN_REQUEST = {
    "type": "object", "additionalProperties": False, "required": ["username", "password"],
    "properties": {"username": text("用户名", max_length=150, min_length=1),
                   "password": text("密码", max_length=4096, min_length=1)},
}

ITEM_CREATE = {
    "type": "object", "additionalProperties": False, "required": ["agency", "title"],
    "properties": {"agency": id_schema("发布机构"), **ITEM_FIELDS},
}

ITEM_UPDATE = {
    "type": "object", "additionalProperties": False,
    "properties": {
        **ITEM_FIELDS,
        "note": text("修改说明"),
        "expected_hash": {"type": "string", "pattern": HASH_PATTERN, "x-label": "版本哈希",
                          "description": "您修改所依据的版本哈希；若该信息已被他人修改则返回 409 stale_revision"},
    },
}

EMPTY = {"type": "object", "additionalProperties": False, "properties": {}}

SECRECY = {
    "type": "object", "additionalProperties": False, "x-label": "保密审查结论",
    "description": "仅保密审查步骤使用",
    "properties": {
        "result": {"type": "string", "enum": list(SecrecyResult.values), "x-label": "保密审查结论",
                   "description": "；".join(f"{v}={label}" for v, label in SecrecyResult.choices)},
        "ground": {"type": "string", "enum": list(WithholdGround.values), "x-label": "不予公开理由",
                   "description": "；".join(f"{v}={label}" for v, label in WithholdGround.choices)},
        "override_ground": text("依法公开的依据", max_length=2000),
        "disclosure_mode": {**ITEM_FIELDS["disclosure_mode"], "x-label": "公开方式"},
        "scope": {**ITEM_FIELDS["scope"], "x-label": "公开范围"},
    },
}

APPROVE = {
    "type": "object", "additionalProperties": False, "required": ["expected_hash"],
    "properties": {
        "comment": text("审核意见"),
        "expected_hash": {"type": "string", "pattern": HASH_PATTERN, "x-label": "版本哈希",
                          "description": "您审阅的版本的内容哈希（任务详情 current_revision.content_hash）"},
        "secrecy": SECRECY,
    },
}

REJECT = {
    "type": "object", "additionalProperties": False, "required": ["reason"],
    "properties": {"reason": text("退回理由", min_length=1)},
}

RETURN = {
    "type": "object", "additionalProperties": False, "required": ["to_step", "reason"],
    "properties": {"to_step": {"type": "string", "enum": STEP_ENUM, "x-label": "退回到的步骤"},
                   "reason": text("退回理由", min_length=1)},
}

PROOFREAD = {
    "type": "object", "additionalProperties": False, "required": ["data", "expected_hash"],
    "properties": {
        "data": {"type": "object", "additionalProperties": False, "properties": ITEM_FIELDS, "x-label": "校对修改"},
        "comment": text("校对意见"),
        "expected_hash": APPROVE["properties"]["expected_hash"],
    },
}

PUBLISH = {
    "type": "object", "additionalProperties": False,
    "properties": {"at": {"type": "string", "format": "date-time", "nullable": True, "x-label": "定时发布时间",
                          "description": "留空立即发布；将来的时间为定时发布（无时区时按 Asia/Shanghai）"}},
}

WITHDRAW = {
    "type": "object", "additionalProperties": False, "required": ["reason"],
    "properties": {"reason": text("撤回理由", min_length=1)},
}

# --- query parameters ---------------------------------------------------------------------------

ITEM_LIST_QUERY = {
    "status": {"type": "string", "enum": list(ItemStatus.values), "x-label": "状态"},
    "agency": id_schema("发布机构"),
    "mine": {"type": "boolean", "x-label": "只看我起草的"},
    "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20, "x-label": "每页条数"},
    "offset": {"type": "integer", "minimum": 0, "maximum": MAX_INT32, "default": 0, "x-label": "偏移"},
}


# --- validation ---------------------------------------------------------------------------------

def _label(schema, path):
    return schema.get("x-label") or path or "请求"


def _bad(path, schema, message, en):
    label = _label(schema, path)
    raise InvalidInput(f"“{label}”{message}", en=f"{path or 'body'}: {en}", field=path or None)


def clean_string(value, *, path="", schema=None):
    schema = schema or {}
    if "\x00" in value:
        _bad(path, schema, "不能包含空字符", "must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        _bad(path, schema, "包含无效字符", "contains invalid characters")
    return value


def validate(schema, value, path=""):
    """Check `value` against the schema subset we use; return it (dates and decimals converted)."""
    if value is None:
        if schema.get("nullable"):
            return None
        _bad(path, schema, "不能为空", "must not be null")
    kind = schema.get("type")
    if kind == "object":
        if not isinstance(value, dict):
            _bad(path, schema, "必须是 JSON 对象", "must be an object")
        props = schema.get("properties", {})
        for key in schema.get("required", ()):
            if key not in value:
                sub = f"{path}.{key}" if path else key
                _bad(sub, props.get(key, {}), "为必填项", "is required")
        out = {}
        for key, item in value.items():
            sub = f"{path}.{key}" if path else str(key)
            if key not in props:
                if schema.get("additionalProperties", True) is False:
                    raise InvalidInput(f"不支持字段“{key}”", en=f"Unknown field: {sub}", field=sub)
                continue
            out[key] = validate(props[key], item, sub)
        return out
    if kind == "boolean":
        if not isinstance(value, bool):
            _bad(path, schema, "必须是 true 或 false", "must be a boolean")
        return value
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            _bad(path, schema, "必须是整数", "must be an integer")
        if "minimum" in schema and value < schema["minimum"] or "maximum" in schema and value > schema["maximum"]:
            _bad(path, schema, f"必须在 {schema.get('minimum', '')} 到 {schema.get('maximum', '')} 之间",
                 "is out of range")
        return value
    if kind == "string":
        if schema.get("x-decimal") and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            _bad(path, schema, "必须是字符串", "must be a string")
        clean_string(value, path=path, schema=schema)
        if "enum" in schema and value not in schema["enum"]:
            _bad(path, schema, f"必须是以下之一：{'、'.join(v for v in schema['enum'] if v) or '（空）'}",
                 "is not one of the allowed values")
        if len(value) > schema.get("maxLength", 10**9):
            _bad(path, schema, f"不能超过 {schema['maxLength']} 个字符", f"longer than {schema['maxLength']}")
        if len(value) < schema.get("minLength", 0):
            _bad(path, schema, "不能为空", "must not be empty")
        if "pattern" in schema and not re.fullmatch(schema["pattern"].strip("^$"), value):
            _bad(path, schema, "格式不正确", "has the wrong format")
        if schema.get("x-decimal"):
            try:
                return Decimal(value)
            except InvalidOperation:
                _bad(path, schema, "不是有效的数字", "is not a number")
        fmt = schema.get("format")
        if fmt == "date":
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                _bad(path, schema, "必须是日期，如 2024-03-01", "must be a date YYYY-MM-DD")
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                _bad(path, schema, "不是有效的日期", "is not a valid date")
        if fmt == "date-time":
            return parse_moment(value, path=path, schema=schema)
        return value
    return value


def parse_moment(value, *, path, schema):
    try:
        moment = parse_datetime(value.strip())
    except ValueError:
        moment = None
    if moment is None:
        _bad(path, schema, "必须是日期时间，如 2026-01-05T09:00:00+08:00", "must be an ISO 8601 date-time")
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        moment.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        _bad(path, schema, "超出可用的时间范围", "is out of range")
    return moment


def validate_query(params: dict, query) -> dict:
    """Validate query-string parameters (strings) against their schemas, converting types."""
    out = {}
    for name in query:
        if name not in params:
            continue  # unknown query parameters are ignored, as browsers and proxies add their own
        raw = query.get(name)
        schema = params[name]
        kind = schema.get("type")
        clean_string(raw, path=name, schema=schema)
        if kind == "integer":
            value = int(raw) if re.fullmatch(r"-?\d{1,19}", raw.strip()) else raw
        elif kind == "boolean":
            value = {"true": True, "false": False, "1": True, "0": False}.get(raw.strip().lower(), raw)
        else:
            value = raw
        out[name] = validate(schema, value, name)
    for name, schema in params.items():
        if name not in out and "default" in schema:
            out[name] = schema["default"]
    return out


def public_schema(schema):
    """The schema as published: our "x-" keys removed (the label goes into the description)."""
    if isinstance(schema, dict):
        out = {k: public_schema(v) for k, v in schema.items() if not k.startswith("x-")}
        if "x-label" in schema and "type" in schema and schema.get("type") != "object":
            out["description"] = schema["x-label"] + (f"。{schema['description']}" if schema.get("description")
                                                      else "")
        return out
    if isinstance(schema, list):
        return [public_schema(v) for v in schema]
    return schema
