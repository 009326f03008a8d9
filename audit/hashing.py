"""The exact bytes an audit record's hash covers, built the same way in Python and in PostgreSQL.

Format "v2": the JSON array PostgreSQL's json_build_array('v2', <FIELDS in order>) prints: strings JSON-escaped,
numbers as digits, NULL as null, `created_at` as integer microseconds since 1970 (UTC), `data` in jsonb's text
form (jsonb_text below reproduces it), ", " between elements. JSON quoting keeps field boundaries unambiguous.
The verifier lets the database build the message in C (message_sql) and only computes the HMAC itself.
Records of the closed legacy chain (key id "") keep their old form: unkeyed SHA-256 over legacy_canonical()."""
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

# (column, kind): t text, i integer, n nullable integer, ts timestamp, j json
FIELDS = [
    ("chain", "t"), ("chain_seq", "i"), ("seq", "i"), ("created_at", "ts"), ("action", "t"), ("actor_id", "n"),
    ("actor_name", "t"), ("role", "t"), ("agency_id", "n"), ("item_id", "n"), ("subject_type", "t"),
    ("subject_id", "t"), ("revision_hash", "t"), ("from_state", "t"), ("to_state", "t"), ("comment", "t"),
    ("data", "j"), ("ip", "t"), ("prev_hash", "t"), ("key_id", "t"),
]
COLUMNS = [name for name, _ in FIELDS]
VERSION = "v2"

_str = json.JSONEncoder(ensure_ascii=False).encode


def jsonb_text(value) -> str:
    """`value` (plain JSON data) as PostgreSQL prints it after a round trip through jsonb."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # jsonb keeps numbers as numeric: no exponent, no negative zero
        return format(Decimal(repr(value if value else 0.0)), "f")
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(jsonb_text(v) for v in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (len(k.encode("utf-8")), k.encode("utf-8")))
        return "{" + ", ".join(f"{_str(k)}: {jsonb_text(value[k])}" for k in keys) + "}"
    raise TypeError(f"not JSON data: {type(value).__name__}")


def normalise_data(data) -> object:
    """What the JSON column will hold (keys made strings, tuples lists): hash exactly that."""
    return json.loads(json.dumps(data or {}))


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)


def _text(kind, value) -> str:
    if kind == "t":
        return _str(value or "")
    if kind == "i":
        return str(int(value))
    if kind == "n":
        return "null" if value is None else str(int(value))
    if kind == "ts":
        return str((value - _EPOCH) // _MICRO)
    if isinstance(value, str):  # already in jsonb text form
        return value
    return jsonb_text(value)


def message(values) -> bytes:
    """The signed bytes of a record given its FIELDS values in order."""
    parts = [_str(VERSION)]
    parts.extend(_text(kind, value) for (_, kind), value in zip(FIELDS, values, strict=True))
    return ("[" + ", ".join(parts) + "]").encode("utf-8")


def _sql_expr(name, kind):
    if kind == "ts":
        return f"(extract(epoch FROM {name}) * 1000000)::bigint"
    return name


def message_sql() -> str:
    """A PostgreSQL expression over audit_auditrecord giving message(...) as bytea."""
    args = ", ".join(_sql_expr(n, k) for n, k in FIELDS)
    return f"convert_to(json_build_array('{VERSION}'::text, {args})::text, 'UTF8')"


def sign(key: bytes, msg: bytes) -> str:
    return hmac.digest(key, msg, "sha256").hex()


def legacy_hash(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def legacy_canonical(v) -> str:
    """The text the unkeyed SHA-256 of a legacy record covers (the format of the single global chain)."""
    payload = {
        "seq": v["seq"], "created_at": v["created_at"].isoformat(timespec="microseconds"), "action": v["action"],
        "actor": v["actor_id"], "actor_name": v["actor_name"], "role": v["role"], "agency": v["agency_id"],
        "item": v["item_id"], "subject_type": v["subject_type"], "subject_id": v["subject_id"],
        "revision_hash": v["revision_hash"], "from_state": v["from_state"], "to_state": v["to_state"],
        "comment": v["comment"], "data": v["data"], "ip": v["ip"], "prev_hash": v["prev_hash"],
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
