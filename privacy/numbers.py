"""Digit-based detectors: ID numbers, phones and bank cards, written plain or grouped.

The text is already normalised (full-width folded, dashes and odd spaces folded, see
``scanner.normalize``).  A *chain* is a run of digit groups joined by one separator each (a dash
with optional spaces around it, one or two spaces, or the ``)`` closing an area code).  Each chain
is read from the left: at each group the longest run of groups that forms a valid number wins, so
``310115 19850702 8467`` is one ID number while ``13812345678 13912345678`` are two phones.
A number in several groups has groups of at most 8 digits, so two long numbers side by side
are never glued together.

What a digit string is (all lengths exact):

* 18 characters with a real region prefix and birth date: an ID number when the check digit holds,
  else ``id_number_suspect``; unless it is a valid 统一社会信用代码 (GB 32100) and the ID check fails
  or an organisation-code label/header stands before it: then it is an organisation, not a person.
* 15 digits with region and a real date: a legacy ID number.
* 11 digits ``1[3-9]…`` (optionally after 86 / 0086 / +86): a mobile.
* a valid area code (``010``, ``02x``, the assigned ``0xxx``) + 7-8 digits: a landline.  Written
  without a separator the local number must start with 2-9; after a separator any digit.
* 16-19 digits with a card prefix and a good Luhn digit: a bank card; a known issuer prefix with a
  bad Luhn digit: ``bank_card_suspect``.

Context that turns a number-shaped string into something else (general rules, not a list of
documents): a decimal point or a unit after it (元, 万元, 亿, 吨, %, …), an amount label before it
(金额, 总投资, 资金, 预算, ￥ …), a label of a non-personal identifier before it (发票代码/号码,
合同/项目/采购编号, 订单号, 运单号, 流水号, 索引号, 文号, ISBN, 邮编, 统一社会信用代码, …),
letters glued to it (part of a code), and in tables the same words in the column header.
A valid ID number (check digit holds) is only ever overruled by the organisation-code rule.
"""
from __future__ import annotations

import re

from .kinds import BANK_CARD, BANK_CARD_SUSPECT, ID_NUMBER, ID_NUMBER_SUSPECT, LANDLINE, MOBILE
from .validators import (
    area_code_len,
    id_shape,
    is_valid_id15,
    is_valid_id18,
    known_card_issuer,
    luhn_ok,
    mobile_ok,
    plausible_card_prefix,
    uscc_ok,
)

__all__ = ["detect_numbers", "ORG_CODE", "amount_header", "identifier_header", "org_header", "WEAK_KINDS"]

ORG_CODE = "org_code"  # internal: a span recognised as an organisation's code (never reported)

# kinds whose shape alone is weak evidence: context may overrule them
WEAK_KINDS = frozenset({MOBILE, LANDLINE, BANK_CARD, BANK_CARD_SUSPECT, ID_NUMBER_SUSPECT})

_CHAIN_RE = re.compile(r"[(+]{0,2}\d+(?:(?: ?[-)] ?| {1,2})\d+)*[Xx]?")
_GROUP_RE = re.compile(r"\d+[Xx]?")

_UNIT_AFTER_RE = re.compile(
    r" ?(?:元|万|亿|千元|百元|百万|千万|美元|欧元|港元|港币|日元|英镑|圆|块钱|角|亩|公顷|吨|千克|公斤|克|平方|立方|"
    r"公里|千米|千瓦|兆瓦|瓦|伏|度电|人次|次|件|册|页|字节|倍|股|%|‰|㎡|m2|m²|km|kg|kW|KW|kwh|kWh|MB|GB|KB)")
_AMOUNT_LABEL_RE = re.compile(
    r"(?:金额|总额|总价|价款|投资|资金|预算|造价|报价|中标价|成交价|合同价|标价|限价|收入|产值|利润|税额|余额|"
    r"费用|经费|工资|奖金|补助|补贴|拨付|营收|估值|市值|注册资本|人民币|¥|￥|\$|RMB|CNY)"
    r"(?:[(][^)\n]{0,4}[)])?[ :为约达是共计合总:]{0,4}\Z")
