"""The unread-notice count in the page header."""
from django import template

from notices.actions import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notices(context) -> int:
    request = context.get("request")
    return unread_count(getattr(request, "user", None))
