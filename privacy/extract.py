"""Text extraction from attachments for the privacy pre-check.

``extract(name, data)`` returns a list of segments:

* ``TextSegment(parts=[(text, where), ...])`` - running text; ``where`` holds the location fields
  of that part (``paragraph``/``part`` for DOCX, ``page`` for PDF, nothing for TXT/HTML).
* ``TableSegment(rows, row_numbers, where)`` - a sheet or a Word table; cells are strings.
  ``rows[i]`` is sheet row ``row_numbers[i]`` (1-based); all-empty rows are dropped.

Supported: .docx (body paragraphs, tables, text boxes, headers and footers), .xlsx/.xlsm
(every sheet, read-only), .csv (utf-8/utf-8-sig, utf-16 with BOM, then gb18030),
.pdf (text layer per page), .txt, .html/.htm.  Anything else, a damaged file or a file
over the limits raises ``ExtractionError`` with a Chinese message and a ``.code``.
"""
from __future__ import annotations

import csv
import datetime
import html
import io
import logging
import os
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser

__all__ = ["extract", "ExtractionError", "TextSegment", "TableSegment", "cell_to_str",
           "html_to_text", "decode_text", "MAX_ATTACHMENT_BYTES", "MAX_UNCOMPRESSED_BYTES",
           "MAX_ZIP_ENTRIES", "MAX_COMPRESSION_RATIO", "MAX_TEXT_CHARS", "MAX_CELLS", "MAX_PDF_PAGES"]

# Limits (setting-like module constants; the Django layer may override them at start-up).
MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024        # raw upload
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024      # sum of declared member sizes of a DOCX/XLSX zip
MAX_ZIP_ENTRIES = 10_000
MAX_COMPRESSION_RATIO = 200                     # per member larger than 1 MiB uncompressed
MAX_TEXT_CHARS = 50_000_000                     # extracted characters per attachment
MAX_CELLS = 5_000_000                           # spreadsheet cells per attachment
MAX_PDF_PAGES = 5_000

TEXT_EXTS = {".txt", ".text", ".md"}
HTML_EXTS = {".html", ".htm", ".shtml", ".xhtml"}
OLD_OFFICE = {".doc": ".docx", ".xls": ".xlsx", ".wps": ".docx", ".et": ".xlsx", ".rtf": ".docx"}


