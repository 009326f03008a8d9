"""Masking (脱敏) of whole attachments: CSV, XLSX, DOCX and plain text/HTML files.

Each masker returns (masked bytes, number of masked values). A file that cannot be masked raises
MaskError with a Chinese message; the caller (the secrecy gate) turns it into its own error."""
from __future__ import annotations

import csv
import io
import os

from .extract import decode_text
from .mask import mask_table, mask_text


class MaskError(Exception):
    """The attachment cannot be masked automatically (unsupported type, unreadable file)."""


def _mask_csv(data: bytes, words):
    bom = data.startswith(b"\xef\xbb\xbf")
    text = decode_text(data)
    try:
        data.decode("utf-8-sig")
        encoding = "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError:
        encoding = "gb18030"
    rows = list(csv.reader(io.StringIO(text)))
    masked, count = mask_table(rows, sensitive_words=words)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(masked)
    return out.getvalue().encode(encoding), count


def _mask_xlsx(data: bytes, words):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    count = 0
    for ws in wb.worksheets:
        rows = [[c.value for c in row] for row in ws.iter_rows()]
        masked, n = mask_table(rows, sensitive_words=words)
        count += n
        if n:
            for r, row in enumerate(ws.iter_rows()):
                for c, cell in enumerate(row):
                    if masked[r][c] is not rows[r][c] and masked[r][c] != rows[r][c]:
                        cell.value = masked[r][c]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), count


def _mask_docx(data: bytes, words):
    from docx import Document

    doc = Document(io.BytesIO(data))
    count = 0

    def paragraphs():
        yield from doc.paragraphs
        for table in doc.tables:
            for row in table.rows:
                for cell in row.cells:
                    yield from cell.paragraphs
        for section in doc.sections:
            for part in (section.header, section.footer):
                yield from part.paragraphs

    for p in paragraphs():
        new, n = mask_text(p.text, sensitive_words=words)
        if n:
            count += n
            runs = p.runs
            runs[0].text = new  # a masked value may span runs: keep the first run's formatting
            for run in runs[1:]:
                run.text = ""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue(), count


def _mask_plain(data: bytes, words):
    new, count = mask_text(decode_text(data), sensitive_words=words)
    return new.encode("utf-8"), count


MASKERS = {".csv": _mask_csv, ".xlsx": _mask_xlsx, ".docx": _mask_docx, ".txt": _mask_plain,
           ".html": _mask_plain, ".htm": _mask_plain}


def can_mask(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in MASKERS


def mask_attachment(name: str, data: bytes, words=()) -> tuple[bytes, int]:
    """Return (masked bytes, count) for an attachment, or raise MaskError if it cannot be masked."""
    masker = MASKERS.get(os.path.splitext(name)[1].lower())
    if masker is None:
        raise MaskError(f"附件“{name}”无法自动脱敏，请退回起草人上传脱敏后的文件")
    try:
        return masker(data, words)
    except Exception as exc:  # a corrupt file must not leave half a revision behind
        raise MaskError(f"附件“{name}”无法读取，不能自动脱敏：{exc}") from exc
