"""Show what changed between two revisions: text with HTML stripped, compared with difflib, marked
up with <ins>/<del>. Chinese has no word spaces, so changed paragraphs are compared per character."""
import difflib
import html
import re

from django.core.cache import cache
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.richtext import body_html
from privacy import ExtractionError, Limits
from privacy.extract import TableSegment, extract
from workflow.models import Information, ReviewRound, Revision, StepDecision

# Reading two versions of an attachment to show the masked cells happens while a person waits: keep it small.
DIFF_LIMITS = Limits(wall_seconds=5.0, cpu_seconds=5.0, rows=20_000, cells=200_000, text_chars=2_000_000,
                     zip_entries=2000, zip_part_bytes=32 * 1024 * 1024, zip_total_bytes=100 * 1024 * 1024)
MAX_MASKED_CELLS = 200

_BLOCK = re.compile(r"(?i)<\s*(br|/p|/div|/li|/h[1-6]|/tr|/blockquote|hr)\b[^>]*>")
_CELL = re.compile(r"(?i)<\s*/t[dh]\s*>")
_TAG = re.compile(r"<[^>]+>")
_LI = re.compile(r"(?i)<\s*li\b[^>]*>")


def html_to_text(value: str) -> str:
    """Plain text of a body: one line per block (plain-text bodies converted first), list items marked
    with "• ", table cells separated by " | ", tags removed, entities decoded."""
    text = _BLOCK.sub("\n", body_html(value or ""))
    text = _LI.sub("\n• ", text)
    text = _CELL.sub(" | ", text)
    text = html.unescape(_TAG.sub("", text))
    lines = [line.strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _mark(tag, text):
    return f"<{tag}>{escape(text)}</{tag}>" if text else ""


def _char_diff(old: str, new: str) -> str:
    out = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(old[a1:a2]))
        else:
            out.append(_mark("del", old[a1:a2]))
            out.append(_mark("ins", new[b1:b2]))
    return "".join(out)


def text_diff(old_html: str, new_html: str) -> dict:
    """{"html": marked-up paragraphs, "changed": bool, "inserted": n, "deleted": n} (counts in characters)."""
    old_lines = html_to_text(old_html).splitlines()
    new_lines = html_to_text(new_html).splitlines()
    paragraphs, inserted, deleted = [], 0, 0
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            paragraphs += [escape(line) for line in new_lines[b1:b2]]
        elif op == "insert":
            paragraphs += [_mark("ins", line) for line in new_lines[b1:b2]]
            inserted += sum(len(x) for x in new_lines[b1:b2])
        elif op == "delete":
            paragraphs += [_mark("del", line) for line in old_lines[a1:a2]]
            deleted += sum(len(x) for x in old_lines[a1:a2])
        else:
            old_block, new_block = old_lines[a1:a2], new_lines[b1:b2]
            if len(old_block) == len(new_block):
                pairs = zip(old_block, new_block, strict=True)
            else:
                pairs = [("\n".join(old_block), "\n".join(new_block))]
            for old, new in pairs:
                for sub in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
                    if sub[0] != "equal":
                        deleted += sub[2] - sub[1]
                        inserted += sub[4] - sub[3]
                paragraphs += _char_diff(old, new).split("\n")
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return {"html": mark_safe(body), "changed": bool(inserted or deleted), "inserted": inserted, "deleted": deleted}


def metadata_diff(old: dict, new: dict) -> list[dict]:
    """Changed catalogue fields as [{"field", "label", "old", "new"}]."""
    rows = []
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            try:
                label = Information._meta.get_field(key).verbose_name
            except Exception:  # noqa: BLE001 - metadata written by an older version may hold other keys
                label = key
            rows.append({"field": key, "label": label, "old": old.get(key), "new": new.get(key)})
    return rows