class ExtractionError(Exception):
    """An attachment cannot be read.  ``code`` is one of: unsupported, corrupt, encrypted,
    encoding, too_large."""

    def __init__(self, code: str, message: str, name: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.name = name


@dataclass
class TextSegment:
    parts: list[tuple[str, dict]]
    kind: str = "text"


@dataclass
class TableSegment:
    rows: list[list[str]]
    row_numbers: list[int] | None = None
    where: dict = field(default_factory=dict)
    kind: str = "table"


def _err(code: str, name: str, detail: str) -> ExtractionError:
    return ExtractionError(code, f"无法读取附件“{name}”：{detail}", name)


# ---------------------------------------------------------------- helpers

def cell_to_str(value) -> str:
    if value is None:
        return ""
    t = type(value)
    if t is str:
        return value
    if t is float:
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if t is bool:
        return "是" if value else "否"
    if t is int or t is Decimal:
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def decode_text(data: bytes, name: str = "") -> str:
    """utf-8 (with or without BOM), utf-16 with BOM, then gb18030; else ExtractionError."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise _err("encoding", name, "无法识别文字编码（请另存为 UTF-8 或 GB18030 编码）")


_BLOCK_TAGS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
               "article", "header", "footer", "blockquote", "pre", "hr", "ul", "ol", "dd", "dt", "title"}
_CELL_TAGS = {"td", "th"}


class _Stripper(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "noscript", "template"):
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.out.append("\n")
        elif tag in _CELL_TAGS:
            self.out.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript", "template"):
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.out.append("\n")
        elif tag in _CELL_TAGS:
            self.out.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def html_to_text(markup: str) -> str:
    p = _Stripper()
    p.feed(markup)
    p.close()
    return html.unescape("".join(p.out)).replace("\xa0", " ")


def _check_zip(data: bytes, name: str, what: str) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _err("corrupt", name, f"文件已损坏或不是有效的 {what}" + ("" if what.endswith("）") else " ") + "文件") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise _err("too_large", name, "压缩包内文件数量过多，疑似恶意文件")
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > 1 << 20 and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
                raise _err("too_large", name, "压缩比异常，疑似“压缩炸弹”文件")
        if total > MAX_UNCOMPRESSED_BYTES:
            raise _err("too_large", name,
                       f"解压后内容超过 {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB 上限")


class _TextBudget:
    def __init__(self, name):
        self.name = name
        self.chars = 0

    def take(self, n: int) -> None:
        self.chars += n
        if self.chars > MAX_TEXT_CHARS:
            raise _err("too_large", self.name, f"文字内容超过 {MAX_TEXT_CHARS} 字符上限")


# ---------------------------------------------------------------- formats

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _col_index(ref: str) -> int:
    n = 0
    for ch in ref:
        o = ord(ch)
        if 65 <= o <= 90:
            n = n * 26 + o - 64
        elif 97 <= o <= 122:
            n = n * 26 + o - 96
        else:
            break
    return n - 1


def _num_text(v: str) -> str:
    if "." in v or "E" in v or "e" in v:
        try:
            return cell_to_str(float(v))
        except ValueError:
            return v
    return v


def _fast_xlsx(zf: zipfile.ZipFile, name: str) -> list:
    """Stream the sheet XML with lxml (about 10x faster than openpyxl's read-only reader).

    Cell values come out as the stored text: shared/inline strings, numbers (integers as
    written, floats through ``cell_to_str``), booleans as 是/否; dates stay Excel serial numbers,
    which does not matter for the scan.  Any surprise raises and the caller falls back to
    openpyxl."""
    from lxml import etree  # noqa: PLC0415  (python-docx depends on lxml)

    def parse(member, *tags):
        # the tag filter keeps <v>/<t> elements out of the Python loop
        return etree.iterparse(zf.open(member), events=("end",), tag=tags or None,
                               resolve_entities=False, no_network=True, huge_tree=False)

    names = set(zf.namelist())
    wb = etree.fromstring(zf.read("xl/workbook.xml"),
                          etree.XMLParser(resolve_entities=False, no_network=True))
    rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"),
                            etree.XMLParser(resolve_entities=False, no_network=True))
    targets = {}
    for rel in rels.iter(_NS_PKG_REL + "Relationship"):
        t = rel.get("Target", "")
        t = t.lstrip("/") if t.startswith("/") else "xl/" + t
        targets[rel.get("Id")] = (t, rel.get("Type", ""))

    shared: list[str] = []
    if "xl/sharedStrings.xml" in names:
        si_tag, t_tag, r_tag = _NS_MAIN + "si", _NS_MAIN + "t", _NS_MAIN + "r"
        for _ev, el in parse("xl/sharedStrings.xml", si_tag):
            # plain <t>, or rich-text runs <r><t>; phonetic runs <rPh> are skipped
            first = el[0] if len(el) else None
            if first is not None and first.tag == t_tag and len(el) == 1:
                shared.append(first.text or "")
            else:
                shared.append("".join(t.text or "" for t in el.iter(t_tag)
                                      if t.getparent() is el or t.getparent().tag == r_tag))
            el.clear()

    c_tag, row_tag, v_tag = _NS_MAIN + "c", _NS_MAIN + "row", _NS_MAIN + "v"
    is_tag, t_tag = _NS_MAIN + "is", _NS_MAIN + "t"
    segments = []
    cells_total = 0
    for sheet in wb.iter(_NS_MAIN + "sheet"):
        target, rtype = targets.get(sheet.get(_NS_REL + "id"), ("", ""))
        if not rtype.endswith("/worksheet"):
            continue  # chartsheet, dialogsheet
        if target not in names:
            raise KeyError(target)
        rows: list[list[str]] = []
        numbers: list[int] = []
        cur: dict[int, str] = {}
        next_col = 0
        next_row = 1
        col_cache: dict[str, int] = {}
        for _ev, el in parse(target, c_tag, row_tag):
            if el.tag == c_tag:
                ref = el.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    ci = col_cache.get(letters)
                    if ci is None:
                        ci = col_cache[letters] = _col_index(letters)
                else:
                    ci = next_col
                next_col = ci + 1
                t = el.get("t")
                if t == "inlineStr":
                    isel = el.find(is_tag)
                    val = "" if isel is None else "".join(x.text or "" for x in isel.iter(t_tag))
                else:
                    v = el.find(v_tag)
                    val = "" if v is None or v.text is None else v.text
                    if val:
                        if t == "s":
                            val = shared[int(val)]
                        elif t == "b":
                            val = "是" if val == "1" else "否"
                        elif t is None or t == "n":
                            val = _num_text(val)
                if val:
                    cur[ci] = val
            else:  # </row>
                r = el.get("r")
                rn = int(r) if r else next_row
                next_row = rn + 1
                next_col = 0
                if cur:
                    width = max(cur) + 1
                    cells_total += width
                    if cells_total > MAX_CELLS:
                        raise _err("too_large", name, f"单元格数量超过 {MAX_CELLS} 上限")
                    rows.append([cur.get(i, "") for i in range(width)])
                    numbers.append(rn)
                    cur = {}
                el.clear()
                while el.getprevious() is not None:  # drop finished rows from the tree
                    del el.getparent()[0]
        if rows:
            segments.append(TableSegment(rows, numbers, {"sheet": sheet.get("name")}))
    return segments


USE_FAST_XLSX = True


def _extract_xlsx(name: str, data: bytes) -> list:
    _check_zip(data, name, "Excel")
    if USE_FAST_XLSX:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                return _fast_xlsx(zf, name)
        except ExtractionError:
            raise
        except Exception:  # anything unexpected: let openpyxl read it (or report it broken)
            pass
    return _extract_xlsx_openpyxl(name, data)


def _extract_xlsx_openpyxl(name: str, data: bytes) -> list:
    import openpyxl  # noqa: PLC0415  (lazy: keep `import privacy` cheap)

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types (KeyError, InvalidFileException, ...)
        raise _err("corrupt", name, "文件已损坏或不是有效的 Excel 文件") from exc
    segments = []
    cells = 0
    try:
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows"):  # chartsheet
                continue
            try:
                ws.reset_dimensions()  # files written with a wrong <dimension> would be truncated
            except AttributeError:
                pass
            rows: list[list[str]] = []
            numbers: list[int] = []
            _s = cell_to_str
            for rn, row in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
                if not any(v is not None and v != "" for v in row):
                    continue
                vals = [_s(v) for v in row]
                cells += len(vals)
                if cells > MAX_CELLS:
                    raise _err("too_large", name, f"单元格数量超过 {MAX_CELLS} 上限")
                rows.append(vals)
                numbers.append(rn)
            if rows:
                segments.append(TableSegment(rows, numbers, {"sheet": ws.title}))
    except ExtractionError:
        raise
    except Exception as exc:
        raise _err("corrupt", name, "文件已损坏或不是有效的 Excel 文件") from exc
    finally:
        wb.close()
    return segments


def _extract_csv(name: str, data: bytes) -> list:
    text = decode_text(data, name)
    if len(text) > MAX_TEXT_CHARS:
        raise _err("too_large", name, f"文字内容超过 {MAX_TEXT_CHARS} 字符上限")
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    rows, numbers = [], []
    try:
        for rn, row in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
            if any(c.strip() for c in row):
                rows.append(row)
                numbers.append(rn)
    except csv.Error as exc:
        raise _err("corrupt", name, "CSV 文件格式错误") from exc
    return [TableSegment(rows, numbers, {})] if rows else []


def _docx_para_text(p_el, qn) -> str:
    t_tag, tab_tag, br_tag = qn("w:t"), qn("w:tab"), qn("w:br")
    out = []
    for el in p_el.iter(t_tag, tab_tag, br_tag):
        if el.tag == t_tag:
            out.append(el.text or "")
        else:
            out.append("\t" if el.tag == tab_tag else "\n")
    return "".join(out)


def _docx_table_rows(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        vals, prev = [], None
        for cell in row.cells:
            # horizontally merged cells come back as the same cell several times
            vals.append("" if cell._tc is prev else cell.text)
            prev = cell._tc
        rows.append(vals)
    return rows


def _extract_docx(name: str, data: bytes) -> list:
    _check_zip(data, name, "Word（.docx）")
    import docx  # noqa: PLC0415
    from docx.oxml.ns import qn  # noqa: PLC0415
    from docx.table import Table  # noqa: PLC0415

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise _err("corrupt", name, "文件已损坏或不是有效的 Word（.docx）文件") from exc
    budget = _TextBudget(name)
    segments: list = []
    try:
        parts: list[tuple[str, dict]] = []
        tables: list[TableSegment] = []
        pi = ti = 0
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                ti += 1
                rows = _docx_table_rows(block)
                budget.take(sum(len(c) for r in rows for c in r))
                tables.append(TableSegment(rows, None, {"table": ti}))
            else:
                pi += 1
                text = _docx_para_text(block._p, qn)
                budget.take(len(text))
                if text.strip():
                    parts.append((text, {"paragraph": pi}))
        # text boxes in the body (a mark or a list is sometimes put in a floating box)
        seen = set()
        for k, p_el in enumerate(document.element.body.iter(qn("w:txbxContent")), start=1):
            text = "\n".join(_docx_para_text(p, qn) for p in p_el.iter(qn("w:p")))
            if text.strip() and text not in seen:  # mc:AlternateContent duplicates boxes
                seen.add(text)
                budget.take(len(text))
                parts.append((text, {"part": "textbox", "paragraph": k}))
        # headers and footers of every section (a 秘密★ mark usually sits in the header)
        for si, section in enumerate(document.sections, start=1):
            for attr, part in (("header", "header"), ("first_page_header", "header"),
                               ("even_page_header", "header"), ("footer", "footer"),
                               ("first_page_footer", "footer"), ("even_page_footer", "footer")):
                hf = getattr(section, attr)
                if hf.is_linked_to_previous:
                    continue
                seen_hf = set()
                for k, p_el in enumerate(hf._element.iter(qn("w:p")), start=1):
                    text = _docx_para_text(p_el, qn)
                    if text.strip() and text not in seen_hf:
                        seen_hf.add(text)
                        budget.take(len(text))
                        where = {"part": part, "paragraph": k}
                        if si > 1:
                            where["section"] = si
                        parts.append((text, where))
    except ExtractionError:
        raise
    except Exception as exc:
        raise _err("corrupt", name, "文件已损坏或不是有效的 Word（.docx）文件") from exc
    if parts:
        segments.append(TextSegment(parts))
    segments.extend(tables)
    return segments


def _extract_pdf(name: str, data: bytes) -> list:
    import pypdf  # noqa: PLC0415
    from pypdf.errors import PyPdfError  # noqa: PLC0415

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise _err("corrupt", name, "文件已损坏或不是有效的 PDF 文件")
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise _err("encrypted", name, "PDF 文件已加密，请上传未加密的文件")
        n = len(reader.pages)
        if n > MAX_PDF_PAGES:
            raise _err("too_large", name, f"页数超过 {MAX_PDF_PAGES} 页上限")
        budget = _TextBudget(name)
        parts = []
        for i, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            budget.take(len(text))
            if text.strip():
                parts.append((text, {"page": i}))
    except ExtractionError:
        raise
    except (PyPdfError, Exception) as exc:
        raise _err("corrupt", name, "文件已损坏或不是有效的 PDF 文件") from exc
    return [TextSegment(parts)] if parts else []


def _extract_plain(name: str, data: bytes, is_html: bool) -> list:
    text = decode_text(data, name)
    if is_html:
        text = html_to_text(text)
    if len(text) > MAX_TEXT_CHARS:
        raise _err("too_large", name, f"文字内容超过 {MAX_TEXT_CHARS} 字符上限")
    return [TextSegment([(text, {})])] if text.strip() else []


def extract(name: str, data: bytes) -> list:
    """Split an attachment into text/table segments; raise ExtractionError if unreadable."""
    ext = os.path.splitext(name)[1].lower()
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise _err("too_large", name, f"文件超过 {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB 上限")
    if ext in (".xlsx", ".xlsm"):
        return _extract_xlsx(name, data)
    if ext == ".docx":
        return _extract_docx(name, data)
    if ext == ".pdf":
        return _extract_pdf(name, data)
    if ext == ".csv":
        return _extract_csv(name, data)
    if ext in TEXT_EXTS:
        return _extract_plain(name, data, False)
    if ext in HTML_EXTS:
        return _extract_plain(name, data, True)
    if ext in OLD_OFFICE:
        raise ExtractionError(
            "unsupported", f"不支持的附件格式“{name}”：请另存为 {OLD_OFFICE[ext]} 格式后重新上传", name)
    raise ExtractionError(
        "unsupported",
        f"不支持的附件格式“{name}”：仅支持 .docx、.xlsx、.csv、.pdf、.txt、.html，无法进行保密检查", name)
