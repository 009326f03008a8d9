"""The page under review: a title (Page's own) and a rich-text body, like a Shenfa item's title and body."""
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class BenchPage(Page):
    body = RichTextField("正文", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