def attachment_diff(old: Revision | None, new: Revision) -> list[dict]:
    """Added, removed and replaced attachments; for a masked revision, the cells and paragraphs that changed."""
    before = {a.name: a.blob for a in old.attachments.select_related("blob")} if old else {}
    after = {a.name: a.blob for a in new.attachments.select_related("blob")}
    rows = []
    for name in sorted(set(before) | set(after)):
        if name not in before:
            rows.append({"name": name, "change": "新增"})
        elif name not in after:
            rows.append({"name": name, "change": "删除"})
        elif before[name].pk != after[name].pk:
            row = {"name": name, "change": "脱敏替换" if new.kind == Revision.Kind.MASK else "替换"}
            if new.kind == Revision.Kind.MASK:
                row["cells"] = masked_cells(name, before[name], after[name])
            rows.append(row)
    return rows


def conceal(value: str) -> str:
    """A changed original value shown without exposing it: first and last character, stars between."""
    value = value.strip()
    if len(value) <= 2:
        return "*" * len(value)
    return value[0] + "*" * min(len(value) - 2, 16) + value[-1]


def _cells(name, data):
    """{(where, row, column): text} of a table attachment, {(where, paragraph): text} of running text."""
    out = {}
    for seg in extract(name, data, DIFF_LIMITS):
        if isinstance(seg, TableSegment):
            where = seg.where.get("sheet") or seg.where.get("table") or ""
            numbers = seg.row_numbers or list(range(1, len(seg.rows) + 1))
            for number, row in zip(numbers, seg.rows, strict=False):
                for col, text in enumerate(row):
                    out[(str(where), number, col)] = text
        else:
            for i, (text, where) in enumerate(seg.parts):
                out[(str(where.get("part") or ""), where.get("paragraph") or i + 1, None)] = text
    return out


def _column_name(col):
    name, col = "", col + 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


def masked_cells(name, old_blob, new_blob) -> list[dict]:
    """The cells (or paragraphs) a masking changed: where, the original concealed, the masked form.
    Read under tight limits and cached by the two content hashes; [] when the files cannot be read."""
    key = f"shenfa:maskdiff:v1:{old_blob.pk}:{new_blob.pk}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    try:
        with old_blob.file.open("rb") as fh:
            old = _cells(name, fh.read())
        with new_blob.file.open("rb") as fh:
            new = _cells(name, fh.read())
    except (ExtractionError, OSError):
        return []
    rows = []
    for key_ in sorted(set(old) | set(new), key=lambda k: (k[0], k[1], -1 if k[2] is None else k[2])):
        if old.get(key_, "") != new.get(key_, ""):
            where, row, col = key_
            place = f"{where} {_column_name(col)}{row}" if col is not None else f"{where} 第{row}段".strip()
            rows.append({"where": place.strip(), "old": conceal(old.get(key_, "")), "new": new.get(key_, "")})
            if len(rows) >= MAX_MASKED_CELLS:
                break
    cache.set(key, rows, 24 * 3600)
    return rows


def baseline_for(revision: Revision) -> Revision | None:
    """The latest earlier revision of the item that went to review: submitted in a round, decided on by a
    reviewer (a proofreader's correction is approved on the new revision, so its parent counts through the
    round), or published."""
    item_id = revision.item_id
    numbers = set(StepDecision.objects.filter(round__item_id=item_id, revision__number__lt=revision.number)
                  .values_list("revision__number", flat=True))
    numbers |= set(Revision.objects.filter(item_id=item_id, number__lt=revision.number)
                   .filter(Q(pk__in=ReviewRound.objects.filter(item_id=item_id).values("submitted_revision"))
                           | Q(pk__in=Information.objects.filter(pk=item_id).values("published_revision")))
                   .values_list("number", flat=True))
    if not numbers:
        return None
    return Revision.objects.get(item_id=item_id, number=max(numbers))


def revision_diff(revision: Revision) -> dict:
    """Everything a page needs to show `revision` against its baseline."""
    base = baseline_for(revision)
    return {
        "base": base,
        "text": text_diff(base.body if base else "", revision.body),
        "metadata": metadata_diff(base.metadata if base else {}, revision.metadata) if base else [],
        "attachments": attachment_diff(base, revision),
    }
