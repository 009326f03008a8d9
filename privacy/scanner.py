"""Privacy / secrecy pre-check scanner (pure Python, no database).

What is reported: personal data (ID numbers, also with a failing check digit; phones; bank cards,
also with a failing Luhn digit; e-mail; detailed addresses; names beside them), classification
marks, the agency's sensitive words, and 错敏词 / 严重表述错误 (``privacy.wording``).  Digit-based
detection and its context rules are in ``privacy.numbers``.  The agency's own public values
(hotlines, office addresses, public e-mail) are never reported.

Stored findings are capped per file (``Limits.findings_per_file``); the counts per kind stay exact
and the report says it was truncated.

Detection is done on a *normalised* copy of the text in which full-width ASCII (０-９, Ｘ, －, ＋,
（ ）, ：, ，…) is folded to half-width, dashes (‐‑‒–—―−﹣) to ``-`` and odd spaces (ideographic, no-break)
to a space, with a 1:1 character mapping, so offsets in the normalised
copy are offsets in the original and ``Finding.value`` is always the original spelling.

Spreadsheets (and Word tables) are scanned as ONE string per sheet - cells joined by "\\n" - and
each hit is mapped back to its cell with a bisect on the row start offsets, which keeps the
per-cell Python work to a string conversion.

Classification-mark rule (``classification_mark``)
--------------------------------------------------
Mark words: 绝密, 机密, 秘密 (secret words) and 内部, 内部资料, 内部使用, 内部文件, 注意保存,
不得外传, 严禁外传 (internal words).  A mark word fires only when it *stands as a mark*:

a. followed by ★ (or ☆, or an ASCII ``*``), optionally with a period: ``秘密★1年``, ``机密★长期``;
b. inside brackets: ``【内部】``, ``〔秘密〕``, ``（内部资料）``;
c. alone on its line (or spreadsheet cell): the line holds only mark words, ★/periods and
   separators, e.g. a header line ``内部资料  注意保存`` or a cell ``机密``;
d. after a ``密级：`` label: ``密级：秘密``;
e. at the start of a line and followed by white space (``秘密  宿政〔2023〕5号``), for every
   mark word except the bare ``内部``.

Within prose the words do not fire: ``保守秘密``, ``国家秘密``, ``商业秘密``, ``内部管理``,
``保密审查`` (which contains no mark word at all).

Name rule (``name_near_pii``)
-----------------------------
* Tables: a column whose header is a name header (姓名, 户主, 申请人, 联系人, ... or any header
  ending in 姓名) yields a name finding for each row that also has an ID / phone / bank card /
  e-mail / address finding.  If no column has such a header, a cell that is exactly a 2-4
  character name starting with a common surname (and not ending in 村/镇/乡...) is used instead.
* Text: a common surname (single or compound) + 1-2 characters ending at most 10 characters before
  an ID / phone / bank card hit, preceded by a non-Han character or a label (户主, 申请人, 联系人…)
  and followed by a non-Han character or a field word (身份证, 电话, 手机, 银行…).
"""
from __future__ import annotations

import gc
import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from . import names as _names
from .extract import ExtractionError, TableSegment, TextSegment, cell_to_str, html_to_text, iter_segments
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
    KIND_CATEGORY,
    KIND_LABELS,
    LANDLINE,
    MOBILE,
    NAME_NEAR_PII,
    SENSITIVE_WORD,
    UNREADABLE,
    WARN,
    WORDING,
)
from .limits import DEFAULT_LIMITS, Guard, LimitExceeded, Limits
from .mask import mask_value
from .numbers import ORG_CODE, WEAK_KINDS, amount_header, detect_numbers, identifier_header, org_header
from .validators import area_code_len, uscc_ok
from .wording import lower_key, matcher_for

__all__ = ["Finding", "Location", "ScanReport", "scan", "scan_text", "scan_attachment",
           "scan_segments", "scan_table_rows", "normalize", "PublicValues"]

_SOURCE_NAMES = {"body": "正文", "title": "标题"}

# ---------------------------------------------------------------- data classes


@dataclass(slots=True)
class Location:
    source: str
    offset: int | None = None      # character offset in the text (or in the cell for tables)
    sheet: str | None = None
    row: int | None = None         # 1-based sheet row
    column: str | None = None      # column letter (A, B, ..., AA)
    header: str | None = None      # header text of that column, when there is one
    page: int | None = None        # PDF page, 1-based
    paragraph: int | None = None   # DOCX paragraph, 1-based (within its part)
    table: int | None = None       # DOCX table, 1-based
    part: str | None = None        # DOCX: "header", "footer", "textbox"; body when absent
    section: int | None = None     # DOCX section of a header/footer (only when > 1)

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__ if getattr(self, k) is not None}

    def describe(self) -> str:
        """Human-readable location in Chinese, e.g. 附件“低保.xlsx” 工作表“Sheet1” 第3行 C列（身份证号）."""
        bits = [_SOURCE_NAMES.get(self.source) or f"附件“{self.source}”"]
        if self.part == "header":
            bits.append("页眉")
        elif self.part == "footer":
            bits.append("页脚")
        elif self.part == "textbox":
            bits.append("文本框")
        if self.sheet:
            bits.append(f"工作表“{self.sheet}”")
        if self.table:
            bits.append(f"表格{self.table}")
        if self.page:
            bits.append(f"第{self.page}页")
        if self.paragraph and not self.part:
            bits.append(f"第{self.paragraph}段")
        if self.row:
            bits.append(f"第{self.row}行")
        if self.column:
            bits.append(f"{self.column}列" + (f"（{self.header}）" if self.header else ""))
        return " ".join(bits)



