"""Text extraction from attachments for the privacy pre-check, under limits.

``iter_segments(name, data, guard)`` yields segments as it reads, so a limit stops it part-way
(what was read is still scanned) and memory stays bounded:

* ``TextSegment(parts=[(text, where), ...])`` - running text; ``where`` holds the location fields
  of that part (``paragraph``/``part`` for DOCX, ``page`` for PDF, ``sheet``/``part`` for an XLSX
  printed header or footer, nothing for TXT/HTML).
* ``TableSegment(rows, row_numbers, where, header_state)`` - a slice of a sheet or a Word table;
  cells are strings; ``rows[i]`` is row ``row_numbers[i]`` (1-based); all-empty rows are dropped.
  Slices of one sheet share ``header_state`` so the header found in the first slice applies to all.

Supported: .docx (body paragraphs, tables, text boxes, headers, footers, footnotes, endnotes,
comments and deleted-but-tracked text, read straight from the package XML), .xlsx/.xlsm (every
sheet with its printed header/footer, streamed), .csv (utf-8/utf-8-sig, utf-16 with BOM, then
gb18030; streamed), .pdf (text layer per page), .txt, .html/.htm.  Anything else or a damaged
file raises ``ExtractionError`` with a Chinese message and a ``.code``; a limit raises its
subclass ``LimitExceeded``.

Package (zip) guards, before anything is decompressed: number of members, declared size of each
member and of the whole package, compression ratio; while reading, the bytes actually
decompressed are counted again.  XML is parsed by lxml with entity resolution, DTD loading and
network access off, and a part that declares a DOCTYPE is refused (no OOXML part has one).
"""
from __future__ import annotations

import codecs
import csv
import datetime
import html
import io
import logging
import os
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser

from .limits import DEFAULT_LIMITS, ExtractionError, Guard, LimitExceeded, Limits

__all__ = ["extract", "iter_segments", "ExtractionError", "LimitExceeded", "TextSegment", "TableSegment",
           "cell_to_str", "html_to_text", "decode_text", "open_package", "detect_encoding"]

TEXT_EXTS = {".txt", ".text", ".md"}
HTML_EXTS = {".html", ".htm", ".shtml", ".xhtml"}
OLD_OFFICE = {".doc": ".docx", ".xls": ".xlsx", ".wps": ".docx", ".et": ".xlsx", ".rtf": ".docx"}
ROWS_PER_SEGMENT = 4000


@dataclass
class TextSegment:
    parts: list[tuple[str, dict]]
    kind: str = "text"


@dataclass
class TableSegment:
    rows: list[list[str]]
    row_numbers: list[int] | None = None
    where: dict = field(default_factory=dict)
    header_state: dict | None = None
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


def html_to_text(markup: str, guard: Guard | None = None) -> str:
    p = _Stripper()
    for i in range(0, len(markup), 1 << 20):  # in 1 MiB steps, so the time limit is looked at
        p.feed(markup[i:i + (1 << 20)])
        if guard is not None:
            guard.check_time()
    p.close()
    return html.unescape("".join(p.out)).replace("\xa0", " ")


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


def detect_encoding(data: bytes, name: str = "") -> str:
    """utf-16 (BOM), utf-8-sig, utf-8 or gb18030, checked over the whole input in 1 MiB steps
    without building the decoded string."""
    encodings = ("utf-16", "utf-8", "gb18030") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8", "gb18030")
    for enc in encodings:
        dec = codecs.getincrementaldecoder(enc)()
        try:
            for i in range(0, len(data), 1 << 20):
                dec.decode(data[i:i + (1 << 20)])
            dec.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return "utf-8-sig" if enc == "utf-8" and data[:3] == b"\xef\xbb\xbf" else enc
    raise _err("encoding", name, "无法识别文字编码（请另存为 UTF-8 或 GB18030 编码）")


# ---------------------------------------------------------------- zip packages

