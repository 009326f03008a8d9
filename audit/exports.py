"""Exports of the review records (AuditRecord): CSV (UTF-8 with BOM), XLSX, JSON lines.

Exports stream: rows are read with .iterator(chunk_size=...) and written out one by one, so memory stays
flat however many records there are. CSV on PostgreSQL is produced by the database itself (COPY ... TO STDOUT
over the same filtered query), row by row, with the same columns and quoting; the one difference is the order
of keys inside the 详情 (data) JSON, which is PostgreSQL's jsonb order there. Each export is first audited
("audit.export": who, which filter, how
many rows) in its own transaction; the rows exported are bounded by the chain's sequence number at that
moment, so the audited row count is exactly what the file holds."""
import csv
import json
import tempfile
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from openpyxl import Workbook

from core.errors import InvalidInput, NotAllowedForYou
from core.models import Agency, Role
from core.org import agencies_with_role

from . import log as audit
from .models import AuditRecord
from .permissions import export_agency_ids, export_denial

FORMATS = ("csv", "xlsx", "jsonl")


def _item_model():
    # The review engine sits above the audit trail: reach its item model through the foreign key.
    return AuditRecord._meta.get_field("item").related_model

CHUNK_SIZE = 2000
COPY_CHUNK_BYTES = 64 * 1024

COLUMNS = [
    ("seq", "序号"), ("created_at", "时间"), ("action", "动作"), ("actor", "操作人账号"), ("actor_name", "操作人"),
    ("role", "角色"), ("agency_code", "机构代码"), ("agency_name", "机构"), ("item_id", "信息编号"),
    ("item_title", "信息名称"), ("subject_type", "对象类型"), ("subject_id", "对象编号"),
    ("revision_hash", "版本哈希"), ("from_state", "原状态"), ("to_state", "新状态"), ("comment", "意见"),
    ("data", "详情"), ("ip", "IP 地址"), ("prev_hash", "前一记录哈希"), ("hash", "记录哈希"),
]
_VALUES = [
    "seq", "created_at", "action", "actor__username", "actor_name", "role", "agency__code", "agency__name",
    "item_id", "item__title", "subject_type", "subject_id", "revision_hash", "from_state", "to_state", "comment",
    "data", "ip", "prev_hash", "hash",
]


@dataclass
class ExportFilter:
    agency: str = ""        # agency code; includes its sub-agencies
    date_from: str = ""     # YYYY-MM-DD, local date, inclusive
    date_to: str = ""       # YYYY-MM-DD, local date, inclusive
    item: str = ""          # item id
    actor: str = ""         # username
    action: str = ""        # exact action name, or a prefix ending in "." or "*" (workflow.review.*)

    @classmethod
    def from_mapping(cls, data):
        def get(*names):
            for name in names:
                value = data.get(name)
                if value not in (None, ""):
                    return str(value).strip()
            return ""
        return cls(agency=get("agency"), date_from=get("date_from", "from"), date_to=get("date_to", "to"),
                   item=get("item"), actor=get("actor"), action=get("action"))

    def as_dict(self):
        return {k: v for k, v in asdict(self).items() if v}


def _parse_date(value, field, label):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{label}格式不正确，应为 YYYY-MM-DD", en=f"Bad date in {field}", field=field) from None


