"""Word documents as bodies, and attachments as previews: DOCX/XLSX converted to HTML in the privacy
sandbox (a child process under time, memory and zip limits), then sanitised by core.sanitize (nh3).

Nothing here changes the database: the converted body and the images go into create_item / edit_item
like typed text and uploaded files, so every rule of those actions still applies."""
import os
import tempfile
from dataclasses import dataclass, field

from django.core.cache import cache

from core.conf import shenfa_setting
from core.errors import InvalidInput
from core.sanitize import clean_html
from privacy import Limits
from privacy.sandbox import convert_file_isolated

from .drafting import NewAttachment

IMPORT_EXTENSIONS = (".docx",)
PREVIEW_EXTENSIONS = (".docx", ".xlsx", ".xlsm")
# Tighter than the pre-check: the person waits for the answer.
CONVERT_LIMITS = {"wall_seconds": 20.0, "cpu_seconds": 20.0, "address_space_bytes": 1024 * 1024 * 1024,
                  "zip_total_bytes": 100 * 1024 * 1024, "zip_part_bytes": 32 * 1024 * 1024, "zip_entries": 2000,
                  "rows": 20_000, "cells": 400_000, "text_chars": 2_000_000}


@dataclass
class ImportedBody:
    html: str
    images: list[NewAttachment] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def convert_limits() -> Limits:
    return Limits.from_dict(CONVERT_LIMITS | {"file_bytes": shenfa_setting("ATTACHMENT_MAX_BYTES")})


def _convert(name: str, data: bytes) -> dict:
    with tempfile.NamedTemporaryFile(suffix=os.path.splitext(name)[1]) as fh:
        fh.write(data)
        fh.flush()
        return convert_file_isolated(fh.name, name, limits=convert_limits())


def import_docx(*, name: str, data: bytes) -> ImportedBody:
    """Convert a Word document to a sanitised body; its images become attachments. InvalidInput if not."""
    name = os.path.basename(name or "").strip() or "document.docx"
    if os.path.splitext(name)[1].lower() not in IMPORT_EXTENSIONS:
        raise InvalidInput("只能导入 .docx 格式的 Word 文档；.doc 或 WPS 文件请先另存为 .docx",
                           en="Only .docx documents can be imported", field="import_docx")
    limit = shenfa_setting("ATTACHMENT_MAX_BYTES")
    if not data:
        raise InvalidInput(f"文件“{name}”是空文件", en="Empty file", field="import_docx")
    if len(data) > limit:
        raise InvalidInput(f"文件“{name}”超过大小限制（{limit // (1024 * 1024)} MB）",
                           en=f"File larger than {limit} bytes", field="import_docx")
    result = _convert(name, data)
    if not result.get("ok"):
        raise InvalidInput(result.get("error") or f"文件“{name}”无法导入", en="The document cannot be converted",
                           field="import_docx")
    images = [NewAttachment(name=n, data=b, content_type=t) for n, b, t in result["images"]]
    return ImportedBody(html=clean_html(result["html"]), images=images, messages=result.get("messages") or [])


def attachment_preview(*, name: str, sha256: str, read) -> dict:
    """{"ok", "html", "error"} for a DOCX/XLSX attachment, cached by content hash; `read()` gives the bytes."""
    key = f"shenfa:preview:v1:{sha256}:{os.path.splitext(name)[1].lower()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    result = _convert(name, read())
    answer = {"ok": bool(result.get("ok")), "html": clean_html(result.get("html") or ""),
              "error": result.get("error") or ""}
    cache.set(key, answer, 3600)
    return answer
