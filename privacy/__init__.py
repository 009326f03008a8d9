"""Privacy / secrecy pre-check (保密审查预检) for items and their attachments.

Pure Python: importing this package needs no database and no Django settings.

    from privacy import scan
    report = scan(body_html, [("低保名单.xlsx", data)], sensitive_words=["某敏感词"])
    report.blocking, report.counts_by_kind, report.to_json()
"""
from .extract import ExtractionError  # extract() itself: privacy.extract.extract
from .kinds import (
                    ADDRESS,
                    ALL_KINDS,
                    BANK_CARD,
                    CLASSIFICATION_MARK,
                    EMAIL,
                    ID_NUMBER,
                    KIND_LABELS,
                    LANDLINE,
                    MOBILE,
                    NAME_NEAR_PII,
                    SENSITIVE_WORD,
                    UNREADABLE,
)
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
                    ScanReport,
                    normalize,
                    scan,
                    scan_attachment,
                    scan_segments,
                    scan_table_rows,
                    scan_text,
)
from .validators import id_check_digit, is_valid_id, luhn_ok

__all__ = [
    "scan", "scan_text", "scan_attachment", "scan_segments", "scan_table_rows", "normalize",
    "Finding", "Location", "ScanReport", "ExtractionError",
    "mask_text", "mask_table", "mask_value", "mask_id_number", "mask_mobile", "mask_landline",
    "mask_bank_card", "mask_email", "mask_address", "mask_name",
    "id_check_digit", "is_valid_id", "luhn_ok",
    "KIND_LABELS", "ALL_KINDS", "ID_NUMBER", "MOBILE", "LANDLINE", "BANK_CARD", "EMAIL", "ADDRESS",
    "NAME_NEAR_PII", "CLASSIFICATION_MARK", "SENSITIVE_WORD", "UNREADABLE",
]
