"""Hard limits of one pre-check run, as data, and the guard that enforces them while reading.

Every reader (DOCX, XLSX, CSV, PDF, HTML/text) and every masker calls the guard as it goes, so a
hostile file ends in ``LimitExceeded`` (a blocking ``incomplete`` finding "无法完成预检：…") instead of
a hang or a memory blow-up.  The OS-level limits (address space, CPU seconds) are applied only by
the sandbox runner (``privacy.sandbox``), which also kills a child that outlives ``wall_seconds``;
in-process the guard checks wall and CPU time between units of work (rows, paragraphs, pages).
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, fields, replace

__all__ = ["Limits", "LimitExceeded", "ExtractionError", "Guard", "DEFAULT_LIMITS", "LIMIT_LABELS"]

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Limits of one scan or mask run.  Sizes are bytes; counts are per attachment unless named
    ``*_total``.  ``wall_seconds`` / ``cpu_seconds`` cover the whole run (body and every attachment)."""

    wall_seconds: float = 60.0
    cpu_seconds: float = 60.0
    address_space_bytes: int = 2048 * MiB        # sandbox child only (RLIMIT_AS)
    file_bytes: int = 100 * MiB                  # raw attachment size
    zip_entries: int = 10_000                    # members of a DOCX/XLSX package
    zip_part_bytes: int = 64 * MiB               # decompressed bytes of one package member
    zip_total_bytes: int = 300 * MiB             # decompressed bytes of one package (declared and read)
    zip_ratio: int = 200                         # compression ratio of a member over 1 MiB
    rows: int = 300_000                          # spreadsheet / CSV / Word-table rows per attachment
    cells: int = 3_000_000                       # non-empty cells per attachment
    pdf_pages: int = 2_000
    pdf_operators: int = 2_000_000               # content-stream operators per PDF
    pdf_stream_bytes: int = 64 * MiB             # decoded content-stream bytes per PDF
    text_chars: int = 30_000_000                 # extracted characters per attachment
    findings_per_file: int = 500                 # findings stored per attachment (counts stay exact)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> Limits:
        if not data:
            return cls()
        names = {f.name for f in fields(cls)}
        return replace(cls(), **{k: v for k, v in data.items() if k in names})


DEFAULT_LIMITS = Limits()

# Chinese names of the limits, used in the "无法完成预检：…" message
LIMIT_LABELS = {
    "wall_seconds": "检查时间上限",
    "cpu_seconds": "处理器时间上限",
    "address_space_bytes": "内存上限",
    "file_bytes": "文件大小上限",
    "zip_entries": "压缩包文件数上限",
    "zip_part_bytes": "单个压缩部件解压大小上限",
    "zip_total_bytes": "解压后总大小上限",
    "zip_ratio": "压缩比上限（疑似“压缩炸弹”）",
    "rows": "行数上限",
    "cells": "单元格数上限",
    "pdf_pages": "PDF 页数上限",
    "pdf_operators": "PDF 内容流操作数上限",
    "pdf_stream_bytes": "PDF 内容流大小上限",
    "text_chars": "文字数量上限",
    "findings_per_file": "保存的发现数上限",
}


def _amount(limit: str, value) -> str:
    if limit.endswith("_bytes"):
        return f"{value / MiB:g} MB"
    if limit.endswith("_seconds"):
        return f"{value:g} 秒"
    return f"{value:,}"


class ExtractionError(Exception):
    """An attachment cannot be read.  ``code`` is one of: unsupported, corrupt, encrypted,
    encoding, too_large."""

    def __init__(self, code: str, message: str, name: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.name = name


class LimitExceeded(ExtractionError):
    """A limit was reached: the file cannot be checked completely.  ``limit`` is the field name of
    ``Limits``; ``message`` is the Chinese text shown to the reviewer ("无法完成预检：…")."""

    def __init__(self, limit: str, name: str = "", value=None, detail: str = ""):
        self.limit = limit
        label = LIMIT_LABELS.get(limit, limit)
        what = f"附件“{name}”" if name and name != "body" else ("正文" if name == "body" else "文件")
        amount = f"（{_amount(limit, value)}）" if value is not None else ""
        message = f"无法完成预检：{what}超过{label}{amount}" + (f"，{detail}" if detail else "") + \
            "，请拆分或简化文件后重新上传，或由保密审查人人工核查"
        super().__init__("too_large", message, name)


class Guard:
    """Counts the work of one run against ``Limits``.  ``file(name)`` starts the per-attachment
    counters; the time limits are shared by the whole run."""

    __slots__ = ("limits", "name", "_deadline", "_cpu_deadline", "chars", "cells", "rows", "ops",
                 "stream_bytes", "_ticks")

    def __init__(self, limits: Limits | None = None, name: str = ""):
        self.limits = limits or DEFAULT_LIMITS
        self.name = name
        self._deadline = time.monotonic() + self.limits.wall_seconds
        self._cpu_deadline = time.process_time() + self.limits.cpu_seconds
        self._ticks = 0
        self.file(name)

    def file(self, name: str) -> Guard:
        self.name = name
        self.chars = self.cells = self.rows = self.ops = self.stream_bytes = 0
        return self

    def fail(self, limit: str, detail: str = ""):
        raise LimitExceeded(limit, self.name, getattr(self.limits, limit), detail)

    def check_time(self) -> None:
        if time.monotonic() > self._deadline:
            self.fail("wall_seconds")
        if time.process_time() > self._cpu_deadline:
            self.fail("cpu_seconds")

    def tick(self) -> None:
        """Cheap call for inner loops: looks at the clocks every 256 calls."""
        self._ticks += 1
        if not self._ticks & 0xFF:
            self.check_time()

    def take_chars(self, n: int) -> None:
        self.chars += n
        if self.chars > self.limits.text_chars:
            self.fail("text_chars")

    def take_row(self, cells: int) -> None:
        self.rows += 1
        self.cells += cells
        if self.rows > self.limits.rows:
            self.fail("rows")
        if self.cells > self.limits.cells:
            self.fail("cells")
        if not self.rows & 0x3FF:
            self.check_time()

    def take_ops(self, n: int) -> None:
        self.ops += n
        if self.ops > self.limits.pdf_operators:
            self.fail("pdf_operators")

    def take_stream(self, n: int) -> None:
        self.stream_bytes += n
        if self.stream_bytes > self.limits.pdf_stream_bytes:
            self.fail("pdf_stream_bytes")
