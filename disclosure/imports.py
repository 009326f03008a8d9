"""Import of the office's ledger (登记台账): applications with their history and outcome, and reconsideration
and litigation cases, from the XLSX/CSV templates the app offers for download (Chinese headers).

All or nothing: every row is checked first and every bad row is reported (第N行：列：问题); only a file without
errors is written, in one transaction, with one audit record per import naming the file's SHA-256 and one per
imported application or case. Imported rows keep their real dates; the trail says who imported them and when.
Parsing is bounded: file size, number of rows and time (settings IMPORT_MAX_*)."""
import csv
import datetime
import hashlib
import io
import time
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from audit import log as audit
from audit.permissions import report_edit_denial
from core.conf import shenfa_setting
from core.errors import InvalidInput, deny
from core.models import Role

from . import actions, appeals, permissions
from .codes import ApplicantType, LetterKind, Outcome
from .lifecycle import ApplicationLifecycle
from .models import AppealCase, Application, Channel, ImportBatch, Letter, Reply

# column header -> field; the order is the template's
APPLICATION_COLUMNS = [
    ("登记号", "number"), ("申请人类型", "applicant_type"), ("申请人姓名/名称", "applicant_name"),
    ("证件号码", "applicant_id_number"), ("联系方式", "applicant_contact"), ("申请渠道", "channel"),
    ("收到申请日期", "received_date"), ("申请内容", "content"), ("件数", "item_count"),
    ("补正通知日期", "supplement_requested_date"), ("补正事项", "supplement_request"),
    ("收到补正日期", "supplement_received_date"), ("延长工作日", "extension_days"),
    ("收费金额（元）", "fee_amount"), ("收费通知日期", "fee_notice_date"), ("缴费日期", "fee_paid_date"),
    ("办理结果", "outcome"), ("答复日期", "replied_date"), ("答复文号", "doc_number"), ("送达方式", "delivery_method"),
]
APPEAL_COLUMNS = [
    ("案件类型", "kind"), ("案号", "case_number"), ("申请人（原告）", "applicant"), ("案由", "summary"),
    ("受理（立案）日期", "filed_date"), ("结果", "result"), ("审结日期", "closed_date"),
    ("关联申请登记号", "application"),
]
REQUIRED = {"applicant_type", "applicant_name", "channel", "received_date", "content"}


def _choices(enum):
    """Accepted spellings of a choice: the code, the label, and the label without its table-row prefix."""
    lookup = {}
    for value, label in enum.choices:
        if not value:
            continue
        lookup[value] = value
        lookup[str(label)] = value
        short = str(label).split("）", 1)[-1]
        short = short.split(".", 1)[-1] if short[:1].isdigit() else short
        lookup.setdefault(short, value)
    return lookup


OUTCOMES = _choices(Outcome)
APPLICANT_TYPES = _choices(ApplicantType)
APPLICANT_TYPES.update({"法人或其他组织": ApplicantType.OTHER_ORG})  # the ledger's coarse label
CHANNELS = _choices(Channel)
DELIVERY = _choices(Reply.DeliveryMethod)
APPEAL_KINDS = _choices(AppealCase.Kind)
APPEAL_KINDS.update({"直接起诉": AppealCase.Kind.LITIGATION_DIRECT, "复议后起诉": AppealCase.Kind.LITIGATION_AFTER})
APPEAL_RESULTS = _choices(AppealCase.Result)


# --- templates ----------------------------------------------------------------------------------------

def _columns(kind):
    return APPLICATION_COLUMNS if kind == ImportBatch.Kind.APPLICATIONS else APPEAL_COLUMNS


def _notes(kind):
    if kind == ImportBatch.Kind.APPLICATIONS:
        return [
            ("日期", "格式 YYYY-MM-DD，如 2025-03-02；不能晚于今天"),
            ("必填", "申请人类型、申请人姓名/名称、申请渠道、收到申请日期、申请内容"),
            ("登记号", "可不填，系统按收到年份编号；填写的不能与已有登记号重复"),
            ("申请人类型", "、".join(label for _, label in ApplicantType.choices)),
            ("申请渠道", "、".join(str(label) for _, label in Channel.choices)),
            ("办理结果", "与答复日期同填或同空（未办结）；可填：" + "、".join(str(lb) for _, lb in Outcome.choices)),
            ("送达方式", "、".join(str(label) for _, label in Reply.DeliveryMethod.choices)),
        ]
    return [
        ("日期", "格式 YYYY-MM-DD"),
        ("案件类型", "、".join(str(label) for _, label in AppealCase.Kind.choices)),
        ("结果", "、".join(str(label) for _, label in AppealCase.Result.choices) + "；已审结须填审结日期"),
    ]