@dataclass(slots=True)
class Finding:
    kind: str
    value: str          # as written in the source
    masked: str         # masked preview (see mask.py); the value itself for marks and wording
    location: Location
    context: str = ""   # nearby text with every personal-data finding in it masked
    severity: str = BLOCK
    category: str = ""
    suggestion: str = ""
    label: str = ""

    def __post_init__(self):
        if not self.label:
            self.label = KIND_LABELS[self.kind]
        if not self.category:
            self.category = KIND_CATEGORY.get(self.kind, "")

    def to_dict(self, include_value: bool = False) -> dict:
        d = {"kind": self.kind, "label": self.label, "masked": self.masked,
             "location": self.location.to_dict(), "where": self.location.describe(),
             "context": self.context, "severity": self.severity, "category": self.category,
             "suggestion": self.suggestion}
        if include_value:
            d["value"] = self.value
        return d


@dataclass
class ScanReport:
    """Result of ``scan``.  ``findings`` holds the stored findings (at most
    ``Limits.findings_per_file`` per file); ``counts`` the exact number per kind, stored or not."""

    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    blocking_count: int = 0
    truncated: bool = False

    def add(self, f: Finding, store: bool = True) -> None:
        self.counts[f.kind] = self.counts.get(f.kind, 0) + 1
        if f.severity == BLOCK:
            self.blocking_count += 1
        if store:
            self.findings.append(f)
        else:
            self.truncated = True

    def count(self, kind: str, severity: str, n: int = 1) -> None:
        """Count findings that are not stored."""
        self.counts[kind] = self.counts.get(kind, 0) + n
        if severity == BLOCK:
            self.blocking_count += n
        self.truncated = True

    def extend(self, findings) -> None:
        for f in findings:
            self.add(f)

    @property
    def blocking(self) -> bool:
        """True when any finding (stored or only counted) has severity ``block``."""
        return self.blocking_count > 0

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARN]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def counts_by_kind(self) -> dict[str, int]:
        return {k: self.counts[k] for k in ALL_KINDS if self.counts.get(k)}

    def summary(self) -> str:
        if not self.counts:
            return "未发现个人信息、密级标志或错敏词"
        text = "发现" + "、".join(f"{KIND_LABELS[k]} {n} 处" for k, n in self.counts_by_kind.items())
        if self.truncated:
            text += f"（仅保存前 {len(self.findings)} 处的详情）"
        return text

    def to_json(self, include_values: bool = False) -> dict:
        """JSON-serialisable report for a JSONField.  Raw values are left out by default, so storing
        the report does not copy the personal data it found."""
        return {"findings": [f.to_dict(include_values) for f in self.findings],
                "counts": self.counts_by_kind, "total": self.total, "blocking": self.blocking,
                "warnings": sum(1 for f in self.findings if f.severity == WARN),
                "truncated": self.truncated, "summary": self.summary()}

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False)


# ---------------------------------------------------------------- normalisation

_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # full-width ASCII -> ASCII, 1:1
_FOLD.update({cp: 0x2D for cp in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE63, 0xFE58)})
_FOLD.update({cp: 0x20 for cp in (0x3000, 0x00A0, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
                                  0x2009, 0x200A, 0x202F, 0x205F)})

_FOLD_RUN = re.compile("[\uff01-\uff5e\u2010-\u2015\u2212\ufe63\ufe58\u3000\u00a0\u2002-\u200a\u202f\u205f]+")


def _fold(m: re.Match) -> str:
    return m.group().translate(_FOLD)


def normalize(text: str) -> str:
    """Fold full-width ASCII to half-width, dashes to ``-`` and odd spaces to `` `` (same length,
    so offsets are kept)."""
    return _FOLD_RUN.sub(_fold, text)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


# ---------------------------------------------------------------- patterns (precompiled)

_ACCOUNT_RE = re.compile(
    r"(?:银行卡号|银行账号|银行帐号|卡号|账号|帐号|账户|帐户|存折号|折号)[^\d\n]{0,8}?"
    r"(\d{12,25}|\d{4}(?:[ -]\d{3,4}){2,5})(?![\d.])")
_ACCOUNT_NOT_RE = re.compile(r"余额|金额|总额|数量|个数|名称|户名|开户行|开户银行")
_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*"
    r"\.[A-Za-z]{2,24}(?![A-Za-z0-9-])")

_NUM = r"\d{1,5}(?:[-—之]\d{1,4})?"
_CNNUM = r"[一二三四五六七八九十百零〇两\d]{1,4}"
_BLD = rf"(?:{_NUM}(?:栋|幢|号楼|座|楼))?(?:{_NUM}单元)?(?:{_NUM}(?:室|户|号房))?"
_ADDRESS_CORE_RE = re.compile(
    # guard: only try at a road/village character or at the start of a numeral run
    r"(?:(?=[路街大巷弄胡村])|(?<![\d一二三四五六七八九十百零〇两])(?=[\d一二三四五六七八九十百零〇两]))(?:"
    # XX路12号3栋2单元501室, XX巷5弄3号, XX街8号院
    rf"(?:路|街|大街|大道|巷|弄|胡同)(?:{_CNNUM}(?:巷|弄|条))?{_NUM}号(?:院)?{_BLD}"
    # XX村三组15号, XX村15号, 三组15号
    rf"|(?:村[\u4e00-\u9fff]{{1,4}}?(?:组|队|村民小组)|村|(?<![一二三四五六七八九十百零〇两\d]){_CNNUM}(?:组|队|社|村民小组))"
    rf"(?:{_CNNUM}(?:组|队|社|村民小组))?{_NUM}号{_BLD}"
    # XX小区3栋2单元501室, 3号楼501室  (the lookbehinds keep the engine from retrying inside
    # every digit run - that was 90% of the scan time on a 低保 list)
    rf"|(?<!\d){_NUM}(?:栋|幢|号楼|座){_NUM}单元{_NUM}(?:室|户|号)"
    rf"|(?<!\d){_NUM}(?:栋|幢|号楼)(?:{_NUM}单元)?{_NUM}室"
    r")"
)
_ADDRESS_PREFIX_MAX = 30
_HAN_RUN_END = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf0-9]*\Z")
_LEADIN_RE = re.compile(r"现住址|家庭住址|户籍所在地|户籍地址|居住地址|住址|地址|家住|现住|居住在|居住于|住在|住于|"
                        r"位于|户籍地|所在地|住所|居住地|通讯地址|联系地址")