class Package:
    """A DOCX/XLSX zip opened under the limits: ``read(member)`` and ``open(member)`` count the
    decompressed bytes against ``zip_part_bytes`` / ``zip_total_bytes``."""

    def __init__(self, zf: zipfile.ZipFile, name: str, guard: Guard):
        self.zf = zf
        self.name = name
        self.guard = guard
        self.names = set(zf.namelist())
        self.read_total = 0

    def open(self, member: str):
        return _CountingReader(self, self.zf.open(member))

    def read(self, member: str) -> bytes:
        with self.open(member) as fh:
            return fh.read()

    def count(self, n: int, part: int) -> None:
        self.read_total += n
        lim = self.guard.limits
        if part > lim.zip_part_bytes:
            self.guard.fail("zip_part_bytes")
        if self.read_total > lim.zip_total_bytes:
            self.guard.fail("zip_total_bytes")

    def close(self):
        self.zf.close()


class _CountingReader(io.RawIOBase):
    def __init__(self, pkg: Package, fh):
        self.pkg, self.fh, self.part = pkg, fh, 0
        self.head = True

    def readable(self):
        return True

    def readinto(self, b):
        data = self.fh.read(len(b))
        n = len(data)
        if self.head and n:
            self.head = False
            if b"<!DOCTYPE" in data[:2048] or b"<!ENTITY" in data[:2048]:
                raise _err("corrupt", self.pkg.name, "文件内含不允许的 XML 声明（DOCTYPE/ENTITY），疑似恶意文件")
        self.part += n
        self.pkg.count(n, self.part)
        self.pkg.guard.tick()
        b[:n] = data
        return n

    def close(self):
        self.fh.close()
        super().close()


