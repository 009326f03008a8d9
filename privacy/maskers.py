"""Masking (脱敏) of whole attachments: CSV, XLSX, DOCX and plain text/HTML files.

Each masker returns (masked bytes, number of masked values).  A file that cannot be masked raises
MaskError with a Chinese message; the caller (the secrecy gate) turns it into its own error.

The maskers go through the same guards as the scanner: the zip package is checked (member count,
declared sizes, compression ratio) before openpyxl or python-docx see it, rows, cells and
characters are counted, and the wall/CPU time of ``Limits`` is checked as they go.  A limit
raises MaskError with the "无法完成预检：…" message naming it.  For OS-level limits (memory,
a hard kill) run them through ``privacy.sandbox.mask_file_isolated``.
"""
from __future__ import annotations

import csv
import io
import os

from .extract import ExtractionError, detect_encoding, open_package
from .limits import DEFAULT_LIMITS, Guard, LimitExceeded, Limits
from .mask import mask_table, mask_text

__all__ = ["MaskError", "can_mask", "mask_attachment", "MASKERS"]


class MaskError(Exception):
    """The attachment cannot be masked automatically (unsupported type, unreadable file, limit)."""

    def __init__(self, message: str, limit: str | None = None):
        super().__init__(message)
        self.message = message
        self.limit = limit


def _rows_guarded(rows, guard: Guard):
    for r in rows:
        guard.take_row(sum(1 for c in r if c not in (None, "")))
        yield r


def _mask_csv(data: bytes, opts, guard: Guard):
    encoding = detect_encoding(data, guard.name)
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    rows = list(_rows_guarded(csv.reader(text), guard))
    guard.check_time()
    masked, count = mask_table(rows, **opts)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(masked)
    return out.getvalue().encode("utf-8-sig" if encoding == "utf-8-sig" else encoding), count


def _mask_xlsx(data: bytes, opts, guard: Guard):
    from openpyxl import load_workbook  # noqa: PLC0415  (lazy: keep `import privacy` cheap)

    open_package(data, guard.name, "Excel", guard).close()
    wb = load_workbook(io.BytesIO(data))
    count = 0
    for ws in wb.worksheets:
        guard.check_time()
        rows = [[c.value for c in row] for row in _rows_guarded(ws.iter_rows(), guard)]
        masked, n = mask_table(rows, **opts)
        count += n
        if n:
            for r, row in enumerate(ws.iter_rows()):
                for c, cell in enumerate(row):
                    if masked[r][c] is not rows[r][c] and masked[r][c] != rows[r][c]:
                        cell.value = masked[r][c]
        # printed header/footer (秘密★ marks stay; personal data in them is masked)
        for hf in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter, ws.firstHeader, ws.firstFooter):
            for part in (hf.left, hf.center, hf.right):
                if part.text:
                    new, k = mask_text(part.text, **opts)
                    if k:
                        part.text = new
                        count += k
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), count


def _mask_docx(data: bytes, opts, guard: Guard):
    from docx import Document  # noqa: PLC0415  (lazy: keep `import privacy` cheap)

    open_package(data, guard.name, "Word（.docx）", guard).close()
    doc = Document(io.BytesIO(data))
    count = 0

    # tables as tables: a name is masked because its row holds an ID or a phone, as in the scan
    for table in doc.tables:
        cells = []
        for row in table.rows:
            guard.take_row(len(row.cells))
            seen, line = set(), []
            for cell in row.cells:  # a merged cell comes back once per grid column: take it once
                first = id(cell._tc) not in seen
                seen.add(id(cell._tc))
                line.append(cell if first else None)
            cells.append(line)
        rows = [[c.text if c is not None else "" for c in line] for line in cells]
        guard.take_chars(sum(len(v) for r in rows for v in r))
        masked, n = mask_table(rows, **opts)
        count += n
        for r, line in enumerate(cells):
            for c, cell in enumerate(line):
                if cell is not None and masked[r][c] != rows[r][c]:
                    _set_cell_text(cell, masked[r][c])

    def paragraphs():
        yield from doc.paragraphs
        for section in doc.sections:
            for part in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                         section.even_page_header, section.even_page_footer):
                if not part.is_linked_to_previous:
                    yield from part.paragraphs

    for p in paragraphs():
        text = p.text
        guard.take_chars(len(text))
        guard.tick()
        new, n = mask_text(text, **opts)
        if n:
            count += n
            runs = p.runs
            if not runs:
                continue
            runs[0].text = new  # a masked value may span runs: keep the first run's formatting
            for run in runs[1:]:
                run.text = ""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue(), count


def _set_cell_text(cell, text: str) -> None:
    """Put masked text back into a Word table cell, paragraph by paragraph (masking keeps the line
    breaks), keeping each paragraph's first run and its formatting."""
    paras = cell.paragraphs
    lines = text.split("\n")
    if len(lines) != len(paras):
        lines = [text] + [""] * (len(paras) - 1)
    for p, line in zip(paras, lines, strict=False):
        if p.text == line:
            continue
        runs = p.runs
        if runs:
            runs[0].text = line
            for run in runs[1:]:
                run.text = ""
        else:
            p.add_run(line)


def _mask_plain(data: bytes, opts, guard: Guard):
    text = data.decode(detect_encoding(data, guard.name))
    guard.take_chars(len(text))
    new, count = mask_text(text, **opts)
    return new.encode("utf-8"), count


MASKERS = {".csv": _mask_csv, ".xlsx": _mask_xlsx, ".docx": _mask_docx, ".txt": _mask_plain,
           ".html": _mask_plain, ".htm": _mask_plain}


def can_mask(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in MASKERS


def mask_attachment(name: str, data: bytes, words=(), *, public_values=(), limits: Limits | None = None,
                    sensitive_words=None) -> tuple[bytes, int]:
    """Return (masked bytes, count) for an attachment, or raise MaskError if it cannot be masked.
    ``words`` / ``sensitive_words``: the agency's sensitive words; ``public_values``: never masked."""
    masker = MASKERS.get(os.path.splitext(name)[1].lower())
    if masker is None:
        raise MaskError(f"附件“{name}”无法自动脱敏，请退回起草人上传脱敏后的文件")
    limits = limits or DEFAULT_LIMITS
    guard = Guard(limits, name)
    if len(data) > limits.file_bytes:
        raise MaskError(LimitExceeded("file_bytes", name, limits.file_bytes).message, "file_bytes")
    opts = {"sensitive_words": tuple(sensitive_words if sensitive_words is not None else words),
            "public_values": tuple(public_values), "limits": limits}
    try:
        return masker(data, opts, guard)
    except LimitExceeded as exc:
        raise MaskError(exc.message, exc.limit) from exc
    except ExtractionError as exc:
        raise MaskError(f"附件“{name}”无法读取，不能自动脱敏：{exc.message}") from exc
    except MemoryError as exc:
        raise MaskError(LimitExceeded("address_space_bytes", name).message, "address_space_bytes") from exc
    except Exception as exc:  # a corrupt file must not leave half a revision behind
        raise MaskError(f"附件“{name}”无法读取，不能自动脱敏：{exc}") from exc