_PROVINCES = ("北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江",
              "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川",
              "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "台湾", "香港", "澳门")
_PROVINCE_RE = re.compile("|".join(_PROVINCES))

_SECRET_WORDS = ("绝密", "机密", "秘密")
_INTERNAL_WORDS = ("内部资料", "内部使用", "内部文件", "注意保存", "不得外传", "严禁外传", "内部")
_MARK_ALT = "|".join(_SECRET_WORDS + _INTERNAL_WORDS)
_MARK_KEY_RE = re.compile(_MARK_ALT)
_WS = r"[ \t\u3000\r]"
_PERIOD = r"(?:\d{1,3} ?(?:年|个月|月|天|日)|[一二三四五六七八九十]{1,3}年|长期|永久)"
_STAR_RE = re.compile(rf"{_WS}*[★☆*](?:{_WS}*{_PERIOD})?")
_LINE_ONLY_RE = re.compile(
    rf"{_WS}*(?:[(\[【〔〈《「『]?(?:{_MARK_ALT})(?:{_WS}*[★☆*](?:{_WS}*{_PERIOD})?)?[)\]】〕〉》」』]?"
    rf"[ \t\u3000\r,、;·/|]*)+")
_OPEN_BR = "([【〔〈《「『"
_CLOSE_BR = ")]】〕〉》」』"
_MIJI_RE = re.compile(rf"密级{_WS}*[:：]?{_WS}*$")


_PRIORITY = {ORG_CODE: -1, ID_NUMBER: 0, BANK_CARD: 1, ID_NUMBER_SUSPECT: 2, BANK_CARD_SUSPECT: 2, EMAIL: 3,
             MOBILE: 4, LANDLINE: 5, ADDRESS: 6}
_TEXT_NAME_ANCHORS = frozenset({ID_NUMBER, ID_NUMBER_SUSPECT, MOBILE, LANDLINE, BANK_CARD, BANK_CARD_SUSPECT})
_TABLE_NAME_ANCHORS = frozenset({ID_NUMBER, ID_NUMBER_SUSPECT, MOBILE, LANDLINE, BANK_CARD, BANK_CARD_SUSPECT,
                                 EMAIL, ADDRESS})
_PHONE_KINDS = frozenset({MOBILE, LANDLINE})
_NOT_NAMES = frozenset({
    "单位", "方式", "时间", "金额", "高龄", "常住", "安置", "全部", "全体", "全市", "全县", "全镇", "全区",
    "明细", "申请", "申报", "文件", "和平", "关于", "关系", "管理", "成员", "万元", "余额", "应急", "应当",
    "商户", "商业", "安全", "常用", "农户", "农村", "卫生", "查询", "司法", "华东", "江苏", "宁夏",
    "向阳", "金融", "石油", "水电", "夏季", "秦岭", "黄河", "长江", "高速", "程序", "任务", "任职",
    "于是", "施工", "温馨", "康复", "孔径", "田地", "林地", "林业", "章程", "童年", "祝福", "包括",
    "尚未", "柯桥", "纪委", "毕业", "季度", "宫颈", "费用", "车辆", "项目", "连续", "党员", "党委",
    "景区", "宗教", "全称", "包户", "贺信", "雷锋", "房屋", "房产", "屈原", "解释", "谈话", "占用",
    "卢沟", "邮编", "范围", "曾经", "罗列", "许可", "何时", "沈阳", "武汉", "路口", "路段", "苏州",
    "都市", "龙岗", "钟楼", "经办", "简历", "古城", "吉林", "白天", "明天", "时任", "宋体", "欧洲",
})
_SPLIT_NAMES_RE = re.compile(r"[、,，/;；\s]+")
_NAME_CELL_RE = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,10}·[\u4e00-\u9fff]{1,10})$")



# ---------------------------------------------------------------- the agency's public values


_PHONE_IN_VALUE_RE = re.compile(r"\+?[\d()]+(?:[ -]?[\d()]+)*")


def _phone_key(digits: str) -> str:
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits.lstrip("0")


class PublicValues:
    """The agency's published numbers, addresses and e-mail addresses (监督电话, 办公地址, 公开邮箱).

    A phone matches by its digits whatever the separators, full-width digits, ``+86`` prefix or
    extension: the public ``0563-4012345`` covers ``(0563)401 2345`` and ``0563-4012345转8``.
    An address or e-mail matches as written (after full-width folding, ignoring spaces and case):
    a finding inside a written occurrence of a public value, or a finding whose text is part of
    one, is not reported."""

    def __init__(self, values=()):
        self.phones: set[str] = set()
        self.texts: list[str] = []
        for v in values or ():
            v = (v or "").strip()
            if not v:
                continue
            n = normalize(v)
            has_phone = False
            for m in _PHONE_IN_VALUE_RE.finditer(n):  # every phone written in the value
                digits = "".join(c for c in m.group() if c.isdigit())
                if len(digits) < 7:
                    continue
                has_phone = True
                self.phones.add(_phone_key(digits))
                if digits[0] == "0":
                    a = area_code_len(digits)
                    if a and len(digits) - a >= 7:
                        self.phones.add(digits[a:])
            rest = re.sub(r"[\s:()转分机ext.,;、/-]", "", _PHONE_IN_VALUE_RE.sub("", n))
            t = lower_key(n).replace(" ", "")
            if len(t) >= 4 and (not has_phone or rest):
                self.texts.append(t)
        self.empty = not self.phones and not self.texts

    def spans(self, lt: str) -> list[tuple[int, int]]:
        """Written occurrences of public text values in the lowered normalised text."""
        out = []
        for t in self.texts:
            pos = lt.find(t)
            while pos != -1:
                out.append((pos, pos + len(t)))
                pos = lt.find(t, pos + 1)
        return out

    def covers(self, kind: str, value: str, s: int, e: int, spans) -> bool:
        if self.phones and kind in _PHONE_KINDS:
            key = _phone_key("".join(c for c in normalize(value) if c.isdigit()))
            if key in self.phones or any(key.startswith(p) for p in self.phones if len(p) >= 7):
                return True
        for a, b in spans:
            if a <= s and e <= b:
                return True
            # an address whose identifying tail (road, number, building) lies in a public address: the
            # words before it ("或到", "地点：") are context, not a different address
            if kind == ADDRESS and s < a < e <= b:
                return True
        if self.texts and kind in (ADDRESS, EMAIL):
            v = lower_key(normalize(value)).replace(" ", "")
            return any(v in t for t in self.texts)
        return False