def build_queryset(filters: ExportFilter, allowed_ids):
    """The records matching `filters` within the agencies `allowed_ids` (None: no limit). Raises InvalidInput."""
    errors = {}
    qs = AuditRecord.objects.all()
    if allowed_ids is not None:
        qs = qs.filter(Q(agency_id__in=allowed_ids) | Q(item__agency_id__in=allowed_ids))
    if filters.agency:
        agency = Agency.objects.filter(code=filters.agency).first()
        if agency is None:
            errors["agency"] = f"机构代码“{filters.agency}”不存在"
        else:
            ids = agency.descendant_ids()
            qs = qs.filter(Q(agency_id__in=ids) | Q(item__agency_id__in=ids))
    tz = timezone.get_current_timezone()
    start = end = None
    if filters.date_from:
        try:
            start = _parse_date(filters.date_from, "date_from", "起始日期")
            qs = qs.filter(created_at__gte=datetime.combine(start, time.min, tzinfo=tz))
        except InvalidInput as exc:
            errors["date_from"] = exc.message
    if filters.date_to:
        try:
            end = _parse_date(filters.date_to, "date_to", "截止日期")
            qs = qs.filter(created_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz))
        except InvalidInput as exc:
            errors["date_to"] = exc.message
    if start and end and start > end:
        errors["date_to"] = "截止日期不能早于起始日期"
    if filters.item:
        if not filters.item.isdigit() or not _item_model().objects.filter(pk=int(filters.item)).exists():
            errors["item"] = f"信息编号“{filters.item}”不存在"
        else:
            qs = qs.filter(item_id=int(filters.item))
    if filters.actor:
        user = get_user_model().objects.filter(username=filters.actor).first()
        if user is None:
            errors["actor"] = f"用户“{filters.actor}”不存在"
        else:
            qs = qs.filter(actor=user)
    if filters.action:
        if filters.action.endswith(("*", ".")):
            qs = qs.filter(action__startswith=filters.action.rstrip("*"))
        else:
            qs = qs.filter(action=filters.action)
    if errors:
        raise InvalidInput("导出条件有误：" + "；".join(errors.values()), en="Invalid export filter", errors=errors)
    return qs


def start_export(*, actor, filters: ExportFilter, fmt: str, kind: str = "audit_records"):
    """Check permission and the filter, audit the export in its own transaction, return (queryset, count).

    actor=None means the command line (an operator with shell access: no agency limit)."""
    if fmt not in FORMATS:
        raise InvalidInput(f"不支持的导出格式“{fmt}”，可选：csv、xlsx、jsonl", en="Unknown format", field="format")
    allowed = None
    if actor is not None:
        reason = export_denial(actor)
        if reason:
            raise NotAllowedForYou(reason, en="You may not export audit records")
        allowed = export_agency_ids(actor)
        if filters.agency:
            agency = Agency.objects.filter(code=filters.agency).first()
            if agency is not None and agency.pk not in allowed:
                raise NotAllowedForYou(export_denial(actor, agency), en="Not your agency")
    qs = build_queryset(filters, allowed)
    agency = Agency.objects.filter(code=filters.agency).first() if filters.agency else None
    role = ""
    if actor is not None:
        role = Role.AUDITOR if agencies_with_role(actor, Role.AUDITOR) else Role.OFFICE_ADMIN
    with transaction.atomic():
        # The snapshot bound is the chain length before the export's own record: the file holds exactly
        # the rows counted here, even if other actions append records while it streams.
        last = AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        qs = qs.filter(seq__lte=last).order_by("seq")
        count = qs.count()
        audit.record(action="audit.export", actor=actor, role=role, agency=agency,
                     comment=f"导出审核记录 {count} 条",
                     data={"kind": kind, "format": fmt, "filter": filters.as_dict(), "rows": count, "up_to_seq": last})
    return qs, count


# --- writers ------------------------------------------------------------------------------------

def _rows(qs):
    for values in qs.values_list(*_VALUES).iterator(chunk_size=CHUNK_SIZE):
        row = dict(zip([c for c, _ in COLUMNS], values, strict=True))
        row["created_at"] = timezone.localtime(row["created_at"]).isoformat(timespec="seconds")
        yield row


class _Echo:
    def write(self, value):
        return value


def iter_csv(qs):
    """Yield CSV text chunks: a BOM, the Chinese header, one line per record."""
    if connection.vendor == "postgresql":
        for chunk in iter_csv_bytes(qs):
            yield chunk.decode("utf-8")
        return
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([label for _, label in COLUMNS])
    for row in _rows(qs):
        row["data"] = json.dumps(row["data"], ensure_ascii=False, sort_keys=True)
        yield writer.writerow([("" if row[c] is None else row[c]) for c, _ in COLUMNS])