_IDENT_LABELS = (
    "发票代码", "发票号码", "发票号", "票据号", "票据代码", "合同编号", "合同号", "订单号", "订单编号", "运单号",
    "快递单号", "物流单号", "邮件号", "单号", "流水号", "交易号", "交易单号", "凭证号", "业务编号", "参考号",
    "批次号", "批号", "文号", "索引号", "登记号", "登记编号", "许可证号", "许可证编号", "证书编号", "证书号",
    "注册号", "备案号", "项目编号", "项目代码", "采购编号", "采购项目编号", "招标编号", "标段编号", "包号",
    "统一社会信用代码", "社会信用代码", "信用代码", "组织机构代码", "机构代码", "纳税人识别号", "识别号", "税号",
    "ISBN", "ISSN", "书号", "邮编", "邮政编码", "条形码", "条码", "商品编码", "产品编号", "型号", "专利号",
    "案号", "档案号", "车架号", "发动机号", "设备编号", "资产编号", "工单号", "受理号", "办件号", "查询号",
    "验证码", "编码", "序列号", "编号", "准考证号", "考生号", "考号", "学号", "工号", "职工编号", "会员号",
    "客户号", "户号",
)
_IDENT_LABEL_RE = re.compile("(?:" + "|".join(sorted(map(re.escape, _IDENT_LABELS), key=len, reverse=True))
                             + r")[ :#.№为是（()）]{0,4}\Z")
_ORG_LABEL_RE = re.compile(r"(?:信用代码|机构代码|纳税人识别号|识别号|税号|注册号|USCC)[ :：为是]{0,4}\Z")
# personal labels that keep a number personal even after a generic word like 编号 ("证件编号")
_PERSONAL_LABEL_RE = re.compile(r"(?:证件|身份|公民|手机|电话|联系|卡号|账号|帐号|账户|帐户|存折)[^\n]{0,6}\Z")

_AMOUNT_HEADER_WORDS = ("金额", "投资", "资金", "元）", "元)", "（元", "(元", "万元", "价", "费", "款", "额", "工资",
                        "收入", "补助", "补贴", "预算", "合计", "小计", "数量", "面积", "产值", "资本", "利润",
                        "税", "奖励", "标准")
_ID_HEADER_WORDS = ("号", "码", "电话", "手机", "证", "卡", "账", "帐", "联系", "户")
_IDENT_HEADER_WORDS = ("发票", "合同", "订单", "运单", "快递", "流水", "凭证", "索引", "文号", "信用代码",
                       "机构代码", "识别号", "税号", "项目编号", "项目代码", "采购编号", "招标编号", "标段",
                       "ISBN", "邮编", "邮政编码", "条码", "商品编码", "产品编号", "型号", "专利", "案号",
                       "档案号", "车架号", "发动机号", "设备编号", "资产编号", "批号", "批次", "登记号",
                       "许可证", "证书编号", "备案号", "注册号", "工单", "受理号", "办件号")
_PERSONAL_HEADER_WORDS = ("身份", "证件", "电话", "手机", "联系", "卡号", "账号", "帐号", "账户", "帐户", "存折",
                          "公民")


def amount_header(header: str) -> bool:
    """A column header of money or quantities (总投资（元）, 补助金额, 面积), not of identifiers."""
    return bool(header) and any(w in header for w in _AMOUNT_HEADER_WORDS) and \
        not any(w in header for w in _ID_HEADER_WORDS)


def identifier_header(header: str) -> bool:
    """A column header of non-personal identifiers (发票号码, 合同编号, 统一社会信用代码 …)."""
    return bool(header) and any(w in header for w in _IDENT_HEADER_WORDS) and \
        not any(w in header for w in _PERSONAL_HEADER_WORDS)


def org_header(header: str) -> bool:
    return bool(header) and ("信用代码" in header or "机构代码" in header or "识别号" in header
                             or "税号" in header)