# ---------------------------------------------------------------- scan context


class _Ctx:
    """Everything one scan run needs: compiled word lists, public values, limits."""

    __slots__ = ("srx", "public", "wording", "guard", "limits", "cap")

    def __init__(self, *, sensitive_words=(), wording_rules=(), public_values=(), limits: Limits | None = None,
                 wording: bool = True, guard: Guard | None = None, cap: int | None = None):
        self.limits = limits or DEFAULT_LIMITS
        self.srx = _sensitive_re(tuple(sensitive_words or ()))
        self.public = PublicValues(public_values)
        self.wording = matcher_for(tuple(wording_rules or ())) if wording else None
        self.guard = guard or Guard(self.limits)
        self.cap = self.limits.findings_per_file if cap is None else cap


def _sensitive_re(words: tuple):
    words = tuple(sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True))
    if not words:
        return None
    return _SENSITIVE_CACHE.get(words) or _SENSITIVE_CACHE.setdefault(
        words, re.compile("|".join(re.escape(normalize(w)) for w in words), re.IGNORECASE))


_SENSITIVE_CACHE: dict = {}


# ---------------------------------------------------------------- detection core

def _detect_pii(nt: str) -> list[tuple[int, int, str]]:
    """Digit-based kinds, e-mail and address, overlaps resolved.  Returns sorted (start, end, kind);
    spans recognised as organisation codes take part in the overlap resolution and are then dropped."""
    cands: list[tuple[int, int, int, str]] = []  # (start, priority, end, kind)

    def add(s, e, k):
        cands.append((s, _PRIORITY[k], e, k))

    if any(c in nt for c in "0123456789"):
        detect_numbers(nt, add)
        if "号" in nt or "账" in nt or "帐" in nt or "户" in nt:
            for m in _ACCOUNT_RE.finditer(nt):
                between = nt[m.start():m.start(1)]
                if _ACCOUNT_NOT_RE.search(between):
                    continue
                tail = nt[m.end(1):m.end(1) + 3]
                if tail[:1] in ("元", "万", "亿") or tail.startswith(" 元"):
                    continue
                add(m.start(1), m.end(1), BANK_CARD)
        if "号" in nt or "室" in nt:
            for m in _ADDRESS_CORE_RE.finditer(nt):
                s = _address_start(nt, m.start())
                add(s, m.end(), ADDRESS)
    if "@" in nt:
        for m in _EMAIL_RE.finditer(nt):
            add(m.start(), m.end(), EMAIL)
    if not cands:
        return []
    cands.sort()
    kept: list[list] = []
    for s, p, e, k in cands:
        if kept and s < kept[-1][1]:
            last = kept[-1]
            if p < last[3] or (p == last[3] and e - s > last[1] - last[0]):
                kept[-1] = [s, e, k, p]
            continue
        kept.append([s, e, k, p])
    return [(s, e, k) for s, e, k, _ in kept if k != ORG_CODE]


def _address_start(nt: str, core_start: int) -> int:
    """Extend an address core backwards over the Han run before it (place names), then drop
    lead-in words ("家住", "地址：") and anything before a province name."""
    i = _HAN_RUN_END.search(nt, max(0, core_start - _ADDRESS_PREFIX_MAX), core_start).start()
    prefix = nt[i:core_start]
    if prefix:
        last = next(reversed(list(_LEADIN_RE.finditer(prefix))), None)
        if last is not None:
            i += last.end()
            prefix = nt[i:core_start]
        pm = _PROVINCE_RE.search(prefix)
        if pm:
            i += pm.start()
    return i


def _line_bounds(nt: str, s: int, e: int) -> tuple[int, int]:
    ls = nt.rfind("\n", 0, s) + 1
    le = nt.find("\n", e)
    return ls, (len(nt) if le < 0 else le)


def _detect_marks(nt: str) -> list[tuple[int, int, str]]:
    if not ("密" in nt or "内部" in nt or "外传" in nt or "注意保存" in nt):
        return []
    out = []
    done_lines = set()
    for m in _MARK_KEY_RE.finditer(nt):
        s, e = m.span()
        word = m.group()
        ls, le = _line_bounds(nt, s, e)
        if ls in done_lines:
            continue
        line = nt[ls:le]
        # c. alone on its line / cell
        lm = _LINE_ONLY_RE.fullmatch(line)
        if lm:
            stripped = line.strip(" \t\u3000\r")
            off = ls + line.index(stripped[0])
            out.append((off, off + len(stripped), CLASSIFICATION_MARK))
            done_lines.add(ls)
            continue
        # a. followed by ★
        sm = _STAR_RE.match(nt, e)
        if sm and sm.group().strip(" \t\u3000\r"):
            out.append((s, sm.end(), CLASSIFICATION_MARK))
            continue
        before = nt[ls:s].rstrip(" \t\u3000")
        after = nt[e:le].lstrip(" \t\u3000")
        # b. in brackets
        if before and before[-1] in _OPEN_BR and after and after[0] in _CLOSE_BR:
            bs = ls + len(before) - 1
            out.append((bs, le - len(after) + 1, CLASSIFICATION_MARK))
            continue
        # d. after 密级：
        if _MIJI_RE.search(before):
            out.append((s, e, CLASSIFICATION_MARK))
            continue
        # e. at line start followed by white space
        if not before and word != "内部" and e < le and nt[e] in " \t\u3000":
            out.append((s, e, CLASSIFICATION_MARK))
            continue
    return out


