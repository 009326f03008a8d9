"""Masking rules (DOMAIN.md, "What goes wrong in real life").

* ID number (also one with a failing check digit): keep the first 2 and the last 3 characters, star
  the rest (18 digits -> ``35*************123``; 15 digits -> ``35**********123``); separators of a
  grouped number are kept (``31**** ******** *467``). Length preserved.
* Mobile: keep the first 3 and the last 4 digits of the 11-digit number (``138****1234``);
  separators and a +86/0086 prefix are kept as written, so the length is preserved.
* Landline: keep the area code and the last 4 digits of the local number (``0557-***1234``).
* Bank card (also a suspect one): keep the last 4 digits, star every other digit, keep spaces
  (length preserved).
* E-mail: first character of the local part + ``***`` + ``@domain``.
* Address: keep up to and including the first township token (乡/镇/街道/苏木); without one, keep up
  to the last county-level token (省/市/区/县/旗/州/盟, not 小区/社区/园区) before the street part;
  without either, nothing. The rest becomes ``***``.
* Name: keep the surname (compound surnames too), star the given name (``张*``, ``欧阳**``).
* Sensitive word: stars of the same length.
* Classification mark, 错敏词 (wording), unreadable/incomplete: not masked (``masked == value``):
  starring a 密级 mark does not make a classified document publishable and a wrong expression must
  be corrected by its author, so ``mask_text`` never touches them.
* The agency's ``public_values`` (hotlines, office address, public e-mail) are never masked.
"""
from __future__ import annotations

import re

from .kinds import (
    ADDRESS,
    BANK_CARD,
    BANK_CARD_SUSPECT,
    CLASSIFICATION_MARK,
    EMAIL,
    ID_NUMBER,
    ID_NUMBER_SUSPECT,
    INCOMPLETE,
    LANDLINE,
    MOBILE,
    NAME_NEAR_PII,
    SENSITIVE_WORD,
    UNREADABLE,
    WORDING,
)
from .names import COMPOUND_SURNAMES

__all__ = [
    "mask_id_number", "mask_mobile", "mask_landline", "mask_bank_card", "mask_email",
    "mask_address", "mask_name", "mask_sensitive_word", "mask_value", "mask_text", "mask_table",
    "MASKABLE_KINDS",
]

STAR = "*"

# kinds that mask_text / mask_table change when kinds=None
MASKABLE_KINDS = frozenset({ID_NUMBER, ID_NUMBER_SUSPECT, MOBILE, LANDLINE, BANK_CARD, BANK_CARD_SUSPECT, EMAIL,
                            ADDRESS, NAME_NEAR_PII, SENSITIVE_WORD})


def mask_id_number(value: str) -> str:
    if len(value) <= 5:
        return STAR * len(value)
    if value.isalnum():
        return value[:2] + STAR * (len(value) - 5) + value[-3:]
    # grouped (310115 19850702 8467): star the characters, keep the separators
    pos = [i for i, c in enumerate(value) if c.isalnum()]
    keep = set(pos[:2] + pos[-3:])
    return "".join(c if (i in keep or not c.isalnum()) else STAR for i, c in enumerate(value))


def _star_digit_positions(value: str, keep: set[int]) -> str:
    """Replace digits whose digit-index is not in ``keep`` by stars, leaving other characters."""
    out = []
    i = 0
    for ch in value:
        if ch.isdigit():
            out.append(ch if i in keep else STAR)
            i += 1
        else:
            out.append(ch)
    return "".join(out)


def mask_mobile(value: str) -> str:
    if len(value) == 11 and value.isdigit():
        return value[:3] + "****" + value[7:]
    digits = [c for c in value if c.isdigit()]
    n = len(digits)
    # the 11-digit number is the last 11 digits (a 86/0086 prefix comes before it)
    start = n - 11 if n >= 11 else 0
    keep = set(range(0, start + 3)) | set(range(n - 4, n))
    return _star_digit_positions(value, keep)


def mask_landline(value: str) -> str:
    from .validators import area_code_len  # noqa: PLC0415

    pos = [i for i, c in enumerate(value) if c.isdigit()]
    digits = "".join(str(int(value[i])) for i in pos)
    if len(digits) < 7:
        return STAR * len(value)
    area = area_code_len(digits) if digits[0] == "0" else 0
    end = len(value)
    em = re.search(r"(转|分机|ext\.?|-)\d{1,6}$", value)
    if em and sum(1 for i in pos if i < em.start()) - area >= 7:
        end = em.start()
    local = [i for i in pos[area:] if i < end]
    star = set(local[:-4])
    return "".join(STAR if i in star else c for i, c in enumerate(value))


