"""Office documents to HTML, under the same limits as the pre-check (no Django here).

* ``docx_to_html(name, data, limits)``: a Word document as clean HTML with mammoth (headings,
  paragraphs, lists, tables, links); images are taken out as files and replaced in the text by a
  note "〔图片：附图1.png，见附件〕". Returns ``{"html", "images": [(name, bytes, content_type)],
  "messages"}``. Used for importing a DOCX as an item's body and for previewing DOCX attachments.
* ``xlsx_to_html(name, data, limits)``: each sheet of a workbook as an HTML table (cells only, no
  formulas, no styles), cut at ``PREVIEW_ROWS`` rows per sheet.

The package is opened through ``extract.open_package`` first (member count, declared sizes and
compression ratios checked before anything is decompressed); the caller sanitises the HTML (nh3)
and runs this in ``privacy.sandbox`` (``convert_file_isolated``) so time and memory are bounded by
the operating system as well.
"""
from __future__ import annotations

import html
import io
import os

from .extract import TableSegment, extract, open_package
from .limits import DEFAULT_LIMITS, ExtractionError, Guard, Limits

__all__ = ["docx_to_html", "xlsx_to_html", "to_html", "MAX_IMAGES", "PREVIEW_ROWS"]

MAX_IMAGES = 50                  # images taken out of one document
MAX_IMAGE_BYTES = 10 * 1024 * 1024
PREVIEW_ROWS = 500               # rows shown per sheet in an XLSX preview
IMAGE_EXTS = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/bmp": ".bmp",
              "image/x-emf": ".emf", "image/x-wmf": ".wmf", "image/tiff": ".tif"}


def docx_to_html(name: str, data: bytes, limits: Limits | None = None) -> dict:
    """Convert a DOCX with mammoth; images become separate files (see module docstring)."""
    import mammoth  # noqa: PLC0415  (lazy: keep `import privacy` cheap; only the converter needs it)

    limits = limits or DEFAULT_LIMITS
    guard = Guard(limits, name)
    if len(data) > limits.file_bytes:
        guard.fail("file_bytes")
    open_package(data, name, "Word", guard).close()  # zip-bomb guards before mammoth decompresses
    images: list[tuple[str, bytes, str]] = []
    stem = os.path.splitext(os.path.basename(name))[0][:60] or "文档"

    def convert_image(image):
        guard.check_time()
        if len(images) >= MAX_IMAGES:
            return {"alt": "〔图片过多，未导入〕"}
        with image.open() as fh:
            raw = fh.read(MAX_IMAGE_BYTES + 1)
        if len(raw) > MAX_IMAGE_BYTES:
            return {"alt": "〔图片过大，未导入〕"}
        ext = IMAGE_EXTS.get(image.content_type or "", ".bin")
        file_name = f"{stem}-附图{len(images) + 1}{ext}"
        images.append((file_name, raw, image.content_type or "application/octet-stream"))
        # an <img> without src is dropped by the sanitiser; the alt text is kept as the note
        return {"alt": f"〔图片：{file_name}，见附件〕"}

    try:
        result = mammoth.convert_to_html(io.BytesIO(data), convert_image=mammoth.images.img_element(convert_image))
    except ExtractionError:
        raise
    except Exception as exc:
        raise ExtractionError("corrupt", f"文件“{name}”已损坏或不是有效的 Word 文档（.docx）", name) from exc
    guard.check_time()
    body = _images_as_notes(result.value)
    guard.take_chars(len(body))
    return {"html": body, "images": images, "messages": [m.message for m in result.messages][:20]}


def _images_as_notes(markup: str) -> str:
    """Replace each <img alt="note"> by its note as text (the image itself became an attachment)."""
    out, pos = [], 0
    while True:
        start = markup.find("<img", pos)
        if start < 0:
            out.append(markup[pos:])
            return "".join(out)
        end = markup.find(">", start)
        if end < 0:
            out.append(markup[pos:start])
            return "".join(out)
        tag = markup[start:end + 1]
        alt = ""
        if 'alt="' in tag:
            alt = tag.split('alt="', 1)[1].split('"', 1)[0]
        out.append(markup[pos:start])
        out.append(alt)
        pos = end + 1


def xlsx_to_html(name: str, data: bytes, limits: Limits | None = None) -> dict:
    """Each sheet as an HTML table, at most PREVIEW_ROWS rows each."""
    limits = limits or DEFAULT_LIMITS
    parts = []
    for seg in extract(name, data, limits):
        if not isinstance(seg, TableSegment):
            continue
        sheet = html.escape(str(seg.where.get("sheet") or ""))
        rows = seg.rows[:PREVIEW_ROWS]
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
        more = (f"<p>（共 {len(seg.rows)} 行，预览仅显示前 {PREVIEW_ROWS} 行，完整内容请下载附件）</p>"
                if len(seg.rows) > PREVIEW_ROWS else "")
        parts.append(f"<h3>{sheet}</h3><table>{body}</table>{more}")
    return {"html": "".join(parts) or "<p>（表格为空）</p>", "images": [], "messages": []}


def to_html(name: str, data: bytes, limits: Limits | None = None) -> dict:
    """docx_to_html or xlsx_to_html by the file's extension."""
    ext = os.path.splitext(name)[1].lower()
    if ext == ".docx":
        return docx_to_html(name, data, limits)
    if ext in (".xlsx", ".xlsm"):
        return xlsx_to_html(name, data, limits)
    raise ExtractionError("unsupported", f"“{name}”不能转换为网页：仅支持 .docx、.xlsx", name)