def _detect_sensitive(nt: str, rx) -> list[tuple[int, int, str]]:
    if rx is None:
        return []
    return [(m.start(), m.end(), SENSITIVE_WORD) for m in rx.finditer(nt)]


_LABEL_END = frozenset("人户者员属主")  # 被征收人张三, 低保户李四, 申请者, 家属, 业主
_PLACE_END = frozenset("村镇乡区县市组屯寨街路")
# a surname + title (刘主任, 王科长) names an office holder by title, not a person's name
_TITLES = frozenset({"主任", "科长", "局长", "书记", "老师", "先生", "女士", "同志", "经理", "主席", "处长", "部长",
                     "队长", "站长", "所长", "院长", "校长", "医生", "会计", "总", "工", "董", "镇长", "乡长", "县长",
                     "市长", "村长", "组长", "馆长", "行长", "律师", "警官", "师傅", "阿姨", "大爷", "老", "某"})


def _name_prefix_ok(nt: str, i: int) -> bool:
    if i == 0 or not _is_han(nt[i - 1]) or nt[i - 1] in _LABEL_END:
        return True
    return any(nt.endswith(label, 0, i) for label in _names.NAME_LABELS)


def _name_suffix_ok(nt: str, end: int, limit: int) -> bool:
    if end >= limit or not _is_han(nt[end]):
        return True
    return any(nt.startswith(w, end) for w in _names.NAME_FOLLOWERS)


def _name_before(nt: str, s: int) -> tuple[int, int] | None:
    """Closest personal name ending at most 10 characters before offset ``s``."""
    lo = max(0, s - 14)
    single, compound = _names.SINGLE_SURNAMES, _names.COMPOUND_SURNAMES
    bad = _names.NOT_GIVEN_NAME
    for i in range(s - 2, lo - 1, -1):
        ch = nt[i]
        if ch == "\n":
            break
        if nt[i:i + 2] in compound:
            base = i + 2
        elif ch in single:
            base = i + 1
        else:
            continue
        if not _name_prefix_ok(nt, i):
            continue
        for g in (2, 1):
            end = base + g
            if end > s or s - end > 10:
                continue
            given = nt[base:end]
            if not all(_is_han(c) and c not in bad for c in given) or given[-1] in _PLACE_END or \
                    given in _TITLES:
                continue
            if nt[i:end] in _NOT_NAMES or nt[i:i + 2] in _NOT_NAMES:
                continue
            if _name_suffix_ok(nt, end, s):
                return i, end
    return None


_Hit = tuple  # (start, end, kind, rule-or-None)


def _detect_all(nt: str, ctx: _Ctx, *, text_names: bool, raw: str) -> list[_Hit]:
    """Every finding span in the normalised text ``nt`` (``raw`` is the text as written)."""
    hits = [(s, e, k, None) for s, e, k in _detect_pii(nt)]
    if hits and not ctx.public.empty:
        spans = ctx.public.spans(lower_key(nt)) if ctx.public.texts else []
        hits = [h for h in hits if not ctx.public.covers(h[2], raw[h[0]:h[1]], h[0], h[1], spans)]
    if text_names and hits:
        seen = set()
        names = []
        for s, _e, k, _r in hits:
            if k in _TEXT_NAME_ANCHORS:
                span = _name_before(nt, s)
                if span and span not in seen:
                    seen.add(span)
                    names.append((span[0], span[1], NAME_NEAR_PII, None))
        hits.extend(names)
    hits.extend((s, e, k, None) for s, e, k in _detect_marks(nt))
    hits.extend((s, e, k, None) for s, e, k in _detect_sensitive(nt, ctx.srx))
    if ctx.wording is not None:
        hits.extend((s, e, WORDING, rule) for s, e, rule in ctx.wording.find(lower_key(nt), nt))
    hits.sort(key=lambda h: (h[0], h[1]))
    return hits


def _finding(kind: str, value: str, masked: str, loc: Location, ctx_text: str, rule=None) -> Finding:
    if rule is not None:
        return Finding(kind, value, masked, loc, ctx_text, rule.severity, rule.category, rule.suggestion,
                       rule.category_label)
    return Finding(kind, value, masked, loc, ctx_text)


def _severity(kind: str, rule) -> str:
    return rule.severity if rule is not None else BLOCK


def _masked_spans(joined: str, hits) -> list[tuple[int, int, str]]:
    return [(s, e, mask_value(k, joined[s:e]) if r is None else joined[s:e]) for s, e, k, r in hits]


# ---------------------------------------------------------------- text segments

_CONTEXT = 15
_BATCH_CHARS = 200_000