def open_package(data: bytes, name: str, what: str, guard: Guard) -> Package:
    """Open a zip package after checking the member count, declared sizes and compression ratios."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        sep = "" if what.endswith("）") else " "
        raise _err("corrupt", name, f"文件已损坏或不是有效的 {what}{sep}文件") from None
    lim = guard.limits
    infos = zf.infolist()
    if len(infos) > lim.zip_entries:
        zf.close()
        guard.fail("zip_entries")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > lim.zip_part_bytes:
            zf.close()
            guard.fail("zip_part_bytes", f"部件“{info.filename[:60]}”")
        if info.file_size > 1 << 20 and info.file_size > lim.zip_ratio * max(info.compress_size, 1):
            zf.close()
            guard.fail("zip_ratio")
    if total > lim.zip_total_bytes:
        zf.close()
        guard.fail("zip_total_bytes")
    return Package(zf, name, guard)


def _xml_parser():
    from lxml import etree  # noqa: PLC0415

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _iterparse(pkg: Package, member: str, events=("end",), tag=None):
    from lxml import etree  # noqa: PLC0415

    return etree.iterparse(pkg.open(member), events=events, tag=tag, resolve_entities=False, no_network=True,
                           load_dtd=False, huge_tree=False)


def _rels(pkg: Package, member: str) -> dict:
    """Relationship id -> (target path in the package, type) of a part."""
    from lxml import etree  # noqa: PLC0415

    folder, base = os.path.split(member)
    rels_name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    if rels_name not in pkg.names:
        return {}
    root = etree.fromstring(pkg.read(rels_name), _xml_parser())
    out = {}
    for rel in root:
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        path = target.lstrip("/") if target.startswith("/") else os.path.normpath(os.path.join(folder, target))
        out[rel.get("Id")] = (path.replace("\\", "/"), rel.get("Type", ""))
    return out


# ---------------------------------------------------------------- XLSX

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_HF_CODE_RE = re.compile(r'&(?:"[^"]*"|\d+|[LCRPNDTFAZGBIUSEXYKHO]|&)')
_HF_TAGS = {"oddHeader": "header", "evenHeader": "header", "firstHeader": "header",
            "oddFooter": "footer", "evenFooter": "footer", "firstFooter": "footer"}


def header_footer_text(code: str) -> str:
    """Printed header/footer text without its control codes (&L &C &R section marks, &P page,
    &"font" …); the three sections become separate lines."""
    text = re.sub(r"&[LCR]", "\n", code)
    return _HF_CODE_RE.sub(lambda m: "&" if m.group() == "&&" else "", text).strip("\n")


def _num_text(v: str) -> str:
    if "." in v or "E" in v or "e" in v:
        try:
            return cell_to_str(float(v))
        except ValueError:
            return v
    return v


def _xlsx_segments(pkg: Package, guard: Guard):
    """Stream the sheet XML with lxml (about 10x faster than openpyxl's read-only reader).

    Cell values come out as the stored text: shared/inline strings, numbers (integers as
    written, floats through ``cell_to_str``), booleans as 是/否; dates stay Excel serial numbers,
    which does not matter for the scan."""
    from lxml import etree  # noqa: PLC0415

    wb = etree.fromstring(pkg.read("xl/workbook.xml"), _xml_parser())
    targets = _rels(pkg, "xl/workbook.xml")

    shared: list[str] = []
    if "xl/sharedStrings.xml" in pkg.names:
        si_tag, t_tag, r_tag = _NS_MAIN + "si", _NS_MAIN + "t", _NS_MAIN + "r"
        for _ev, el in _iterparse(pkg, "xl/sharedStrings.xml", tag=si_tag):
            # plain <t>, or rich-text runs <r><t>; phonetic runs <rPh> are skipped
            first = el[0] if len(el) else None
            if first is not None and first.tag == t_tag and len(el) == 1:
                s = first.text or ""
            else:
                s = "".join(t.text or "" for t in el.iter(t_tag)
                            if t.getparent() is el or t.getparent().tag == r_tag)
            guard.take_chars(len(s) + 1)
            shared.append(s)
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]

    c_tag, row_tag, v_tag = _NS_MAIN + "c", _NS_MAIN + "row", _NS_MAIN + "v"
    is_tag, t_tag = _NS_MAIN + "is", _NS_MAIN + "t"
    hf_tags = tuple(_NS_MAIN + t for t in _HF_TAGS)
    for sheet in wb.iter(_NS_MAIN + "sheet"):
        target, rtype = targets.get(sheet.get(_NS_REL + "id"), ("", ""))
        if not rtype.endswith("/worksheet"):
            continue  # chartsheet, dialogsheet
        if target not in pkg.names:
            raise KeyError(target)
        sheet_name = sheet.get("name")
        state: dict = {}
        rows: list[list[str]] = []
        numbers: list[int] = []
        hf_parts: list[tuple[str, dict]] = []
        cur: dict[int, str] = {}
        next_col = 0
        next_row = 1
        col_cache: dict[str, int] = {}
        for _ev, el in _iterparse(pkg, target, tag=(c_tag, row_tag) + hf_tags):
            tag = el.tag
            if tag == c_tag:
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
                    if ci > 16383:
                        raise _err("corrupt", pkg.name, "单元格列号超出 Excel 范围")
                    cur[ci] = val
            elif tag == row_tag:
                r = el.get("r")
                rn = int(r) if r else next_row
                next_row = rn + 1
                next_col = 0
                if cur:
                    width = max(cur) + 1
                    try:
                        guard.take_row(len(cur))
                        guard.take_chars(sum(map(len, cur.values())))
                    except LimitExceeded:
                        if rows:  # scan what was read before the limit
                            yield TableSegment(rows, numbers, {"sheet": sheet_name}, state)
                        raise
                    rows.append([cur.get(i, "") for i in range(width)])
                    numbers.append(rn)
                    cur = {}
                    if len(rows) >= ROWS_PER_SEGMENT:
                        yield TableSegment(rows, numbers, {"sheet": sheet_name}, state)
                        rows, numbers = [], []
                el.clear()
                while el.getprevious() is not None:  # drop finished rows from the tree
                    del el.getparent()[0]
            else:  # printed header / footer
                text = header_footer_text(el.text or "")
                if text.strip():
                    guard.take_chars(len(text))
                    hf_parts.append((text, {"sheet": sheet_name, "part": _HF_TAGS[tag[len(_NS_MAIN):]]}))
        if rows:
            yield TableSegment(rows, numbers, {"sheet": sheet_name}, state)
        if hf_parts:
            seen = set()
            yield TextSegment([p for p in hf_parts if not (p[0] in seen or seen.add(p[0]))])


USE_FAST_XLSX = True


def _extract_xlsx(name: str, data: bytes, guard: Guard):
    pkg = open_package(data, name, "Excel", guard)
    try:
        if USE_FAST_XLSX:
            started = False
            try:
                for seg in _xlsx_segments(pkg, guard):
                    started = True
                    yield seg
                return
            except (ExtractionError, MemoryError):
                raise
            except Exception as exc:  # unexpected layout: let openpyxl read it (or report it broken)
                if "Memory allocation failed" in str(exc):
                    raise MemoryError(str(exc)) from exc
                if started:
                    raise _err("corrupt", name, "文件已损坏或不是有效的 Excel 文件") from exc
        yield from _extract_xlsx_openpyxl(name, data, guard)
    finally:
        pkg.close()


def _extract_xlsx_openpyxl(name: str, data: bytes, guard: Guard):
    import openpyxl  # noqa: PLC0415  (lazy: keep `import privacy` cheap)

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types (KeyError, InvalidFileException, ...)
        raise _err("corrupt", name, "文件已损坏或不是有效的 Excel 文件") from exc
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
            state: dict = {}
            _s = cell_to_str
            for rn, row in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
                if not any(v is not None and v != "" for v in row):
                    continue
                vals = [_s(v) for v in row]
                guard.take_row(sum(1 for v in vals if v))
                guard.take_chars(sum(map(len, vals)))
                rows.append(vals)
                numbers.append(rn)
                if len(rows) >= ROWS_PER_SEGMENT:
                    yield TableSegment(rows, numbers, {"sheet": ws.title}, state)
                    rows, numbers = [], []
            if rows:
                yield TableSegment(rows, numbers, {"sheet": ws.title}, state)
    except ExtractionError:
        raise
    except Exception as exc:
        raise _err("corrupt", name, "文件已损坏或不是有效的 Excel 文件") from exc
    finally:
        wb.close()


# ---------------------------------------------------------------- CSV and text

def _extract_csv(name: str, data: bytes, guard: Guard):
    encoding = detect_encoding(data, name)
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    try:
        sample = stream.read(8192)
    except UnicodeDecodeError as exc:
        raise _err("encoding", name, "无法识别文字编码（请另存为 UTF-8 或 GB18030 编码）") from exc
    stream.seek(0)
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    rows, numbers, state = [], [], {}
    try:
        for rn, row in enumerate(csv.reader(stream, dialect), start=1):
            if any(c.strip() for c in row):
                try:
                    guard.take_row(len(row))
                    guard.take_chars(sum(map(len, row)))
                except LimitExceeded:
                    if rows:  # scan what was read before the limit
                        yield TableSegment(rows, numbers, {}, state)
                    raise
                rows.append(row)
                numbers.append(rn)
                if len(rows) >= ROWS_PER_SEGMENT:
                    yield TableSegment(rows, numbers, {}, state)
                    rows, numbers = [], []
    except csv.Error as exc:
        raise _err("corrupt", name, "CSV 文件格式错误") from exc
    except UnicodeDecodeError as exc:
        raise _err("encoding", name, "无法识别文字编码（请另存为 UTF-8 或 GB18030 编码）") from exc
    if rows:
        yield TableSegment(rows, numbers, {}, state)


def _extract_plain(name: str, data: bytes, is_html: bool, guard: Guard):
    encoding = detect_encoding(data, name)
    if is_html:
        text = data.decode(encoding, errors="replace")
        guard.take_chars(len(text))
        text = html_to_text(text, guard)
        if text.strip():
            yield TextSegment([(text, {})])
        return
    # plain text: read in blocks of whole lines, so a huge file is never one string
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    parts = []
    while True:
        block = stream.read(1 << 20)
        if not block:
            break
        if not block.endswith("\n"):
            block += stream.readline()
        guard.take_chars(len(block))
        guard.check_time()
        if block.strip():
            parts.append((block, {}))
        if len(parts) >= 4:
            yield TextSegment(parts)
            parts = []
    if parts:
        yield TextSegment(parts)


# ---------------------------------------------------------------- DOCX

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_PART_KINDS = (("/header", "header"), ("/footer", "footer"), ("/footnotes", "footnote"),
               ("/endnotes", "endnote"), ("/comments", "comment"))


_TEXT_TAGS = (_W + "t", _W + "delText", _W + "tab", _W + "br", _W + "cr", _W + "noBreakHyphen", _W + "p")


def _para_text(p) -> str:
    """Text of a paragraph element: every run (runs split across XML nodes are joined), tabs,
    breaks, tracked deletions (still in the file), text boxes; not the mc:Fallback copy of a
    text box, which repeats the mc:Choice one."""
    skip = set()
    if p.find(".//" + _MC_FALLBACK) is not None:
        skip = {x for fb in p.iter(_MC_FALLBACK) for x in fb.iter()}
    out = []
    for el in p.iter(*_TEXT_TAGS):
        if skip and el in skip:
            continue
        tag = el.tag
        if tag == _W + "t" or tag == _W + "delText":
            out.append(el.text or "")
        elif tag == _W + "tab":
            out.append("\t")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
        elif tag == _W + "p":
            if el is not p:
                out.append("\n")
        else:
            out.append("\n")
    return "".join(out)


def _table_rows(tbl, guard: Guard) -> list[list[str]]:
    rows = []
    for tr in tbl.iterchildren(_W + "tr"):
        vals: list[str] = []
        for tc in tr.iterchildren(_W + "tc"):
            span = 1
            tcpr = tc.find(_W + "tcPr")
            if tcpr is not None:
                gs = tcpr.find(_W + "gridSpan")
                if gs is not None:
                    try:
                        span = max(1, min(64, int(gs.get(_W + "val", "1"))))
                    except ValueError:
                        span = 1
            text = "\n".join(_para_text(p) for p in tc.iterchildren(_W + "p"))
            for inner in tc.iterchildren(_W + "tbl"):  # a nested table: its text joins the cell
                text += "\n" + "\n".join(" ".join(r) for r in _table_rows(inner, guard))
            vals.append(text)
            vals.extend([""] * (span - 1))
        guard.take_row(sum(1 for v in vals if v))
        guard.take_chars(sum(map(len, vals)))
        rows.append(vals)
    return rows


def _docx_body(pkg: Package, member: str, guard: Guard):
    """Body paragraphs (numbered, empty ones included) and tables, streamed."""
    body_tag = _W + "body"
    p_tag, tbl_tag = _W + "p", _W + "tbl"
    parts: list[tuple[str, dict]] = []
    pi = ti = 0
    size = 0
    for _ev, el in _iterparse(pkg, member, tag=(p_tag, tbl_tag)):
        parent = el.getparent()
        if parent is None or parent.tag != body_tag:
            # sdt content, nested paragraphs: handled with their top-level block
            if parent is not None and parent.tag == _W + "sdtContent" and \
                    parent.getparent() is not None and parent.getparent().getparent() is not None and \
                    parent.getparent().getparent().tag == body_tag:
                pass
            else:
                continue
        if el.tag == p_tag:
            pi += 1
            text = _para_text(el)
            guard.take_chars(len(text))
            guard.tick()
            if text.strip():
                parts.append((text, {"paragraph": pi}))
                size += len(text)
        else:
            ti += 1
            if parts:
                yield TextSegment(parts)
                parts, size = [], 0
            rows = _table_rows(el, guard)
            numbers = [i for i, r in enumerate(rows, start=1) if any(c.strip() for c in r)]
            rows = [r for r in rows if any(c.strip() for c in r)]
            if rows:
                yield TableSegment(rows, numbers, {"table": ti})
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]
        if size > 1_000_000:
            yield TextSegment(parts)
            parts, size = [], 0
    if parts:
        yield TextSegment(parts)


def _docx_part_text(pkg: Package, member: str, part: str, guard: Guard, seen: set):
    from lxml import etree  # noqa: PLC0415

    root = etree.parse(pkg.open(member), _xml_parser()).getroot()
    out = []
    k = 0
    for p in root.iter(_W + "p"):
        if p.getparent() is not None and any(a.tag == _W + "p" for a in p.iterancestors()):
            continue  # a text-box paragraph inside another paragraph: read with it
        k += 1
        text = _para_text(p)
        guard.take_chars(len(text))
        if text.strip() and (part, text) not in seen:
            seen.add((part, text))
            out.append((text, {"part": part, "paragraph": k}))
    return out


def _extract_docx(name: str, data: bytes, guard: Guard):
    pkg = open_package(data, name, "Word（.docx）", guard)
    try:
        try:
            main = next((t for t, typ in _rels(pkg, "").values() if typ == _DOC_REL), "word/document.xml")
            if main not in pkg.names:
                raise KeyError(main)
            rels = _rels(pkg, main)
        except ExtractionError:
            raise
        except Exception as exc:
            raise _err("corrupt", name, "文件已损坏或不是有效的 Word（.docx）文件") from exc
        try:
            yield from _docx_body(pkg, main, guard)
            seen: set = set()
            extra = []
            for target, typ in sorted(rels.values()):
                kind = next((k for suffix, k in _PART_KINDS if typ.endswith(suffix)), None)
                if kind and target in pkg.names:
                    extra.extend(_docx_part_text(pkg, target, kind, guard, seen))
            if extra:
                yield TextSegment(sorted(extra, key=lambda p: ("header", "footer", "footnote", "endnote",
                                                              "comment").index(p[1]["part"])))
        except ExtractionError:
            raise
        except Exception as exc:
            raise _err("corrupt", name, "文件已损坏或不是有效的 Word（.docx）文件") from exc
    finally:
        pkg.close()


# ---------------------------------------------------------------- PDF

_PDF_OPS = (b"Tj", b"TJ", b"BT", b"ET", b"Tf", b"Td", b"TD", b"Tm", b"T*", b"Do", b"cm", b" re", b" q", b" Q")


def _extract_pdf(name: str, data: bytes, guard: Guard):
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
            except Exception:  # noqa: BLE001  (a file that cannot be decrypted is reported as encrypted)
                ok = 0
            if not ok:
                raise _err("encrypted", name, "PDF 文件已加密，请上传未加密的文件")
        n = len(reader.pages)
        if n > guard.limits.pdf_pages:
            guard.fail("pdf_pages")
        parts = []
        for i in range(n):
            guard.check_time()
            page = reader.pages[i]
            contents = page.get_contents()
            raw = contents.get_data() if contents is not None else b""
            guard.take_stream(len(raw))
            guard.take_ops(sum(raw.count(op) for op in _PDF_OPS))
            text = page.extract_text() or "" if raw else ""
            guard.take_chars(len(text))
            if text.strip():
                parts.append((text, {"page": i + 1}))
            if len(parts) >= 50:
                yield TextSegment(parts)
                parts = []
        if parts:
            yield TextSegment(parts)
    except ExtractionError:
        raise
    except RecursionError as exc:
        raise _err("corrupt", name, "PDF 文件结构异常（对象循环引用或嵌套过深）") from exc
    except PyPdfError as exc:
        if type(exc).__name__ == "LimitReachedError":  # pypdf's own token/decompression caps
            guard.fail("pdf_stream_bytes" if "ecompress" in str(exc) else "pdf_operators", "PDF 解析器内部上限")
        raise _err("corrupt", name, "文件已损坏或不是有效的 PDF 文件") from exc
    except Exception as exc:  # pypdf raises many types on a damaged file
        raise _err("corrupt", name, "文件已损坏或不是有效的 PDF 文件") from exc


# ---------------------------------------------------------------- entry points

def iter_segments(name: str, data: bytes, guard: Guard | None = None):
    """Yield the text/table segments of an attachment as they are read; raise ExtractionError
    if it is unreadable and LimitExceeded when a limit is reached."""
    guard = guard or Guard(DEFAULT_LIMITS, name)
    ext = os.path.splitext(name)[1].lower()
    if len(data) > guard.limits.file_bytes:
        guard.fail("file_bytes")
    if ext in (".xlsx", ".xlsm"):
        return _extract_xlsx(name, data, guard)
    if ext == ".docx":
        return _extract_docx(name, data, guard)
    if ext == ".pdf":
        return _extract_pdf(name, data, guard)
    if ext == ".csv":
        return _extract_csv(name, data, guard)
    if ext in TEXT_EXTS:
        return _extract_plain(name, data, False, guard)
    if ext in HTML_EXTS:
        return _extract_plain(name, data, True, guard)
    if ext in OLD_OFFICE:
        raise ExtractionError(
            "unsupported", f"不支持的附件格式“{name}”：请另存为 {OLD_OFFICE[ext]} 格式后重新上传", name)
    raise ExtractionError(
        "unsupported",
        f"不支持的附件格式“{name}”：仅支持 .docx、.xlsx、.csv、.pdf、.txt、.html，无法进行保密检查", name)


def extract(name: str, data: bytes, limits: Limits | None = None) -> list:
    """All segments of an attachment as a list (tables of one sheet merged into one segment)."""
    guard = Guard(limits or DEFAULT_LIMITS, name)
    out: list = []
    for seg in iter_segments(name, data, guard):
        if isinstance(seg, TableSegment) and out and isinstance(out[-1], TableSegment) and \
                seg.header_state is not None and seg.header_state is out[-1].header_state:
            out[-1].rows.extend(seg.rows)
            out[-1].row_numbers.extend(seg.row_numbers)
        else:
            out.append(seg)
    return out