def iter_csv_bytes(qs):
    """Yield the CSV as UTF-8 bytes; on PostgreSQL straight from COPY (>= 100,000 rows/s, memory flat)."""
    if connection.vendor != "postgresql":
        for chunk in iter_csv(qs):
            yield chunk.encode("utf-8")
        return
    yield ("\ufeff" + csv.writer(_Echo()).writerow([label for _, label in COLUMNS])).encode("utf-8")
    buf = bytearray()
    with connection.cursor() as cur, cur.copy(copy_sql(qs)) as copy:
        for data in copy:
            # One COPY message is one row ending in "\n"; end it in "\r\n" like the csv module does.
            if data[-1:] == b"\n":
                buf += data[:-1]
                buf += b"\r\n"
            else:
                buf += data
            if len(buf) >= COPY_CHUNK_BYTES:  # a few large writes instead of one per row
                yield bytes(buf)
                buf.clear()
    if buf:
        yield bytes(buf)


def copy_sql(qs) -> str:
    """COPY (the filtered rows, formatted as the Python writer formats them) TO STDOUT as CSV (PostgreSQL)."""
    inner = qs.order_by().values(**{f"c{i}": F(name) for i, name in enumerate(_VALUES)})
    sql, params = inner.query.sql_with_params()
    inner_sql = connection.ops.compose_sql(sql, params)
    tz = "'" + timezone.get_current_timezone_name().replace("'", "''") + "'"
    cols = []
    for i, name in enumerate(_VALUES):
        col = f"q.c{i}"
        if name == "created_at":
            # local time to the second with its UTC offset, as datetime.isoformat(timespec="seconds")
            cols.append(f"to_char({col} AT TIME ZONE {tz}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
                        f"(SELECT CASE WHEN d < interval '0' THEN '-' || to_char(-d, 'HH24:MI') "
                        f"ELSE '+' || to_char(d, 'HH24:MI') END "
                        f"FROM (SELECT ({col} AT TIME ZONE {tz}) - ({col} AT TIME ZONE 'UTC') AS d) o)")
        elif name == "data":
            cols.append(f"{col}::text")
        elif name in ("seq", "item_id"):
            cols.append(col)
        else:
            cols.append(f"NULLIF({col}, '')")  # the csv module writes "" unquoted: so does COPY for NULL
    return f"COPY (SELECT {', '.join(cols)} FROM ({inner_sql}) q ORDER BY q.c0) TO STDOUT WITH (FORMAT csv)"


def iter_jsonl(qs):
    """Yield one JSON object per line."""
    for row in _rows(qs):
        yield json.dumps(row, ensure_ascii=False, default=str) + "\n"


def write_xlsx(qs, fh):
    """Write an XLSX workbook (openpyxl write-only mode: rows are not kept in memory) to file object fh."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("审核记录")
    ws.append([label for _, label in COLUMNS])
    for row in _rows(qs):
        row["data"] = json.dumps(row["data"], ensure_ascii=False, sort_keys=True)
        ws.append([("" if row[c] is None else _xlsx_safe(row[c])) for c, _ in COLUMNS])
    wb.save(fh)


def _xlsx_safe(value):
    if isinstance(value, str):
        # Control characters are illegal in XLSX cell text.
        return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
    return value


def xlsx_tempfile(qs):
    fh = tempfile.TemporaryFile(suffix=".xlsx")
    write_xlsx(qs, fh)
    fh.seek(0)
    return fh


def write_export(qs, fmt, fh):
    """Write the export to a binary file object (used by the command)."""
    if fmt == "xlsx":
        write_xlsx(qs, fh)
        return
    if fmt == "csv":
        for chunk in iter_csv_bytes(qs):
            fh.write(chunk)
        return
    for chunk in iter_jsonl(qs):
        fh.write(chunk.encode("utf-8"))