def _batches(parts: list[tuple[str, dict]]):
    """Group text parts into batches of about _BATCH_CHARS; a longer part is cut at a line break
    (each piece keeps its offset into the part)."""
    batch, size = [], 0
    for text, where in parts:
        pieces = [(text, 0)]
        if len(text) > _BATCH_CHARS:
            pieces = []
            pos = 0
            while pos < len(text):
                end = min(len(text), pos + _BATCH_CHARS)
                if end < len(text):
                    cut = text.rfind("\n", pos + _BATCH_CHARS // 2, end)
                    if cut < 0:
                        cut = max(text.rfind("。", pos + _BATCH_CHARS // 2, end),
                                  text.rfind(" ", pos + _BATCH_CHARS // 2, end))
                    end = cut + 1 if cut > 0 else end
                pieces.append((text[pos:end], pos))
                pos = end
        for piece, base in pieces:
            if batch and size + len(piece) > _BATCH_CHARS:
                yield batch
                batch, size = [], 0
            batch.append((piece, where, base))
            size += len(piece) + 1
    if batch:
        yield batch


def _scan_parts(parts: list[tuple[str, dict]], source: str, ctx: _Ctx, report: ScanReport) -> None:
    cap = ctx.cap
    for batch in _batches(parts):
        ctx.guard.check_time()
        texts = [t for t, _w, _b in batch]
        joined = "\n".join(texts) if len(texts) > 1 else texts[0]
        nt = normalize(joined)
        hits = _detect_all(nt, ctx, text_names=True, raw=joined)
        if not hits:
            continue
        starts = list(accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
        spans = None
        for h in hits:
            s, e, k, rule = h
            if len(report.findings) >= cap:
                report.count(k, _severity(k, rule))
                continue
            if spans is None:
                spans = _masked_spans(joined, hits)
                span_starts = [x[0] for x in spans]
            pi = bisect_right(starts, s) - 1
            ps = starts[pi]
            pe = ps + len(texts[pi])
            _t, where, base = batch[pi]
            loc = Location(source=source, offset=s - ps + base, **where)
            value = joined[s:e]
            masked = value if rule is not None else mask_value(k, value)
            window = _masked_window(joined, spans, span_starts, max(ps, s - _CONTEXT), min(pe, e + _CONTEXT))
            report.add(_finding(k, value, masked, loc, window, rule))


# ---------------------------------------------------------------- table segments

def _masked_window(text: str, spans: list[tuple[int, int, str]], span_starts: list[int],
                   ws: int, we: int) -> str:
    """text[ws:we] with every (start, end, masked) span inside it replaced by its masked form;
    a span cut by the window edge is left out rather than shown half-masked."""
    out = []
    pos = ws
    j = max(0, bisect_right(span_starts, ws) - 1)
    n = len(spans)
    while j < n and spans[j][0] < we:
        s, e, masked = spans[j]
        j += 1
        if e <= pos:
            continue
        out.append(text[pos:max(s, pos)])
        if s >= ws and e <= we:
            out.append(masked)
        pos = min(e, we)
    out.append(text[pos:we])
    return "".join(out).replace("\n", " ").replace("\r", "").strip()


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


_LETTERS = [_col_letter(i) for i in range(256)]


def _pick_header(rows: list[list[str]]) -> int:
    """First row with >= 2 non-empty cells among the first 10 (skips a merged title row);
    otherwise the first row."""
    for i, r in enumerate(rows[:10]):
        if sum(1 for c in r if c and c.strip()) >= 2:
            return i
    return 0


class _NoGC:
    """Pause the cyclic GC while tens of thousands of findings are allocated (none of them form
    reference cycles); it roughly halves the time on a 10,000-row list."""

    def __enter__(self):
        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        if self.was:
            gc.enable()


_TABLE_CHUNK_ROWS = 4000


def _drop_by_header(k: str, value: str, header: str) -> bool:
    """Column-header context: amounts and non-personal identifiers are not personal data."""
    if not header or k not in WEAK_KINDS and k != ID_NUMBER:
        return False
    if k == ID_NUMBER:
        return org_header(header) and uscc_ok(value.strip().upper())
    return amount_header(header) or identifier_header(header)


def _scan_table(rows, source: str, row_numbers, where: dict, ctx: _Ctx, report: ScanReport | None,
                cells_out: list | None = None, header_state: dict | None = None) -> None:
    """Scan one table.  Findings go to ``report`` (capped); with ``cells_out`` every maskable
    finding is also appended as ``(row index, column index, offset, length, masked)`` (uncapped)."""
    where = where or {}
    srows = [[c if type(c) is str else cell_to_str(c) for c in r] for r in rows]
    if row_numbers is None:
        row_numbers = list(range(1, len(srows) + 1))
    state = header_state if header_state is not None else {}
    if "headers" not in state:
        nonempty = [i for i, r in enumerate(srows[:50]) if any(c.strip() for c in r)]
        hi = _pick_header([srows[i] for i in nonempty]) if nonempty else 0
        hi = nonempty[hi] if nonempty else 0
        state["headers"] = [h.strip() for h in srows[hi]] if srows else []
        state["hi"] = hi            # index of the header row among all rows of the table
        state["offset"] = 0         # rows of the table in earlier slices
    base = state["offset"]
    state["offset"] = base + len(srows)
    header_abs = state["hi"]
    headers = state["headers"]
    name_cols = [ci for ci, h in enumerate(headers) if h and _names.is_name_header(h)]
    ncols = len(headers)
    sheet = where.get("sheet")
    table = where.get("table")
    for c0 in range(0, len(srows), _TABLE_CHUNK_ROWS):
        ctx.guard.check_time()
        chunk = srows[c0:c0 + _TABLE_CHUNK_ROWS]
        hi = header_abs - base - c0  # the header row's index in this chunk (out of range: not here)
        flat = [c for r in chunk for c in r]
        if not flat:
            continue
        joined = "\n".join(flat)
        nt = normalize(joined)
        hits = _detect_all(nt, ctx, text_names=False, raw=joined)
        if not hits:
            continue
        cell_starts = list(accumulate((len(c) + 1 for c in flat[:-1]), initial=0))
        flat_ri = [ri for ri, r in enumerate(chunk) for _ in r]
        flat_ci = [ci for r in chunk for ci in range(len(r))]
        cell_hits = []
        anchor_rows: set[int] = set()
        pii_cells: set[tuple[int, int]] = set()
        for s, e, k, rule in hits:
            fi = bisect_right(cell_starts, s) - 1
            ri, ci = flat_ri[fi], flat_ci[fi]
            value = joined[s:e]
            if ri != hi and ci < ncols and _drop_by_header(k, value, headers[ci]):
                continue
            cell_hits.append((ri, ci, s - cell_starts[fi], k, value, rule))
            if k in _TABLE_NAME_ANCHORS and ri != hi and rule is None:
                anchor_rows.add(ri)
                pii_cells.add((ri, ci))
        for ri in sorted(anchor_rows):
            row = chunk[ri]
            if name_cols:
                for ci in name_cols:
                    if ci >= len(row) or not row[ci].strip():
                        continue
                    cell = row[ci]
                    pos = 0
                    for piece in _SPLIT_NAMES_RE.split(cell):
                        idx = cell.find(piece, pos) if piece else -1
                        if piece and _NAME_CELL_RE.match(piece):
                            cell_hits.append((ri, ci, idx, NAME_NEAR_PII, piece, None))
                        if idx >= 0:
                            pos = idx + len(piece)
            else:
                for ci, cell in enumerate(row):
                    if (ri, ci) in pii_cells:
                        continue
                    v = cell.strip()
                    if (2 <= len(v) <= 4 and _NAME_CELL_RE.match(v)
                            and (v[0] in _names.SINGLE_SURNAMES or v[:2] in _names.COMPOUND_SURNAMES)
                            and not v.endswith(_names.PLACE_SUFFIXES) and v not in _NOT_NAMES
                            and not any(c in _names.NOT_GIVEN_NAME for c in v[1:])):
                        cell_hits.append((ri, ci, cell.index(v), NAME_NEAR_PII, v, None))
        if not cell_hits:
            continue
        cell_hits.sort(key=lambda h: h[:3])
        masks = [v if r is not None else mask_value(k, v) for _ri, _ci, _o, k, v, r in cell_hits]
        if cells_out is not None:
            for (ri, ci, off, k, v, _r), masked in zip(cell_hits, masks, strict=False):
                cells_out.append((c0 + ri, ci, off, len(v), masked, k))
        if report is None:
            continue
        by_cell: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
        for (ri, ci, off, _k, v, _r), masked in zip(cell_hits, masks, strict=False):
            by_cell.setdefault((ri, ci), []).append((off, off + len(v), masked))
        row_ctx: dict[int, str] = {}

        def context(ri: int, row_ctx=row_ctx, chunk=chunk, by_cell=by_cell) -> str:
            c = row_ctx.get(ri)
            if c is None:
                parts = []
                for ci, cell in enumerate(chunk[ri]):
                    hs = by_cell.get((ri, ci))
                    if hs:
                        if len(hs) == 1 and hs[0][0] == 0 and hs[0][1] == len(cell):
                            cell = hs[0][2]
                        else:
                            cell = _masked_window(cell, hs, [h[0] for h in hs], 0, len(cell))
                    cell = cell.strip()
                    if cell:
                        parts.append(cell)
                c = " | ".join(parts)
                if len(c) > 120:
                    c = c[:119] + "…"
                row_ctx[ri] = c
            return c

        cap = ctx.cap
        for (ri, ci, off, k, v, rule), masked in zip(cell_hits, masks, strict=False):
            if len(report.findings) >= cap:
                report.count(k, _severity(k, rule))
                continue
            header = (headers[ci] or None) if ci < ncols and base + c0 + ri > header_abs else None
            loc = Location(source, off, sheet, row_numbers[c0 + ri],
                           _LETTERS[ci] if ci < 256 else _col_letter(ci), header, None, None, table)
            report.add(_finding(k, v, masked, loc, context(ri), rule))


def scan_table_rows(rows, *, source: str = "table", row_numbers=None, where: dict | None = None,
                    sensitive_words=(), ignore=(), public_values=(), wording_rules=(), wording: bool = True,
                    limits: Limits | None = None, return_cells: bool = False):
    """Scan a table given as rows of cell values (first row with two filled cells among the first
    ten = header).  Returns the findings; with ``return_cells=True`` returns ``(findings, cells)``
    where ``cells`` lists ``(row index, column index, offset, length, masked, kind)`` of every
    finding (not capped), for masking."""
    ctx = _Ctx(sensitive_words=sensitive_words, wording_rules=wording_rules,
               public_values=tuple(public_values) + tuple(ignore), limits=limits, wording=wording)
    report = ScanReport()
    cells: list | None = [] if return_cells else None
    keep = [i for i, r in enumerate(rows) if any((c if type(c) is str else cell_to_str(c)).strip() for c in r)]
    kept_rows = [rows[i] for i in keep]
    numbers = [(row_numbers[i] if row_numbers is not None else i + 1) for i in keep]
    with _NoGC():
        _scan_table(kept_rows, source, numbers, where or {}, ctx, report, cells)
    if return_cells:
        return report.findings, [(keep[ri], ci, off, n, masked, k) for ri, ci, off, n, masked, k in cells]
    return report.findings


# ---------------------------------------------------------------- files and the public API

def _scan_segments(segments, source: str, ctx: _Ctx, report: ScanReport) -> int:
    n = 0
    for seg in segments:
        n += 1
        if isinstance(seg, TableSegment):
            _scan_table(seg.rows, source, seg.row_numbers, seg.where, ctx, report,
                        header_state=seg.header_state)
        elif isinstance(seg, TextSegment) and seg.parts:
            _scan_parts(seg.parts, source, ctx, report)
    return n


def scan_segments(segments, source: str, *, sensitive_words=(), ignore=(), public_values=(),
                  wording_rules=(), limits: Limits | None = None) -> list[Finding]:
    ctx = _Ctx(sensitive_words=sensitive_words, wording_rules=wording_rules,
               public_values=tuple(public_values) + tuple(ignore), limits=limits)
    report = ScanReport()
    with _NoGC():
        _scan_segments(segments, source, ctx, report)
    return report.findings


def scan_text(text: str, *, source: str = "body", sensitive_words=(), ignore=(), public_values=(),
              wording_rules=(), wording: bool = True, limits: Limits | None = None) -> list[Finding]:
    """Scan plain text.  ``public_values`` (or the older name ``ignore``): the agency's public
    numbers, addresses and e-mail, never reported.  ``wording=False`` leaves out 错敏词."""
    if not text:
        return []
    ctx = _Ctx(sensitive_words=sensitive_words, wording_rules=wording_rules,
               public_values=tuple(public_values) + tuple(ignore), limits=limits, wording=wording,
               cap=10 ** 9)
    report = ScanReport()
    _scan_parts([(text, {})], source, ctx, report)
    return report.findings


def _problem(kind: str, source: str, message: str, code: str) -> Finding:
    return Finding(kind, message, message, Location(source=source), code)


def _scan_file(name: str, data: bytes, ctx: _Ctx, report: ScanReport) -> None:
    """Extract and scan one attachment into ``report``; a limit or an unreadable file becomes a
    blocking finding (partial findings found before a limit are kept)."""
    sub = ScanReport()
    ctx.guard.file(name)
    segments = 0
    try:
        with _NoGC():
            segments = _scan_segments(iter_segments(name, data, ctx.guard), name, ctx, sub)
        if not segments and name.lower().endswith(".pdf"):
            msg = f"未能从附件“{name}”中提取到文字（可能是扫描件），请人工核查"
            sub.add(_problem(UNREADABLE, name, msg, "no_text"))
    except LimitExceeded as exc:
        sub.add(_problem(INCOMPLETE, name, exc.message, exc.limit), store=True)
    except ExtractionError as exc:
        cause = exc.__cause__
        if isinstance(cause, MemoryError) or "Memory allocation failed" in str(cause or ""):
            sub.add(_problem(INCOMPLETE, name, LimitExceeded("address_space_bytes", name).message,
                             "address_space_bytes"))
        else:
            kind = INCOMPLETE if exc.code == "too_large" else UNREADABLE
            msg = exc.message if kind == UNREADABLE else "无法完成预检：" + exc.message
            sub.add(_problem(kind, name, msg, exc.code), store=True)
    except MemoryError:
        sub.add(_problem(INCOMPLETE, name, LimitExceeded("address_space_bytes", name).message,
                         "address_space_bytes"))
    except RecursionError:
        sub.add(_problem(UNREADABLE, name, f"无法读取附件“{name}”：文件结构嵌套过深，疑似恶意文件", "corrupt"))
    except Exception as exc:  # noqa: BLE001  (a reader bug must not stop the check; the file then blocks)
        sub.add(_problem(UNREADABLE, name, f"无法读取附件“{name}”：文件已损坏或格式异常（{type(exc).__name__}）",
                         "corrupt"))
    report.findings.extend(sub.findings)
    for k, n in sub.counts.items():
        report.counts[k] = report.counts.get(k, 0) + n
    report.blocking_count += sub.blocking_count
    report.truncated = report.truncated or sub.truncated


def scan_attachment(name: str, data: bytes, *, sensitive_words=(), ignore=(), public_values=(),
                    wording_rules=(), limits: Limits | None = None) -> list[Finding]:
    """Extract and scan one attachment.  Raises ExtractionError if it cannot be read (a limit
    raises its subclass ``LimitExceeded``).  A PDF without a text layer (a scan) yields one
    ``unreadable`` finding: it must be checked by eye."""
    ctx = _Ctx(sensitive_words=sensitive_words, wording_rules=wording_rules,
               public_values=tuple(public_values) + tuple(ignore), limits=limits)
    ctx.guard.file(name)
    report = ScanReport()
    with _NoGC():
        n = _scan_segments(iter_segments(name, data, ctx.guard), name, ctx, report)
    if not n and name.lower().endswith(".pdf"):
        msg = f"未能从附件“{name}”中提取到文字（可能是扫描件），请人工核查"
        report.add(_problem(UNREADABLE, name, msg, "no_text"))
    return report.findings


_HTML_HINT_RE = re.compile(r"</?(?:p|div|br|span|table|tr|td|th|h[1-6]|ul|ol|li|strong|b|em|a|font|section)\b[^>]*>",
                           re.IGNORECASE)


def scan(body: str | None, attachments=(), sensitive_words=(), *, title: str | None = None,
         wording_rules=(), public_values=(), limits: Limits | None = None, ignore=(),
         body_is_html: bool | None = None) -> ScanReport:
    """Scan an item's title, body (plain text or HTML; HTML is auto-detected) and attachments (a
    list of ``(name, bytes)``) and return a ``ScanReport``.

    ``sensitive_words``: the agency's words (blocking); ``wording_rules``: the agency's 错敏词 rules
    added to the shipped ones (strings in the rule-file format, dicts or ``WordingRule``);
    ``public_values``: the agency's public phones, addresses and e-mail, never reported;
    ``limits``: a ``Limits`` (time, size, counts; findings stored per file).  Never raises for a
    bad or hostile attachment: it becomes an ``unreadable`` or ``incomplete`` finding."""
    limits = limits or DEFAULT_LIMITS
    ctx = _Ctx(sensitive_words=sensitive_words, wording_rules=wording_rules,
               public_values=tuple(public_values) + tuple(ignore), limits=limits)
    report = ScanReport()
    for source, text in (("title", title), ("body", body)):
        if not text:
            continue
        if source == "body" and (body_is_html or (body_is_html is None and _HTML_HINT_RE.search(text))):
            text = html_to_text(text)
        sub = ScanReport()
        ctx.guard.file(source)
        try:
            with _NoGC():
                _scan_parts([(text, {})], source, ctx, sub)
        except LimitExceeded as exc:
            sub.add(_problem(INCOMPLETE, source, exc.message, exc.limit))
        report.findings.extend(sub.findings)
        for k, n in sub.counts.items():
            report.counts[k] = report.counts.get(k, 0) + n
        report.blocking_count += sub.blocking_count
        report.truncated = report.truncated or sub.truncated
    for name, data in attachments:
        _scan_file(name, data, ctx, report)
    return report
