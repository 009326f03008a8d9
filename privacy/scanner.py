"""Privacy / secrecy pre-check scanner (pure Python, no database).

Detection is done on a *normalised* copy of the text in which full-width ASCII (０-９, Ｘ, －, ＋,
（ ）, ：, ，…) is folded to half-width with a 1:1 character mapping, so offsets in the normalised
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
from functools import lru_cache
from itertools import accumulate

from . import names as _names
from .extract import ExtractionError, TableSegment, TextSegment, extract, html_to_text
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
from .mask import mask_value
from .validators import is_valid_id15, is_valid_id18, luhn_ok, plausible_card_prefix

__all__ = ["Finding", "Location", "ScanReport", "scan", "scan_text", "scan_attachment",
           "scan_segments", "scan_table_rows", "normalize"]

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
        bits = ["正文" if self.source == "body" else f"附件“{self.source}”"]
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
    masked: str         # masked preview (see mask.py)
    location: Location
    context: str = ""   # nearby text with every finding in it masked

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    def to_dict(self, include_value: bool = False) -> dict:
        d = {"kind": self.kind, "label": self.label, "masked": self.masked,
             "location": self.location.to_dict(), "where": self.location.describe(),
             "context": self.context}
        if include_value:
            d["value"] = self.value
        return d


@dataclass
class ScanReport:
    findings: list[Finding] = field(default_factory=list)

    @property
    def blocking(self) -> bool:
        return bool(self.findings)

    @property
    def counts_by_kind(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for f in self.findings:
            counts[f.kind] = counts.get(f.kind, 0) + 1
        return {k: counts[k] for k in ALL_KINDS if k in counts}

    def summary(self) -> str:
        if not self.findings:
            return "未发现个人信息或密级标志"
        return "发现" + "、".join(f"{KIND_LABELS[k]} {n} 处" for k, n in self.counts_by_kind.items())

    def to_json(self, include_values: bool = False) -> list[dict]:
        """JSON-serialisable list of findings for a JSONField.  Raw values are left out by
        default, so storing the report does not copy the personal data it found."""
        return [f.to_dict(include_values) for f in self.findings]

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False)


# ---------------------------------------------------------------- normalisation

_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # full-width ASCII -> ASCII, 1:1


_FULLWIDTH_RUN = re.compile("[\uff01-\uff5e]+")


def _fold(m: re.Match) -> str:
    return m.group().translate(_FOLD)


def normalize(text: str) -> str:
    """Fold full-width ASCII to half-width (same length, so offsets are kept)."""
    return _FULLWIDTH_RUN.sub(_fold, text)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


# ---------------------------------------------------------------- patterns (precompiled)

_ID_RE = re.compile(r"(?<![0-9])[1-8]\d{14}(?:\d{2}[\dXx])?(?![0-9])")
_MOBILE_RE = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)")
_LANDLINE_RE = re.compile(
    r"(?<![0-9A-Za-z-])(?:\(0\d{2,3}\)[ -]?|0\d{2,3}[ -]?)[2-9]\d{6,7}"
    r"(?:(?:-|转|分机|ext\.?)\d{1,6})?(?!\d)")
_BANK_RE = re.compile(
    r"(?<!\d)(?:\d{16,19}(?!\d)|(?<!\d[ -])\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?(?![ -]?\d))")
# an account number right after a bank-account label is flagged even without a valid Luhn digit
# (rural credit co-operative "一折通" passbooks often have none)
_ACCOUNT_RE = re.compile(
    r"(?:银行卡号|银行账号|银行帐号|卡号|账号|帐号|账户|帐户|存折号|折号)[^\d\n]{0,8}?"
    r"(\d{12,25}|\d{4}(?:[ -]\d{3,4}){2,5})(?![\d])")
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
    rf"|(?:村|(?<![一二三四五六七八九十百零〇两\d]){_CNNUM}(?:组|队|社|村民小组))"
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

_DIGIT_PRIORITY = {ID_NUMBER: 0, BANK_CARD: 1, EMAIL: 2, MOBILE: 3, LANDLINE: 4, ADDRESS: 5}
_TEXT_NAME_ANCHORS = frozenset({ID_NUMBER, MOBILE, LANDLINE, BANK_CARD})
_TABLE_NAME_ANCHORS = frozenset({ID_NUMBER, MOBILE, LANDLINE, BANK_CARD, EMAIL, ADDRESS})

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


@lru_cache(maxsize=64)
def _sensitive_re(words: tuple[str, ...]):
    words = tuple(sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True))
    if not words:
        return None
    return re.compile("|".join(re.escape(normalize(w)) for w in words), re.IGNORECASE)


def _ignore_key(value: str) -> str:
    digits = "".join(c for c in value if c.isdigit())
    return digits[-11:] if len(digits) >= 7 else normalize(value).strip().lower()


def _ignore_set(ignore) -> frozenset:
    return frozenset(_ignore_key(v) for v in ignore if v)


# ---------------------------------------------------------------- detection core

def _detect_pii(nt: str) -> list[tuple[int, int, str]]:
    """Digit-based kinds, e-mail and address, overlaps resolved.  Returns sorted (start, end, kind)."""
    cands: list[tuple[int, int, int, str]] = []  # (start, priority, end, kind)
    add = cands.append
    if any(c in nt for c in "0123456789"):
        id_starts = set()
        for m in _ID_RE.finditer(nt):
            v = m.group()
            if (is_valid_id18(v) if len(v) == 18 else is_valid_id15(v)):
                add((m.start(), 0, m.end(), ID_NUMBER))
                id_starts.add(m.start())
        for m in _BANK_RE.finditer(nt):
            s = m.start()
            if s in id_starts:
                continue
            d = m.group()
            if not d.isdigit():
                d = d.replace(" ", "").replace("-", "")
            if plausible_card_prefix(d) and luhn_ok(d):
                add((s, 1, m.end(), BANK_CARD))
        if "号" in nt or "账" in nt or "帐" in nt:
            for m in _ACCOUNT_RE.finditer(nt):
                add((m.start(1), 1, m.end(1), BANK_CARD))
        for m in _MOBILE_RE.finditer(nt):
            add((m.start(), 3, m.end(), MOBILE))
        for m in _LANDLINE_RE.finditer(nt):
            add((m.start(), 4, m.end(), LANDLINE))
        if "号" in nt or "室" in nt:
            for m in _ADDRESS_CORE_RE.finditer(nt):
                s = _address_start(nt, m.start())
                add((s, 5, m.end(), ADDRESS))
    if "@" in nt:
        for m in _EMAIL_RE.finditer(nt):
            add((m.start(), 2, m.end(), EMAIL))
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
    return [(s, e, k) for s, e, k, _ in kept]


def _address_start(nt: str, core_start: int) -> int:
    """Extend an address core backwards over the Han run before it (place names), then drop
    lead-in words ("家住", "地址：") and anything before a province name."""
    i = _HAN_RUN_END.search(nt, max(0, core_start - _ADDRESS_PREFIX_MAX), core_start).start()
    prefix = nt[i:core_start]
    if prefix:
        last = None
        for last in _LEADIN_RE.finditer(prefix):
            pass
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


def _name_prefix_ok(nt: str, i: int) -> bool:
    if i == 0 or not _is_han(nt[i - 1]):
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
            if not all(_is_han(c) and c not in bad for c in given):
                continue
            if nt[i:end] in _NOT_NAMES or nt[i:i + 2] in _NOT_NAMES:
                continue
            if _name_suffix_ok(nt, end, s):
                return i, end
    return None


def _detect_all(nt: str, srx, *, text_names: bool) -> list[tuple[int, int, str]]:
    hits = _detect_pii(nt)
    if text_names and hits:
        seen = set()
        names = []
        for s, _e, k in hits:
            if k in _TEXT_NAME_ANCHORS:
                span = _name_before(nt, s)
                if span and span not in seen:
                    seen.add(span)
                    names.append((span[0], span[1], NAME_NEAR_PII))
        hits.extend(names)
    hits.extend(_detect_marks(nt))
    hits.extend(_detect_sensitive(nt, srx))
    hits.sort()
    return hits


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


# ---------------------------------------------------------------- text segments

_CONTEXT = 15


def _scan_parts(parts: list[tuple[str, dict]], source: str, srx, ignore: frozenset) -> list[Finding]:
    texts = [t for t, _ in parts]
    joined = "\n".join(texts) if len(texts) > 1 else texts[0]
    nt = normalize(joined)
    hits = _detect_all(nt, srx, text_names=True)
    if ignore:
        hits = [h for h in hits if _ignore_key(joined[h[0]:h[1]]) not in ignore]
    if not hits:
        return []
    starts = list(accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
    spans = [(s, e, mask_value(k, joined[s:e])) for s, e, k in hits]
    span_starts = [h[0] for h in hits]
    out = []
    for (s, e, k), (_, _, masked) in zip(hits, spans):
        pi = bisect_right(starts, s) - 1
        ps = starts[pi]
        pe = ps + len(texts[pi])
        loc = Location(source=source, offset=s - ps, **parts[pi][1])
        ctx = _masked_window(joined, spans, span_starts, max(ps, s - _CONTEXT), min(pe, e + _CONTEXT))
        out.append(Finding(k, joined[s:e], masked, loc, ctx))
    return out


# ---------------------------------------------------------------- table segments

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


def scan_table_rows(rows, *, source: str = "table", row_numbers=None, where: dict | None = None,
                    sensitive_words=(), ignore=(), return_cells: bool = False, _srx=None,
                    _ignore: frozenset | None = None):
    """Scan a table given as rows of cell values (first non-empty row = header).

    Returns a list of findings; with ``return_cells=True`` returns ``(findings, cells)`` where
    ``cells`` maps ``id(finding)`` to the ``(row index, column index)`` in ``rows``.
    """
    from .extract import cell_to_str

    where = where or {}
    srx = _srx if _srx is not None else _sensitive_re(tuple(sensitive_words))
    ign = _ignore if _ignore is not None else _ignore_set(ignore)
    srows = [[c if type(c) is str else cell_to_str(c) for c in r] for r in rows]
    keep = [i for i, r in enumerate(srows) if any(c.strip() for c in r)]
    cells_map: dict[int, tuple[int, int]] = {}
    if not keep:
        return ([], cells_map) if return_cells else []
    if len(keep) != len(srows):
        orig_index = keep
        srows = [srows[i] for i in keep]
    else:
        orig_index = None
    if row_numbers is None:
        row_numbers = [i + 1 for i in (orig_index or range(len(srows)))]
    elif orig_index is not None:
        row_numbers = [row_numbers[i] for i in orig_index]

    hi = _pick_header(srows)
    headers = [h.strip() for h in srows[hi]]
    flat = [c for r in srows for c in r]
    joined = "\n".join(flat)
    nt = normalize(joined)
    hits = _detect_all(nt, srx, text_names=False)
    if ign:
        hits = [h for h in hits if _ignore_key(joined[h[0]:h[1]]) not in ign]
    cell_starts = list(accumulate((len(c) + 1 for c in flat[:-1]), initial=0))
    flat_ri = [ri for ri, r in enumerate(srows) for _ in r]
    flat_ci = [ci for r in srows for ci in range(len(r))]

    # map hits to cells: (ri, ci, local start, kind, value)
    cell_hits: list[tuple[int, int, int, str, str]] = []
    anchor_rows: set[int] = set()
    pii_cells: set[tuple[int, int]] = set()
    for s, e, k in hits:
        fi = bisect_right(cell_starts, s) - 1
        ri = flat_ri[fi]
        ci = flat_ci[fi]
        off = s - cell_starts[fi]
        cell_hits.append((ri, ci, off, k, joined[s:e]))
        if k in _TABLE_NAME_ANCHORS and ri > hi:
            anchor_rows.add(ri)
            pii_cells.add((ri, ci))

    # names
    if anchor_rows:
        name_cols = [ci for ci, h in enumerate(headers) if h and _names.is_name_header(h)]
        for ri in sorted(anchor_rows):
            row = srows[ri]
            if name_cols:
                for ci in name_cols:
                    if ci >= len(row) or not row[ci].strip():
                        continue
                    cell = row[ci]
                    pos = 0
                    for piece in _SPLIT_NAMES_RE.split(cell):
                        idx = cell.find(piece, pos) if piece else -1
                        if piece and _NAME_CELL_RE.match(piece):
                            cell_hits.append((ri, ci, idx, NAME_NEAR_PII, piece))
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
                        cell_hits.append((ri, ci, cell.index(v), NAME_NEAR_PII, v))

    cell_hits.sort()
    masks = [mask_value(k, v) for _ri, _ci, _off, k, v in cell_hits]
    # per-row masked context: the row's non-empty cells, findings masked, joined by " | "
    by_cell: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
    for (ri, ci, off, _k, v), masked in zip(cell_hits, masks):
        by_cell.setdefault((ri, ci), []).append((off, off + len(v), masked))
    row_ctx: dict[int, str] = {}

    def context(ri: int) -> str:
        c = row_ctx.get(ri)
        if c is None:
            parts = []
            for ci, cell in enumerate(srows[ri]):
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

    sheet = where.get("sheet")
    table = where.get("table")
    ncols = len(headers)
    out = []
    for (ri, ci, off, k, v), masked in zip(cell_hits, masks):
        header = (headers[ci] or None) if ri > hi and ci < ncols else None
        loc = Location(source, off, sheet, row_numbers[ri], _LETTERS[ci] if ci < 256 else _col_letter(ci),
                       header, None, None, table)
        f = Finding(k, v, masked, loc, context(ri))
        out.append(f)
        if return_cells:
            cells_map[id(f)] = ((orig_index[ri] if orig_index else ri), ci)
    return (out, cells_map) if return_cells else out


# ---------------------------------------------------------------- public API

def scan_segments(segments, source: str, *, sensitive_words=(), ignore=()) -> list[Finding]:
    srx = _sensitive_re(tuple(sensitive_words))
    ign = _ignore_set(ignore)
    out: list[Finding] = []
    with _NoGC():
        _scan_segments_into(out, segments, source, srx, ign)
    return out


def _scan_segments_into(out, segments, source, srx, ign) -> None:
    for seg in segments:
        if isinstance(seg, TableSegment):
            out.extend(scan_table_rows(seg.rows, source=source, row_numbers=seg.row_numbers,
                                       where=seg.where, _srx=srx, _ignore=ign))
        elif isinstance(seg, TextSegment) and seg.parts:
            out.extend(_scan_parts(seg.parts, source, srx, ign))


def scan_text(text: str, *, source: str = "body", sensitive_words=(), ignore=()) -> list[Finding]:
    """Scan plain text.  ``ignore``: values never reported (e.g. the agency's public phone number)."""
    if not text:
        return []
    return _scan_parts([(text, {})], source, _sensitive_re(tuple(sensitive_words)), _ignore_set(ignore))


def scan_attachment(name: str, data: bytes, *, sensitive_words=(), ignore=()) -> list[Finding]:
    """Extract and scan one attachment.  Raises ExtractionError if it cannot be read.  A PDF
    without a text layer (a scan) yields one ``unreadable`` finding: it must be checked by eye."""
    with _NoGC():
        segments = extract(name, data)
        findings = scan_segments(segments, name, sensitive_words=sensitive_words, ignore=ignore)
    if not segments and name.lower().endswith(".pdf"):
        msg = f"未能从附件“{name}”中提取到文字（可能是扫描件），请人工核查"
        findings.append(Finding(UNREADABLE, msg, msg, Location(source=name), ""))
    return findings


_HTML_HINT_RE = re.compile(r"</?(?:p|div|br|span|table|tr|td|th|h[1-6]|ul|ol|li|strong|b|em|a|font|section)\b[^>]*>",
                           re.IGNORECASE)


def scan(body: str | None, attachments=(), sensitive_words=(), *, ignore=(),
         body_is_html: bool | None = None) -> ScanReport:
    """Scan an item's body (plain text or HTML; HTML is auto-detected) and its attachments
    (a list of ``(name, bytes)``).  An unreadable attachment becomes an ``unreadable`` finding
    carrying the ExtractionError message, so the report still blocks publication."""
    report = ScanReport()
    if body:
        if body_is_html or (body_is_html is None and _HTML_HINT_RE.search(body)):
            body = html_to_text(body)
        report.findings.extend(scan_text(body, source="body", sensitive_words=sensitive_words,
                                         ignore=ignore))
    for name, data in attachments:
        try:
            report.findings.extend(scan_attachment(name, data, sensitive_words=sensitive_words,
                                                   ignore=ignore))
        except ExtractionError as exc:
            report.findings.append(Finding(UNREADABLE, exc.message, exc.message,
                                           Location(source=name), exc.code))
    return report