def mask_bank_card(value: str) -> str:
    if value.isdigit():
        return STAR * (len(value) - 4) + value[-4:]
    n = sum(c.isdigit() for c in value)
    return _star_digit_positions(value, set(range(n - 4, n)))


def mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return (local[:1] + "***@" + domain) if domain else STAR * len(value)


_TOWNSHIP = re.compile(r"街道|乡|镇|苏木")
_COUNTY = re.compile(r"(?<!小)(?<!社)(?<!园)(?<!景)(?<!校)(?:省|自治区|市|区|县|旗|自治州|州|盟)")
# where the street/village part starts (anything below township)
_DETAIL = re.compile(r"路|街(?!道)|大道|巷|弄|胡同|村|组|\d|小区|社区|花园|公寓|新村|家园|苑")


def mask_address(value: str) -> str:
    m = _TOWNSHIP.search(value)
    if m:
        return value[:m.end()] + "***"
    detail = _DETAIL.search(value)
    head = value[:detail.start()] if detail else value
    last = next(reversed(list(_COUNTY.finditer(head))), None)
    if last is not None:
        return value[:last.end()] + "***"
    return "***"


def mask_name(value: str) -> str:
    if len(value) >= 3 and value[:2] in COMPOUND_SURNAMES:
        return value[:2] + STAR * (len(value) - 2)
    if "·" in value:  # 买买提·艾力: keep the first part
        head = value.split("·", 1)[0]
        return head + "·" + STAR * (len(value) - len(head) - 1)
    return value[:1] + STAR * (len(value) - 1)


def mask_sensitive_word(value: str) -> str:
    return STAR * len(value)


_MASKERS = {
    ID_NUMBER: mask_id_number,
    ID_NUMBER_SUSPECT: mask_id_number,
    MOBILE: mask_mobile,
    LANDLINE: mask_landline,
    BANK_CARD: mask_bank_card,
    BANK_CARD_SUSPECT: mask_bank_card,
    EMAIL: mask_email,
    ADDRESS: mask_address,
    NAME_NEAR_PII: mask_name,
    SENSITIVE_WORD: mask_sensitive_word,
    CLASSIFICATION_MARK: lambda v: v,
    UNREADABLE: lambda v: v,
    INCOMPLETE: lambda v: v,
    WORDING: lambda v: v,
}


def mask_value(kind: str, value: str) -> str:
    return _MASKERS[kind](value)


def _apply(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Replace non-overlapping (start, end, replacement) spans, first one wins on overlap."""
    out = []
    pos = 0
    for start, end, rep in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append(rep)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def mask_text(text: str, kinds=None, *, sensitive_words=(), ignore=(), public_values=(),
              limits=None) -> tuple[str, int]:
    """Mask every finding of ``kinds`` (default: MASKABLE_KINDS) in ``text`` in one pass.

    Returns ``(new_text, count)``.  Classification marks and wording are never changed; the
    agency's ``public_values`` are left as they are."""
    from .scanner import scan_text  # noqa: PLC0415  (scanner imports this module)

    wanted = MASKABLE_KINDS if kinds is None else (frozenset(kinds) & MASKABLE_KINDS)
    spans = []
    for f in scan_text(text, sensitive_words=sensitive_words, public_values=tuple(public_values) + tuple(ignore),
                       wording=False, limits=limits):
        if f.kind in wanted:
            start = f.location.offset
            spans.append((start, start + len(f.value), f.masked))
    if not spans:
        return text, 0
    return _apply(text, spans), len(spans)


def mask_table(rows, kinds=None, *, sensitive_words=(), ignore=(), public_values=(),
               limits=None) -> tuple[list[list], int]:
    """Mask a spreadsheet given as a list of rows (first row with two filled cells among the first
    ten = header).

    Cells without findings are returned unchanged (same object); cells with findings become
    strings.  Returns ``(new_rows, count)``."""
    from .extract import cell_to_str  # noqa: PLC0415  (extract and scanner import this module)
    from .scanner import scan_table_rows  # noqa: PLC0415

    wanted = MASKABLE_KINDS if kinds is None else (frozenset(kinds) & MASKABLE_KINDS)
    new_rows = [list(r) for r in rows]
    per_cell: dict[tuple[int, int], list] = {}
    _findings, cells = scan_table_rows(rows, source="table", sensitive_words=sensitive_words,
                                       public_values=tuple(public_values) + tuple(ignore), wording=False,
                                       limits=limits, return_cells=True)
    count = 0
    for ri, ci, off, n, masked, kind in cells:
        if kind not in wanted:
            continue
        per_cell.setdefault((ri, ci), []).append((off, off + n, masked))
        count += 1
    for (ri, ci), spans in per_cell.items():
        new_rows[ri][ci] = _apply(cell_to_str(new_rows[ri][ci]), spans)
    return new_rows, count