def _before(nt: str, s: int, width: int = 16) -> str:
    lo = max(0, s - width)
    nl = nt.rfind("\n", lo, s)
    return nt[(nl + 1 if nl >= 0 else lo):s]


def _is_decimal_or_code(nt: str, s: int, e: int, n: int, kind: str) -> bool:
    """Glued to a decimal point, another number or letters: part of something else."""
    if s > 0:
        p = nt[s - 1]
        if p == "." and s > 1 and nt[s - 2].isdigit():
            return True
        if p.isascii() and p.isalpha() and kind != ID_NUMBER and kind != MOBILE:
            return True
        if p in "/_@" and kind in WEAK_KINDS and kind != MOBILE:
            return True
    if e < n:
        q = nt[e]
        if q == "." and e + 1 < n and nt[e + 1].isdigit():
            return True
        if q.isascii() and q.isalpha() and kind != ID_NUMBER:
            return True
        if q in "/_@" and kind in WEAK_KINDS and kind != MOBILE:
            return True
    return False


def _classify(d: str, grouped: bool, first_len: int, paren_area: bool):
    """Kind of a digit string (``d`` may end in X).  ``first_len``: digits in the first group."""
    n = len(d)
    if n == 18:
        if is_valid_id18(d):
            return ID_NUMBER
        if id_shape(d):  # a mistyped ID is likelier than an 18-digit card with a birth date inside
            return ID_NUMBER_SUSPECT
        if d.isdigit() and plausible_card_prefix(d) and luhn_ok(d):
            return BANK_CARD
        if d.isdigit() and known_card_issuer(d):
            return BANK_CARD_SUSPECT
        return None
    if not d.isdigit():
        return None
    if n == 15:
        if is_valid_id15(d):
            return ID_NUMBER
        if d.startswith("0086") and mobile_ok(d[4:]):
            return MOBILE
        return None
    if n == 11:
        if mobile_ok(d):
            return MOBILE
    elif n == 13 and d.startswith("86") and mobile_ok(d[2:]):
        return MOBILE
    if 10 <= n <= 12 and d[0] == "0":
        a = area_code_len(d)
        if a and 7 <= n - a <= 8:
            if grouped:
                if first_len == a or paren_area:
                    return LANDLINE
            elif d[a] in "23456789":
                return LANDLINE
    if 16 <= n <= 19:
        if plausible_card_prefix(d) and luhn_ok(d):
            return BANK_CARD
        if known_card_issuer(d):
            return BANK_CARD_SUSPECT
    return None


def _org_span(nt: str, s: int, d: str) -> bool:
    """An 18-character string that is an organisation's 统一社会信用代码 rather than a person's ID."""
    if len(d) != 18 or not uscc_ok(d):
        return False
    if not is_valid_id18(d):
        return True
    return bool(_ORG_LABEL_RE.search(_before(nt, s)))


def _ext_end(nt: str, e: int, n: int) -> int:
    """End of a landline's extension (-801, 转801, 分机801) if one follows."""
    m = re.match(r"(?:-|转|分机| ?ext\.? ?)(\d{1,6})(?!\d)", nt[e:e + 12])
    return e + m.end() if m else e


_URL_RE = re.compile(r"(?:https?://|www\.)[\x21-\x7e]+", re.IGNORECASE)


