"""The body (正文) as HTML for every page that shows it: item, task, diff, /gk/, feed, review sheet.

Bodies are stored as sanitised HTML since the editor; older ones (and some written through the API) are
plain text with line breaks, or HTML paragraphs holding markdown-style `**bold**`. Revisions are
immutable and hashed, so those bodies are not rewritten: they are converted when they are shown. The
result always goes through the sanitiser (core.sanitize, nh3), which stays the authority."""
import html
import re

from lxml import html as lxml_html

from .sanitize import clean_html

_BLOCK_TAG = re.compile(r"(?i)<\s*(p|div|h[1-6]|ul|ol|li|table|blockquote|br|hr)\b")
_BOLD = re.compile(r"\*\*([^*<>\n]{1,500}?)\*\*")
_INLINE_TAG = re.compile(r"(?i)</?\s*[a-z][a-z0-9]*\b[^>]*>")


def _paragraphs_from_text(text: str, *, markup: bool) -> str:
    """Plain text: each line is a paragraph (Chinese documents use one paragraph a line) and becomes <p>.
    With inline markup (<strong>, <a>) the lines are kept as HTML for the sanitiser; else escaped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.strip() for line in text.split("\n")]
    return "".join(f"<p>{line if markup else html.escape(line, quote=False)}</p>" for line in lines if line)


def body_html(value: str) -> str:
    """Sanitised HTML for a stored body, converting plain-text lines to paragraphs and `**x**` to bold."""
    if not value:
        return ""
    if not _BLOCK_TAG.search(value):
        markup = bool(_INLINE_TAG.search(value))
        value = _paragraphs_from_text(value if markup else html.unescape(value), markup=markup)
    elif "\n" in value and not re.search(r"(?i)<\s*p\b", value):
        # HTML fragments without paragraphs (e.g. "<strong>x</strong>\n<ul>…"): keep the line breaks.
        value = value.replace("\n", "<br>")
    if "**" in value:
        value = _BOLD.sub(r"<strong>\1</strong>", value)
    return clean_html(value)


def body_excerpt(value: str, blocks: int = 12) -> str:
    """The first `blocks` top-level blocks (paragraphs, lists, tables) of body_html(value), for the sheet."""
    cleaned = body_html(value)
    if not cleaned:
        return ""
    parts = lxml_html.fragments_fromstring(cleaned)
    elements = [p for p in parts if not isinstance(p, str)]
    if len(elements) <= blocks:
        return cleaned
    kept = "".join(lxml_html.tostring(el, encoding="unicode") for el in elements[:blocks])
    return clean_html(kept + "<p>……（正文较长，以上为前部分）</p>")
