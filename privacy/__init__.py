"""Privacy / secrecy pre-check (保密审查预检) for items and their attachments.

Pure Python: importing this package needs no database and no Django settings.

    from privacy import Limits, scan
    report = scan(body_html, [("低保名单.xlsx", data)], title="关于…的公示",
                  sensitive_words=["某敏感词"],                       # the agency's words: block
                  wording_rules=["台湾当局\tcountry\t"],             # the agency's 错敏词 rules (README)
                  public_values=["0563-4012345", "宁国市津河路8号"],   # never reported or masked
                  limits=Limits(wall_seconds=60))
    report.blocking          # any finding of severity "block" (stored or only counted)
    report.counts_by_kind    # exact counts per kind, also beyond the stored findings
    report.findings          # stored findings (at most Limits.findings_per_file per file)
    report.warnings          # stored findings of severity "warn"
    report.truncated         # True when some findings were counted but not stored
    report.to_json()         # {"findings": [...], "counts", "total", "blocking", "warnings",
                             #  "truncated", "summary"}; raw values only with include_values=True

A finding dict has the keys kind, label, masked, location, where, context, severity ("block" or
"warn"), category and suggestion (the correct form for a wording finding), and value only when
asked for.  Kinds: see ``privacy.kinds``.

Masking: ``mask_text`` / ``mask_table`` for text and rows, ``privacy.maskers.mask_attachment`` for
whole DOCX/XLSX/CSV/TXT/HTML files (same guarded readers and limits).  Isolation: ``privacy.sandbox``
runs a scan or a mask in a child process with OS limits (``scan_file_isolated``, ``mask_file_isolated``).
"""
from .extract import ExtractionError  # extract() itself: privacy.extract.extract
from .kinds import (
                    ADDRESS,
                    ALL_KINDS,
                    BANK_CARD,
                    BANK_CARD_SUSPECT,
                    BLOCK,
                    CLASSIFICATION_MARK,
                    EMAIL,
                    ID_NUMBER,
                    ID_NUMBER_SUSPECT,
                    INCOMPLETE,
                    KIND_LABELS,
                    LANDLINE,
                    MOBILE,
                    NAME_NEAR_PII,
                    PERSONAL_KINDS,
                    SENSITIVE_WORD,
                    UNREADABLE,
                    WARN,
                    WORDING,
)
from .limits import DEFAULT_LIMITS, LimitExceeded, Limits
from .mask import (
                    mask_address,
                    mask_bank_card,
                    mask_email,
                    mask_id_number,
                    mask_landline,
                    mask_mobile,
                    mask_name,
                    mask_table,
                    mask_text,
                    mask_value,
)
from .scanner import (
                    Finding,
                    Location,
                    PublicValues,
                    ScanReport,
                    normalize,
                    scan,
                    scan_attachment,
                    scan_segments,
                    scan_table_rows,
                    scan_text,
)
from .validators import id_check_digit, id_shape, is_valid_id, luhn_ok, uscc_ok
from .wording import CATEGORIES as WORDING_CATEGORIES
from .wording import WordingRule, load_rules, parse_rules

__all__ = [
    "scan", "scan_text", "scan_attachment", "scan_segments", "scan_table_rows", "normalize",
    "Finding", "Location", "ScanReport", "PublicValues", "ExtractionError", "LimitExceeded",
    "Limits", "DEFAULT_LIMITS",
    "WordingRule", "load_rules", "parse_rules", "WORDING_CATEGORIES",
    "mask_text", "mask_table", "mask_value", "mask_id_number", "mask_mobile", "mask_landline",
    "mask_bank_card", "mask_email", "mask_address", "mask_name",
    "id_check_digit", "id_shape", "is_valid_id", "luhn_ok", "uscc_ok",
    "KIND_LABELS", "ALL_KINDS", "PERSONAL_KINDS", "BLOCK", "WARN",
    "ID_NUMBER", "ID_NUMBER_SUSPECT", "MOBILE", "LANDLINE", "BANK_CARD", "BANK_CARD_SUSPECT", "EMAIL", "ADDRESS",
    "NAME_NEAR_PII", "CLASSIFICATION_MARK", "SENSITIVE_WORD", "WORDING", "UNREADABLE", "INCOMPLETE",
]
