from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def paragraphs(text):
    return [p.strip() for p in (text or "").splitlines() if p.strip()]


@register.simple_tag
def cellval(cell):
    """A report figure, linked to the list behind it when the cell has a drill-down URL."""
    if cell.get("url"):
        return format_html('<a class="drill" href="{}">{}</a>', cell["url"], cell["value"])
    return format_html("{}", cell["value"])