def detect_numbers(nt: str, add) -> None:
    """Call ``add(start, end, kind)`` for every number in the normalised text ``nt``.  Numbers
    inside a web address (page ids, query strings) are not read."""
    n = len(nt)
    urls = [m.span() for m in _URL_RE.finditer(nt)] if ("http" in nt or "www." in nt or "HTTP" in nt) else None
    if urls:
        inner = add

        def add(s, e, k):
            if not any(a <= s < b for a, b in urls):
                inner(s, e, k)
    for m in _CHAIN_RE.finditer(nt):
        text = m.group()
        base = m.start()
        if text.isdigit() or (text[:-1].isdigit() and text[-1] in "Xx"):
            d = text.upper()
            kind = _classify(d, False, len(d), False)
            if kind is None:
                # an X that is not an ID's check character: read the digits alone
                if not text.isdigit():
                    d = d[:-1]
                    kind = _classify(d, False, len(d), False)
                    if kind is None:
                        continue
                    _emit(nt, base, base + len(d), kind, d, n, add)
                continue
            _emit(nt, base, base + len(text), kind, d, n, add)
            continue
        groups = [(g.start() + base, g.end() + base, g.group().upper()) for g in _GROUP_RE.finditer(text)]
        lead = text[:groups[0][0] - base]
        consumed: set[int] = set()
        i = 0
        ng = len(groups)
        while i < ng:
            best = None
            digits = ""
            for j in range(i, ng):
                g = groups[j][2]
                if j > i and (len(g) > 8 or len(groups[j - 1][2]) > 8) and \
                        not (j == i + 1 and groups[i][2] in ("86", "0086")):
                    break
                if "X" in g and j < ng - 1:
                    break
                digits += g
                if len(digits) > 19:
                    break
                if j > i and not _uniform(nt, groups, i, j, digits):
                    continue
                paren = i == 0 and "(" in lead and nt[groups[i][1]:groups[i][1] + 1] == ")"
                kind = _classify(digits, j > i, len(groups[i][2]), paren)
                if kind is not None:
                    best = (j, kind, digits)
            if best is None:
                i += 1
                continue
            j, kind, digits = best
            s, e = groups[i][0], groups[j][1]
            if i > 0 and kind in WEAK_KINDS and i - 1 not in consumed and "-" in nt[groups[i - 1][1]:s]:
                i = j + 1  # the tail of a dashed code (NGZC-2024-13812345678), not a number of its own
                continue
            consumed.update(range(i, j + 1))
            if i == 0 and lead:
                if "+" in lead and kind == MOBILE:
                    s = base + lead.index("+")
                if "(" in lead and kind == LANDLINE and nt[groups[0][1]:groups[0][1] + 1] == ")":
                    s = base + lead.index("(")
            _emit(nt, s, e, kind, digits, n, add)
            i = j + 1


def _uniform(nt, groups, i, j, digits) -> bool:
    """Separators of groups i..j: IDs and cards use one separator throughout; a phone may have a
    different one after its area code or its 86 prefix."""
    seps = [nt[groups[k][1]:groups[k + 1][0]].strip() or " " for k in range(i, j)]
    if len(set(seps)) == 1:
        return True
    rest = set(seps[1:])
    return len(rest) == 1 and len(digits) <= 15


def _alone_on_line(nt: str, s: int, e: int) -> bool:
    le = nt.find("\n", e)
    return not nt[e:(le if le >= 0 else len(nt))].strip()


def _emit(nt: str, s: int, e: int, kind: str, digits: str, n: int, add) -> None:
    if _is_decimal_or_code(nt, s, e, n, kind):
        return
    if len(digits) == 18 and _org_span(nt, s, digits):
        add(s, e, ORG_CODE)
        return
    # a legacy 15-digit ID has no check digit: as weak as a phone against context
    weak = kind in WEAK_KINDS or (kind == ID_NUMBER and len(digits) == 15)
    if kind != ID_NUMBER or weak:
        tail = nt[e:e + 6]
        if tail and _UNIT_AFTER_RE.match(tail):
            return
        before = _before(nt, s)
        if not before.strip() and _alone_on_line(nt, s, e):
            # a table cell extracted as its own line (PDF text layer): the header may be the line above
            ls = nt.rfind("\n", 0, s)
            before = _before(nt, ls, 24).rstrip() if ls > 0 else ""
        if before:
            if _AMOUNT_LABEL_RE.search(before):
                return
            if weak and _IDENT_LABEL_RE.search(before) and not _PERSONAL_LABEL_RE.search(before):
                return
    if kind == LANDLINE:
        e = _ext_end(nt, e, n)
    add(s, e, kind)