def template_xlsx(kind) -> bytes:
    """The XLSX template: the header row on the first sheet, the allowed values on 填写说明."""
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl is loaded only for template downloads and imports

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append([h for h, _ in _columns(kind)])
    for i in range(1, len(_columns(kind)) + 1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = 16
    notes = wb.create_sheet("填写说明")
    notes.append(["项目", "说明"])
    for row in _notes(kind):
        notes.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_csv(kind) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerow([h for h, _ in _columns(kind)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# --- reading (bounded) ----------------------------------------------------------------------------------

class _Clock:
    def __init__(self):
        self.deadline = time.monotonic() + shenfa_setting("IMPORT_MAX_SECONDS")

    def check(self):
        if time.monotonic() > self.deadline:
            raise InvalidInput("文件处理超时，请拆分后分批导入", en="Import took too long", field="file")


def read_rows(content: bytes, file_name: str, kind) -> list[dict]:
    """Rows of the file as {field: text} (with "_row": the line number), checked against the template."""
    limit, max_rows = shenfa_setting("IMPORT_MAX_BYTES"), shenfa_setting("IMPORT_MAX_ROWS")
    if len(content) > limit:
        raise InvalidInput(f"文件超过 {limit // (1024 * 1024)} MB", en="File too large", field="file")
    clock = _Clock()
    name = (file_name or "").lower()
    if name.endswith(".xlsx"):
        raw = _xlsx_rows(content, max_rows, clock)
    elif name.endswith(".csv"):
        raw = _csv_rows(content, max_rows, clock)
    else:
        raise InvalidInput("请上传从本系统下载的 XLSX 或 CSV 模板文件", en="Only .xlsx or .csv", field="file")
    if not raw:
        raise InvalidInput("文件为空", en="Empty file", field="file")
    header = [str(h or "").strip() for h in raw[0]]
    columns = _columns(kind)
    missing = [h for h, _ in columns if h not in header]
    if missing:
        raise InvalidInput("表头与模板不一致，缺少列：" + "、".join(missing) + "。请使用本系统下载的模板",
                           en="Header does not match the template", field="file")
    index = {field: header.index(h) for h, field in columns}
    rows = []
    for n, values in enumerate(raw[1:], start=2):
        cells = [_cell_text(v) for v in values]
        if not any(cells):
            continue
        row = {field: (cells[i] if i < len(cells) else "") for field, i in index.items()}
        row["_row"] = n
        rows.append(row)
    if not rows:
        raise InvalidInput("文件中没有数据行", en="No data rows", field="file")
    return rows


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _too_many(max_rows):
    return InvalidInput(f"数据行超过 {max_rows} 行，请拆分后分批导入", en="Too many rows", field="file")


def _xlsx_rows(content, max_rows, clock):
    from openpyxl import load_workbook  # noqa: PLC0415 - loaded only for imports

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a damaged or disguised file: say so, never 500
        raise InvalidInput("无法读取该 XLSX 文件，请使用本系统下载的模板", en="Unreadable XLSX", field="file") from exc
    try:
        ws = wb.worksheets[0]
        rows = []
        for values in ws.iter_rows(values_only=True, max_col=60):
            rows.append(values)
            if len(rows) > max_rows + 1:
                raise _too_many(max_rows)
            if len(rows) % 500 == 0:
                clock.check()
        return rows
    finally:
        wb.close()


def _csv_rows(content, max_rows, clock):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput("CSV 文件编码无法识别（请使用 UTF-8）", en="Unknown CSV encoding", field="file")
    rows = []
    try:
        for values in csv.reader(io.StringIO(text)):
            rows.append(values[:60])
            if len(rows) > max_rows + 1:
                raise _too_many(max_rows)
            if len(rows) % 500 == 0:
                clock.check()
    except csv.Error as exc:
        raise InvalidInput("CSV 文件格式有误", en="Malformed CSV", field="file") from exc
    return rows


# --- checking ---------------------------------------------------------------------------------------------

LABELS = {field: header for header, field in APPLICATION_COLUMNS + APPEAL_COLUMNS}


class _Row:
    """Collects the problems of one row."""

    def __init__(self, row, problems):
        self.row, self.problems, self.n = row, problems, row["_row"]

    def bad(self, field, message):
        self.problems.append(f"第{self.n}行：{LABELS.get(field, field)}：{message}")

    def text(self, field, max_length, *, required=False):
        value = self.row.get(field, "")
        if required and not value:
            self.bad(field, "必填")
        if len(value) > max_length:
            self.bad(field, f"不能超过{max_length}个字")
        return value[:max_length]

    def day(self, field, *, required=False, today=None):
        value = self.row.get(field, "")
        if not value:
            if required:
                self.bad(field, "必填")
            return None
        try:
            day = datetime.date.fromisoformat(value[:10])
        except ValueError:
            self.bad(field, f"“{value[:20]}”不是有效日期（应为 YYYY-MM-DD）")
            return None
        if today and day > today:
            self.bad(field, "不能晚于今天")
        return day

    def choice(self, field, lookup, *, required=False):
        value = self.row.get(field, "")
        if not value:
            if required:
                self.bad(field, "必填")
            return ""
        if value not in lookup:
            self.bad(field, f"“{value[:30]}”不是可选值，见模板“填写说明”")
            return ""
        return lookup[value]

    def number(self, field, *, decimal=False, default=0, maximum=10**9):
        value = self.row.get(field, "")
        if not value:
            return default
        try:
            number = Decimal(value) if decimal else int(value)
        except (ValueError, InvalidOperation):
            self.bad(field, f"“{value[:20]}”不是数字")
            return default
        if number < 0 or number > maximum:
            self.bad(field, f"应在0至{maximum}之间")
            return default
        return number


def check_applications(rows, agency) -> tuple[list[dict], list[str]]:
    """(clean rows, problems) of an applications ledger."""
    today = timezone.localdate()
    problems, clean, seen = [], [], {}
    given = [r["number"] for r in rows if r.get("number")]
    existing = set(Application.objects.filter(number__in=given).values_list("number", flat=True))
    for raw in rows:
        r = _Row(raw, problems)
        c = {"_row": r.n, "number": r.text("number", 40)}
        if c["number"]:
            if c["number"] in existing:
                r.bad("number", f"登记号“{c['number']}”已存在")
            if c["number"] in seen:
                r.bad("number", f"与第{seen[c['number']]}行重复")
            seen.setdefault(c["number"], r.n)
        c["applicant_type"] = r.choice("applicant_type", APPLICANT_TYPES, required=True)
        c["applicant_name"] = r.text("applicant_name", 120, required=True)
        c["applicant_id_number"] = r.text("applicant_id_number", 40)
        c["applicant_contact"] = r.text("applicant_contact", 200)
        c["channel"] = r.choice("channel", CHANNELS, required=True)
        c["content"] = r.text("content", 5000, required=True)
        c["item_count"] = r.number("item_count", default=1, maximum=10_000) or 1
        c["received_date"] = r.day("received_date", required=True, today=today)
        for f in ("supplement_requested_date", "supplement_received_date", "fee_notice_date", "fee_paid_date",
                  "replied_date"):
            c[f] = r.day(f, today=today)
        c["supplement_request"] = r.text("supplement_request", 2000)
        c["extension_days"] = r.number("extension_days", maximum=shenfa_setting("REQUEST_EXTENSION_WORKING_DAYS"))
        c["fee_amount"] = r.number("fee_amount", decimal=True, default=Decimal(0), maximum=10**7)
        c["outcome"] = r.choice("outcome", OUTCOMES)
        c["doc_number"] = r.text("doc_number", 80)
        c["delivery_method"] = r.choice("delivery_method", DELIVERY)
        order = [("supplement_requested_date", "received_date"),
                 ("supplement_received_date", "supplement_requested_date"),
                 ("fee_notice_date", "received_date"), ("fee_paid_date", "fee_notice_date"),
                 ("replied_date", "received_date")]
        for f, before in order:
            if c[f] and c[before] and c[f] < c[before]:
                r.bad(f, f"不能早于{LABELS[before]}")
        if c["supplement_received_date"] and not c["supplement_requested_date"]:
            r.bad("supplement_received_date", "填写收到补正日期须同时填写补正通知日期")
        if c["fee_paid_date"] and not c["fee_notice_date"]:
            r.bad("fee_paid_date", "填写缴费日期须同时填写收费通知日期")
        if c["outcome"] and not c["replied_date"]:
            r.bad("replied_date", "已填写办理结果的须填写答复日期")
        if c["replied_date"] and not raw.get("outcome"):
            r.bad("outcome", "已填写答复日期的须填写办理结果")
        if c["outcome"] == Outcome.UNABLE_UNCLEAR and not c["supplement_received_date"]:
            r.bad("outcome", "“补正后申请内容仍不明确”须有收到补正日期")
        if c["outcome"] == Outcome.OTHER_FEE_UNPAID and not c["fee_notice_date"]:
            r.bad("outcome", "“逾期未缴费”须有收费通知日期")
        if c["outcome"] == Outcome.OTHER_NO_SUPPLEMENT and not c["supplement_requested_date"]:
            r.bad("outcome", "“逾期不补正”须有补正通知日期")
        clean.append(c)
    return clean, problems


def check_appeals(rows, agency) -> tuple[list[dict], list[str]]:
    """(clean rows, problems) of a reconsideration/litigation ledger; each row checked like the form."""
    problems, clean = [], []
    today = timezone.localdate()
    numbers = {r["application"] for r in rows if r.get("application")}
    apps = dict(Application.objects.filter(number__in=numbers, agency=agency).values_list("number", "pk"))
    for raw in rows:
        r = _Row(raw, problems)
        data = {"kind": r.choice("kind", APPEAL_KINDS, required=True),
                "result": r.choice("result", APPEAL_RESULTS) or AppealCase.Result.PENDING,
                "case_number": r.text("case_number", 100), "applicant": r.text("applicant", 200),
                "summary": r.text("summary", 2000)}
        for f in ("filed_date", "closed_date"):
            day = r.day(f, required=f == "filed_date", today=today)
            data[f] = day.isoformat() if day else ""
        if raw.get("application"):
            if raw["application"] not in apps:
                r.bad("application", f"本机关没有登记号为“{raw['application'][:40]}”的申请")
            data["application_id"] = apps.get(raw["application"])
        if data["kind"]:
            try:
                data = appeals.clean_case(data)
            except InvalidInput as exc:
                for field, message in exc.errors.items():
                    r.bad(field, message)
        data["_row"] = r.n
        clean.append(data)
    return clean, problems


def _refuse(problems):
    shown = problems[:500]
    more = f"（另有{len(problems) - len(shown)}处）" if len(problems) > len(shown) else ""
    raise InvalidInput(f"文件有{len(problems)}处错误，未导入任何数据{more}：" + "；".join(shown[:20]),
                       en=f"{len(problems)} problems; nothing was imported", field="file",
                       errors={"rows": shown})


# --- writing ----------------------------------------------------------------------------------------------

def _start(*, actor, agency, kind, content, file_name):
    rows = read_rows(content, file_name, kind)
    check = check_applications if kind == ImportBatch.Kind.APPLICATIONS else check_appeals
    clean, problems = check(rows, agency)
    if problems:
        _refuse(problems)
    batch = ImportBatch.objects.create(agency=agency, kind=kind, file_name=(file_name or "")[-200:],
                                       sha256=hashlib.sha256(content).hexdigest(), rows=len(clean),
                                       imported_by=actor)
    return clean, batch


@transaction.atomic
def import_applications(*, actor, agency, content: bytes, file_name: str) -> ImportBatch:
    """Import applications with their history and outcome from the ledger template, all or nothing."""
    deny(permissions.handle_denial(actor, agency))
    clean, batch = _start(actor=actor, agency=agency, kind=ImportBatch.Kind.APPLICATIONS, content=content,
                          file_name=file_name)
    reply_days = shenfa_setting("REQUEST_REPLY_WORKING_DAYS")
    for c in clean:
        received = c["received_date"]
        app = Application(
            agency=agency, number=c["number"] or actions.next_number(agency, received.year), registered_by=actor,
            applicant_type=c["applicant_type"], applicant_name=c["applicant_name"],
            applicant_id_number=c["applicant_id_number"], applicant_contact=c["applicant_contact"],
            channel=c["channel"], received_date=received, content=c["content"], item_count=c["item_count"],
            reply_working_days=reply_days, clock_start=c["supplement_received_date"] or received,
            supplement_requested_date=c["supplement_requested_date"], supplement_request=c["supplement_request"],
            supplement_received_date=c["supplement_received_date"], extension_days=c["extension_days"],
            extension_status="approved" if c["extension_days"] else "", fee_amount=c["fee_amount"],
            fee_notice_date=c["fee_notice_date"], fee_paid_date=c["fee_paid_date"], imported=True,
        )
        actions.save_with_deadline(app)
        if c["replied_date"]:
            ApplicationLifecycle(app).import_concluded()
            app.outcome, app.replied_date = c["outcome"], c["replied_date"]
            app.save()
            if c["outcome"] not in actions.AUTOMATIC_OUTCOMES:
                _imported_reply(app, c, actor)
        audit.record(action="disclosure.application.import", actor=actor, role=Role.REQUEST_HANDLER, agency=agency,
                     subject=app, to_state=app.status,
                     data={"batch": batch.pk, "sha256": batch.sha256, "row": c["_row"], "number": app.number,
                           "received_date": received.isoformat(), "outcome": app.outcome,
                           "replied_date": app.replied_date.isoformat() if app.replied_date else None})
    audit.record(action="disclosure.import.applications", actor=actor, role=Role.REQUEST_HANDLER, agency=agency,
                 subject=batch, data={"file": batch.file_name, "sha256": batch.sha256, "rows": batch.rows})
    return batch


def _imported_reply(app, c, actor):
    """The delivered and archived reply of an imported application, dated as in the ledger."""
    at = timezone.make_aware(datetime.datetime.combine(c["replied_date"], datetime.time(12)))
    reply = Reply.objects.create(
        application=app, version=1, outcome=c["outcome"], body="（由台账导入）", status=Reply.Status.DELIVERED,
        drafted_by=actor, drafted_at=at, delivery_method=c["delivery_method"], delivered_date=c["replied_date"],
        delivery_note="由台账导入", archive_number=f"{app.number}-1")
    if c["doc_number"]:
        Letter.objects.create(application=app, reply=reply, kind=LetterKind.REPLY, key=c["outcome"],
                              title="政府信息公开申请答复书", basis="（由台账导入）", body="（由台账导入，原件存档）",
                              doc_number=c["doc_number"], issued_date=c["replied_date"],
                              year=c["replied_date"].year)


@transaction.atomic
def import_appeals(*, actor, agency, content: bytes, file_name: str) -> ImportBatch:
    """Import reconsideration and litigation cases from the ledger template, all or nothing."""
    deny(report_edit_denial(actor, agency))
    clean, batch = _start(actor=actor, agency=agency, kind=ImportBatch.Kind.APPEALS, content=content,
                          file_name=file_name)
    for c in clean:
        row = c.pop("_row")
        case = AppealCase.objects.create(agency=agency, created_by=actor, **c)
        audit.record(action="audit.appeal.import", actor=actor, role=Role.OFFICE_ADMIN, agency=agency, subject=case,
                     to_state=case.result,
                     data={"batch": batch.pk, "sha256": batch.sha256, "row": row, "kind": case.kind,
                           "filed_date": str(case.filed_date),
                           "closed_date": str(case.closed_date) if case.closed_date else None})
    audit.record(action="disclosure.import.appeals", actor=actor, role=Role.OFFICE_ADMIN, agency=agency,
                 subject=batch, data={"file": batch.file_name, "sha256": batch.sha256, "rows": batch.rows})
    return batch

