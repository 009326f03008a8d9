"""The table 二 figures file (表二业务系统数据): the template an office downloads (XLSX or CSV, Chinese
headers) and the reading of a filled one into rows, each checked with a Chinese error naming its row.

Reading only parses and checks the cells; who may write which agency's figures is the action's business
(reports.actions.import_external_figures)."""
import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook, load_workbook

from core.errors import InvalidInput

from .models import ExternalFigure, ExternalFigureKind

HEADERS = ["机构代码", "报告年度", "项目", "数值", "数据来源", "备注"]
REQUIRED = HEADERS[:5]
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MIN_YEAR = 2021                       # the 2021 national format
MAX_COUNT = 100_000_000               # decisions a year: a province issues millions of licences at most
MAX_FEE_WAN = Decimal("100000000")    # 1 万亿 yuan, in 万元
KIND_BY_LABEL = {str(label): value for value, label in ExternalFigureKind.choices}
KIND_BY_LABEL |= {value: value for value in ExternalFigureKind.values}
EXAMPLE = [
    ["340000-001", "2025", "行政许可", "12876", "省政务服务网审批系统", "含告知承诺制审批"],
    ["340000-001", "2025", "行政处罚", "1034", "省行政执法监督平台", ""],
    ["340000-001", "2025", "行政强制", "37", "省行政执法监督平台", ""],
    ["340000-001", "2025", "行政事业性收费", "156.3200", "非税收入管理系统", "单位：万元"],
]
NOTES = [
    "填写说明：",
    "1. 每行一项数据：机构代码（本系统中的机构代码）、报告年度（如 2025）、项目、数值、数据来源、备注（可空）。",
    "2. 项目只能是：行政许可、行政处罚、行政强制（本年处理决定数量，整数），"
    "行政事业性收费（本年收费金额，单位万元，最多四位小数）。",
    "3. 数据来源写明数据出自哪个业务系统或台账，如“省政务服务网审批系统”。",
    "4. 同一机构、年度、项目只能有一行；导入时整份文件全部通过校验才会写入，任何一行有误则不写入任何数据。",
    "5. 已录入的同一项数据将被文件中的数值替换。",
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class FigureRow:
    line: int          # the row number an office sees in Excel (the header is row 1)
    agency_code: str
    year: int
    kind: str
    value: Decimal
    source: str
    note: str


def template(fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the empty template with an example, as xlsx or csv."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        writer.writerows(EXAMPLE)
        # UTF-8 with BOM: Excel and WPS open it with the Chinese intact.
        return out.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8", "表二业务系统数据导入模板.csv"
    if fmt != "xlsx":
        raise InvalidInput("模板格式只能是 xlsx 或 csv", en="Template format is xlsx or csv", field="format")
    book = Workbook()
    sheet = book.active
    sheet.title = "表二数据"
    sheet.append(HEADERS)
    for row in EXAMPLE:
        sheet.append(row)
    for col, width in zip("ABCDEF", (14, 10, 16, 14, 28, 24), strict=True):
        sheet.column_dimensions[col].width = width
    notes = book.create_sheet("填写说明")
    for line in NOTES:
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), XLSX_TYPE, "表二业务系统数据导入模板.xlsx"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _rows_of_xlsx(data: bytes):
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InvalidInput("无法读取该 XLSX 文件，请使用下载的模板", en="Unreadable XLSX file", field="file") from exc
    sheet = book["表二数据"] if "表二数据" in book.sheetnames else book.worksheets[0]
    for n, row in enumerate(sheet.iter_rows(values_only=True)):
        if n > MAX_ROWS + 1:
            raise InvalidInput(f"一次最多导入 {MAX_ROWS} 行", en="Too many rows", field="file")
        yield [_cell(v) for v in row]


def _rows_of_csv(data: bytes):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput("无法识别 CSV 文件的编码，请另存为 UTF-8", en="Unknown CSV encoding", field="file")
    if "\x00" in text:
        raise InvalidInput("CSV 文件包含空字符，请使用下载的模板", en="NUL in CSV", field="file")
    for n, row in enumerate(csv.reader(io.StringIO(text))):
        if n > MAX_ROWS + 1:
            raise InvalidInput(f"一次最多导入 {MAX_ROWS} 行", en="Too many rows", field="file")
        yield [c.strip() for c in row]


def _value(kind, raw) -> Decimal:
    text = raw.replace(",", "").replace("，", "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"数值“{raw}”不是数字") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"数值“{raw}”不能为负数")
    if kind == ExternalFigureKind.ADMIN_FEE:
        if value > MAX_FEE_WAN:
            raise ValueError(f"收费金额“{raw}”超出范围（单位为万元）")
        if value != value.quantize(Decimal("0.0001")):
            raise ValueError(f"收费金额“{raw}”最多四位小数（单位为万元）")
        return value.quantize(Decimal("0.0001"))
    if value != value.to_integral_value():
        raise ValueError(f"处理决定数量“{raw}”应为整数")
    if value > MAX_COUNT:
        raise ValueError(f"处理决定数量“{raw}”超出范围（最多 {MAX_COUNT}）")
    return value.quantize(Decimal(1))


def check_figure(kind: str, value, source: str, note: str, year: int, *, this_year: int) -> tuple[Decimal, list]:
    """(clean value, errors) of one figure: the same rules for the form, the API and the file."""
    errors = []
    clean = Decimal(0)
    if kind not in ExternalFigureKind.values:
        errors.append("项目只能是行政许可、行政处罚、行政强制或行政事业性收费")
    else:
        try:
            clean = _value(kind, str(value if value is not None else ""))
        except ValueError as exc:
            errors.append(str(exc))
    if not (MIN_YEAR <= year <= this_year):
        errors.append(f"报告年度应在 {MIN_YEAR} 至 {this_year} 年之间")
    max_source = ExternalFigure._meta.get_field("source").max_length
    max_note = ExternalFigure._meta.get_field("note").max_length
    if not source:
        errors.append("请填写数据来源（出自哪个业务系统或台账）")
    elif len(source) > max_source:
        errors.append(f"数据来源不能超过 {max_source} 个字")
    if len(note) > max_note:
        errors.append(f"备注不能超过 {max_note} 个字")
    if "\x00" in source + note:
        errors.append("包含无效字符")
    return clean, errors


def read_rows(name: str, data: bytes, *, today: date) -> list[FigureRow]:
    """Every row of the file, checked; InvalidInput listing every bad row (errors keyed "第N行") if any."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"文件不能超过 {MAX_BYTES // (1024 * 1024)} MB", en="File too large", field="file")
    lower = (name or "").lower()
    if data[:2] == b"PK" or lower.endswith(".xlsx"):
        rows = _rows_of_xlsx(data)
    elif lower.endswith(".csv") or lower.endswith(".txt"):
        rows = _rows_of_csv(data)
    else:
        raise InvalidInput("只能导入 XLSX 或 CSV 文件（请使用下载的模板）", en="Only XLSX or CSV", field="file")
    rows = list(rows)
    if not rows:
        raise InvalidInput("文件是空的", en="Empty file", field="file")
    header = rows[0]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise InvalidInput("表头缺少列：" + "、".join(missing) + "（请使用下载的模板）", en="Missing columns",
                           field="file")
    index = {h: header.index(h) for h in HEADERS if h in header}
    found, errors, seen = [], {}, {}
    for line, row in enumerate(rows[1:], start=2):
        cells = {h: (row[i] if i < len(row) else "") for h, i in index.items()}
        if not any(cells.values()):
            continue
        row_errors = []
        code = cells["机构代码"]
        if not code:
            row_errors.append("请填写机构代码")
        try:
            year = int(cells["报告年度"].removesuffix("年"))
        except ValueError:
            row_errors.append(f"报告年度“{cells['报告年度']}”应为四位数年份")
            year = 0
        kind = KIND_BY_LABEL.get(cells["项目"], "")
        value, problems = check_figure(kind, cells["数值"], cells["数据来源"], cells.get("备注", ""),
                                       year or today.year, this_year=today.year)
        if kind == "":
            problems = [f"项目“{cells['项目']}”不存在，只能是行政许可、行政处罚、行政强制或行政事业性收费"] + \
                [p for p in problems if not p.startswith("项目")]
        row_errors.extend(problems)
        key = (code, year, kind)
        if kind and year and code and key in seen:
            row_errors.append(f"与第{seen[key]}行重复（同一机构、年度、项目只能有一行）")
        seen.setdefault(key, line)
        if row_errors:
            errors[f"第{line}行"] = "；".join(row_errors)
        else:
            found.append(FigureRow(line, code, year, kind, value, cells["数据来源"], cells.get("备注", "")))
    if errors:
        raise InvalidInput(f"导入文件有 {len(errors)} 行错误，未导入任何数据", en="Invalid rows, nothing imported",
                           errors=errors, field="file")
    if not found:
        raise InvalidInput("文件中没有数据行", en="No data rows", field="file")
    return found
