"""Check-digit and plausibility validators used by the detectors (pure functions)."""
from __future__ import annotations

import datetime
from operator import mul

# GB 11643-1999: first two digits are the province-level code (GB/T 2260).
# 83 is used by residence permits for Taiwan residents (830000), 81/82 for HK/Macao.
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15",
    "21", "22", "23",
    "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46",
    "50", "51", "52", "53", "54",
    "61", "62", "63", "64", "65",
    "71", "81", "82", "83",
})

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MIN_BIRTH = datetime.date(1900, 1, 1)


def id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits of an ID number."""
    total = sum(map(mul, map(int, first17), _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def _valid_date(y: int, m: int, d: int) -> datetime.date | None:
    try:
        return datetime.date(y, m, d)
    except ValueError:
        return None


def is_valid_id18(value: str, today: datetime.date | None = None) -> bool:
    if len(value) != 18 or not value[:17].isdigit():
        return False
    if value[:2] not in PROVINCE_CODES:
        return False
    born = _valid_date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    if born is None or born < _MIN_BIRTH or born > (today or datetime.date.today()):
        return False
    return id_check_digit(value[:17]) == value[17].upper()


def is_valid_id15(value: str) -> bool:
    """Legacy (pre-1999) 15-digit ID: province code + 4 region digits + YYMMDD (19YY) + 3-digit serial."""
    if len(value) != 15 or not value.isdigit():
        return False
    if value[:2] not in PROVINCE_CODES:
        return False
    return _valid_date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12])) is not None


def is_valid_id(value: str) -> bool:
    return is_valid_id18(value) if len(value) == 18 else is_valid_id15(value)


_LUHN_DOUBLE = str.maketrans("0123456789", "0246813579")  # digit -> digit sum of 2*digit


def luhn_ok(digits: str) -> bool:
    """Luhn (mod 10) check over a string of ASCII digits."""
    rev = digits[::-1]
    return (sum(map(int, rev[0::2])) + sum(map(int, rev[1::2].translate(_LUHN_DOUBLE)))) % 10 == 0


def plausible_card_prefix(digits: str) -> bool:
    """Issuer prefixes seen on cards: 3 (JCB/Amex), 4 (Visa), 5 (Mastercard), 6 (UnionPay 62...),
    9 (old domestic 95xx/9xxx cards) and the Mastercard 2-series 2221-2720.  Numbers that start
    with 0, 1, 7, 8 or a year (19xx/20xx) are serials/order numbers, not cards."""
    first = digits[0]
    if first in "34569":
        return True
    if first == "2":
        return 2221 <= int(digits[:4]) <= 2720
    return False
