"""错敏词 and 严重表述错误: shipped rule data plus the agency's own rules, matched with one
Aho-Corasick automaton (pyahocorasick) over the normalised text.

A rule is ``pattern, category, suggestion, allow``; ``allow`` lists correct forms that contain the
pattern (``农业部门`` for the outdated ``农业部``); a match inside one of them is not reported.
Further general guards (no per-document tuning):

* a pattern that starts or ends with a Latin letter or digit matches only as a whole token, so
  ``XX`` does not fire inside ``XXL``, ``BOXX`` or the model number ``XX200``; runs of the same
  placeholder character (``XXX``, ``××××``) are one finding;
* a placeholder right after a surname (``张某某``, ``王XX``) is an anonymised name, not a placeholder;
* an outdated institution name after ``原`` / ``前`` (``原国家卫生和计划生育委员会``) is history, not an error;
* a spam phrase within 20 characters of 打击/查处/警惕/诈骗/举报 … is a warning about spam, not spam.

Categories, their Chinese names and severities are in ``CATEGORIES``; see privacy/README.md.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from .kinds import BLOCK, WARN
from .names import COMPOUND_SURNAMES, SINGLE_SURNAMES

__all__ = ["WordingRule", "CATEGORIES", "load_rules", "parse_rules", "WordingMatcher", "matcher_for",
           "RULES_PATH"]

RULES_PATH = os.path.join(os.path.dirname(__file__), "data", "wording_rules.tsv")

# category -> (Chinese name, severity)
CATEGORIES = {
    "leader": ("国家领导人姓名职务错误", BLOCK),
    "country": ("国家和地区名称表述错误", BLOCK),
    "institution": ("党和国家机构名称错误", BLOCK),
    "expression": ("规范表述错误", BLOCK),
    "spam_gambling": ("涉赌信息", BLOCK),
    "spam_porn": ("涉黄信息", BLOCK),
    "spam_fraud": ("涉诈信息", BLOCK),
    "outdated": ("机构改革后已更名或撤并的机构名称", WARN),
    "placeholder": ("模板占位符未替换", WARN),
    "agency": ("本单位错敏词", BLOCK),
    "agency_warn": ("本单位错敏词（提示）", WARN),
}

_ANTI_SPAM = ("打击", "严打", "查处", "取缔", "整治", "治理", "警惕", "谨防", "防范", "提防", "诈骗", "举报",
              "严禁", "禁止", "非法", "违法", "犯罪", "切勿", "不要", "揭秘", "骗局", "套路", "专项行动", "涉赌",
              "涉黄", "涉诈", "反诈", "赌博")
_SPAM_WINDOW = 20
# surnames that are also function words: "于XX月" is not an anonymised name
_FUNCTION_CHARS = frozenset("于和与及或为对从向把被将这那在是的了至由以等按自经第年月日号")


@dataclass(frozen=True)
class WordingRule:
    pattern: str
    category: str
    suggestion: str = ""
    allow: tuple[str, ...] = ()

    @property
    def severity(self) -> str:
        return CATEGORIES.get(self.category, ("", BLOCK))[1]

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, (self.category, BLOCK))[0]


def parse_rules(lines, *, default_category: str = "agency", source: str = "") -> list[WordingRule]:
    """Rules from TSV lines ``pattern<TAB>category<TAB>suggestion<TAB>allow1|allow2<TAB>note``.
    Blank lines and lines starting with ``#`` are skipped; a line holding only a pattern (the way
    agencies keep their word lists) gets ``default_category``.  An unknown category raises
    ValueError naming the line."""
    rules = []
    for no, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        f = line.split("\t")
        pattern = f[0].strip()
        if not pattern:
            continue
        category = (f[1].strip() if len(f) > 1 else "") or default_category
        if category not in CATEGORIES:
            raise ValueError(f"{source or '规则'}第{no}行：未知类别“{category}”")
        suggestion = f[2].strip() if len(f) > 2 else ""
        allow = tuple(a.strip() for a in f[3].split("|") if a.strip()) if len(f) > 3 else ()
        rules.append(WordingRule(pattern, category, suggestion, allow))
    return rules


@lru_cache(maxsize=1)
def load_rules() -> tuple[WordingRule, ...]:
    """The shipped rules (privacy/data/wording_rules.tsv)."""
    with open(RULES_PATH, encoding="utf-8") as fh:
        return tuple(parse_rules(fh, default_category="", source="wording_rules.tsv"))


def _coerce(extra) -> list[WordingRule]:
    out = []
    for r in extra or ():
        if isinstance(r, WordingRule):
            out.append(r)
        elif isinstance(r, str):
            out.extend(parse_rules([r]))
        elif isinstance(r, dict):
            out.append(WordingRule(r["pattern"], r.get("category") or "agency", r.get("suggestion") or "",
                                   tuple(r.get("allow") or ())))
        else:  # (pattern, category, suggestion)
            t = tuple(r) + ("", "", ())
            out.append(WordingRule(t[0], t[1] or "agency", t[2] or "", tuple(t[3] or ())))
    return [r for r in out if r.pattern.strip()]


_LOWER = {c: c + 32 for c in range(65, 91)}  # ASCII only: keeps offsets


def _key(text: str) -> str:
    from .scanner import normalize  # noqa: PLC0415  (scanner imports this module)

    return normalize(text).translate(_LOWER)


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


class WordingMatcher:
    """One automaton over a rule set.  ``find(lowered_normalised_text)`` yields
    ``(start, end, rule)`` with overlaps resolved (longest match first)."""

    def __init__(self, rules):
        self.rules = list(rules)
        self.automaton = ahocorasick.Automaton()
        by_key: dict[str, list[int]] = {}
        for i, r in enumerate(self.rules):
            k = _key(r.pattern)
            by_key.setdefault(k, []).append(i)
        for k, idx in by_key.items():
            self.automaton.add_word(k, (len(k), tuple(idx)))
        self.allow = [tuple(_key(a) for a in r.allow) for r in self.rules]
        self.empty = not by_key
        if not self.empty:
            self.automaton.make_automaton()

    def find(self, lt: str, original: str) -> list[tuple[int, int, WordingRule]]:
        if self.empty or not lt:
            return []
        hits = []
        seen_runs = set()
        for end_idx, (length, idx) in self.automaton.iter(lt):
            s, e = end_idx + 1 - length, end_idx + 1
            key = lt[s:e]
            rule = self.rules[idx[0]]
            if _is_word_char(key[0]) or _is_word_char(key[-1]) or len(set(key)) == 1:
                # a run of one character (XXX, ××): take the whole run once
                if len(set(key)) == 1:
                    ch = key[0]
                    while s > 0 and lt[s - 1] == ch:
                        s -= 1
                    while e < len(lt) and lt[e] == ch:
                        e += 1
                    if s in seen_runs:
                        continue
                    seen_runs.add(s)
                if _is_word_char(key[0]) and s > 0 and _is_word_char(lt[s - 1]):
                    continue
                if _is_word_char(key[-1]) and e < len(lt) and _is_word_char(lt[e]):
                    continue
                if rule.category == "placeholder" and s > 0 and lt[s - 1] in "-./" and \
                        e < len(lt) and lt[e].isdigit():
                    continue
            if self._allowed(lt, s, e, idx):
                continue
            rule = next((self.rules[i] for i in idx if self._context_ok(lt, original, s, e, self.rules[i])), None)
            if rule is None:
                continue
            hits.append((s, e, rule))
        if not hits:
            return []
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        kept = []
        for h in hits:
            if kept and h[0] <= kept[-1][1] + 1 and h[2].category == kept[-1][2].category and \
                    h[2].category.startswith("spam_"):
                # spam phrases side by side ("beplay体育赢钱封号") are one finding
                last = kept[-1]
                kept[-1] = (last[0], max(last[1], h[1]), last[2])
                continue
            if kept and h[0] < kept[-1][1]:
                continue
            kept.append(h)
        return kept

    def _allowed(self, lt: str, s: int, e: int, idx) -> bool:
        for i in idx:
            for a in self.allow[i]:
                lo = max(0, e - len(a))
                pos = lt.find(a, lo, s + len(a))
                while pos != -1 and pos <= s:
                    if pos + len(a) >= e:
                        return True
                    pos = lt.find(a, pos + 1, s + len(a))
        return False

    @staticmethod
    def _context_ok(lt: str, original: str, s: int, e: int, rule: WordingRule) -> bool:
        cat = rule.category
        if cat == "placeholder":
            prev = original[s - 1] if s > 0 else ""
            if (prev in SINGLE_SURNAMES and prev not in _FUNCTION_CHARS) or \
                    original[max(0, s - 2):s] in COMPOUND_SURNAMES:
                return False  # 张某某, 王XX: an anonymised name
            if _is_word_char(lt[s]) and ((e + 1 < len(lt) and lt[e] == "-" and lt[e + 1].isalnum())
                                         or (s > 0 and lt[s - 1] == "-")):
                return False  # a model number: XX-200A
            return True
        if cat == "outdated":
            return "原" not in original[max(0, s - 6):s] and not (s > 0 and original[s - 1] == "前")
        if cat.startswith("spam_"):
            window = original[max(0, s - _SPAM_WINDOW):e + _SPAM_WINDOW]
            return not any(w in window for w in _ANTI_SPAM)
        return True


@lru_cache(maxsize=32)
def _cached(extra: tuple) -> WordingMatcher:
    return WordingMatcher(list(load_rules()) + _coerce(extra))


def matcher_for(extra_rules=(), *, shipped: bool = True) -> WordingMatcher:
    """The matcher for the shipped rules plus the caller's (the agency's) rules."""
    extra = tuple(_coerce(extra_rules))
    if shipped:
        return _cached(extra)
    return WordingMatcher(extra)


def lower_key(nt: str) -> str:
    """The text the automaton runs on: normalised text with ASCII letters lowered (same length)."""
    return nt.translate(_LOWER)
