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
    if value[:2] not in PROVINCE_CODES or value[2:4] == "00":
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


# ---------------------------------------------------------------- IDs without the check digit

def id_shape(value: str, today: datetime.date | None = None) -> bool:
    """An 18-character value that has an ID number's region prefix and birth date (whatever its
    check digit): the province is known, the prefecture digits are not 00, the date is real and
    between 1900 and today."""
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789Xx":
        return False
    if value[:2] not in PROVINCE_CODES or value[2:4] == "00":
        return False
    born = _valid_date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    return born is not None and _MIN_BIRTH <= born <= (today or datetime.date.today())


# ---------------------------------------------------------------- organisation codes

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_CHARS)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 32100-2015 registration authority + organisation type (first two characters)
USCC_CATEGORIES = frozenset({
    "11", "12", "13", "19", "21", "29", "31", "32", "33", "34", "35", "39", "41", "49", "51", "52",
    "53", "59", "61", "62", "69", "71", "72", "79", "81", "89", "91", "92", "93", "A1", "A9", "N1",
    "N2", "N3", "N9", "Y1",
})
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_check_char(body8: str) -> str:
    """GB 11714 check character of the 8 body characters of an organisation code."""
    total = sum((int(ch) if ch.isdigit() else ord(ch) - 55) * w for ch, w in zip(body8, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character of the first 17 characters of a 统一社会信用代码."""
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def org_code_ok(code: str) -> bool:
    """GB 11714 organisation code (8 characters + check character)."""
    if len(code) != 9:
        return False
    total = 0
    for ch, w in zip(code[:8], _ORG_WEIGHTS, strict=False):
        if ch.isdigit():
            total += int(ch) * w
        elif "A" <= ch <= "Z":
            total += (ord(ch) - 55) * w
        else:
            return False
    c = 11 - total % 11
    return code[8] == ("X" if c == 10 else "0" if c == 11 else str(c))


def uscc_ok(value: str) -> bool:
    """统一社会信用代码 (GB 32100-2015): category, 6-digit region, GB 11714 organisation code and
    the mod-31 check character."""
    v = value.upper()
    if len(v) != 18 or v[:2] not in USCC_CATEGORIES or not v[2:8].isdigit():
        return False
    try:
        total = sum(_USCC_VALUE[c] * w for c, w in zip(v[:17], _USCC_WEIGHTS, strict=False))
    except KeyError:
        return False
    if _USCC_CHARS[(31 - total % 31) % 31] != v[17]:
        return False
    return org_code_ok(v[8:17])


# ---------------------------------------------------------------- phones

# first three digits of the assigned 4-digit area codes (03xx-09xx) and the 3-digit codes
AREA3 = frozenset({"010", "020", "021", "022", "023", "024", "025", "027", "028", "029"})
AREA4_PREFIX = frozenset({
    "031", "033", "034", "035", "037", "039", "041", "042", "043", "045", "046", "047", "048", "051",
    "052", "053", "054", "055", "056", "057", "058", "059", "063", "066", "069", "070", "071", "072",
    "073", "074", "075", "076", "077", "079", "081", "082", "083", "085", "087", "088", "089", "090",
    "091", "092", "093", "094", "095", "097", "099",
})


def area_code_len(digits: str) -> int:
    """Length of a valid area code at the start of ``digits`` (3 or 4), else 0."""
    if digits[:3] in AREA3:
        return 3
    if digits[:3] in AREA4_PREFIX and len(digits) >= 4:
        return 4
    return 0


def mobile_ok(digits: str) -> bool:
    return len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789"


# ---------------------------------------------------------------- bank cards

# issuer prefixes for which a Luhn failure still means "probably a mistyped card": UnionPay (62),
# old domestic card ranges of the big four banks, and Visa/Mastercard/JCB BINs of Chinese banks
_CARD_ISSUERS = (
    "62", "601382", "603367", "603601", "603694", "9558", "9559", "9555", "9556", "9588",
    "402658", "403361", "404117", "404118", "404119", "404120", "404121", "409665", "409666", "409667",
    "409668", "409669", "409670", "409671", "410062", "427010", "427018", "427019", "427020", "427028",
    "427029", "427030", "427038", "427039", "427062", "427064", "433666", "433670", "433680", "434061",
    "434062", "436718", "436728", "436738", "436742", "436745", "436748", "438088", "438125", "438126",
    "439188", "451289", "451290", "456351", "468203", "489592", "489734", "489735", "489736", "512315",
    "512316", "512411", "512412", "512425", "512695", "512732", "514957", "514958", "518364", "518378",
    "518379", "518474", "518475", "518476", "519412", "520082", "520083", "520108", "522153", "523036",
    "524011", "524047", "524070", "524091", "524094", "524864", "525498", "525745", "525746", "525998",
    "526836", "528020", "530970", "530980", "530990", "532420", "532430", "532450", "532458", "535910",
    "535918", "544033", "545619", "545620", "545621", "545623", "545947", "545948", "552245", "552288",
    "552534", "552587", "552599", "552794", "552801", "553242", "556610", "556617", "558360", "558730",
    "558894", "558895", "558916", "356827", "356828", "356833", "356839", "356840", "356885", "356886",
    "356887", "356888", "356889", "356890", "356895", "356896", "356899", "377677", "370285", "370286",
    "370287", "370289",
)


def known_card_issuer(digits: str) -> bool:
    return digits.startswith(_CARD_ISSUERS)
