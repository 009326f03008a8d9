"""Paragraphs, lists and tables of the body render as such on every page that shows it (issue 13):
bodies stored as plain lines and bodies holding markdown-style `**bold**` included."""
import pytest
from django.urls import reverse

from core.richtext import body_excerpt, body_html
from reports.sheets import sheet_html
from tests.factories import draft, published
from workflow import actions

PLAIN = "一、深化重点领域信息公开\n（一）紧扣重点工作深化公开。\n**（责任单位：市司法局牵头负责）**"
TABLE = "<p>名单如下：</p><table><tr><th>姓名</th><th>金额</th></tr><tr><td>张三</td><td>300</td></tr></table>"


def test_plain_lines_become_paragraphs_and_double_stars_bold():
    assert body_html(PLAIN) == ("<p>一、深化重点领域信息公开</p><p>（一）紧扣重点工作深化公开。</p>"
                                "<p><strong>（责任单位：市司法局牵头负责）</strong></p>")
    assert body_html("<p>要点 **（责任单位：x）**</p>") == "<p>要点 <strong>（责任单位：x）</strong></p>"


def test_the_sanitiser_keeps_the_last_word():
    out = body_html("<p onclick=x>a</p><script>alert(1)</script>\n**<img src=x onerror=y>**")
    assert "onclick" not in out and "<script" not in out and "<img" not in out and out.startswith("<p>a</p>")
    assert "<script" not in body_html("第一行\n<script>alert(1)</script>")


def test_excerpt_keeps_the_first_blocks_whole():
    body = "".join(f"<p>段{i}</p>" for i in range(20)) + TABLE
    excerpt = body_excerpt(body, 3)
    assert excerpt.startswith("<p>段0</p><p>段1</p><p>段2</p>") and "段3" not in excerpt and "正文较长" in excerpt
    assert "<td>张三</td>" in body_excerpt(TABLE, 3)


@pytest.mark.parametrize("body", [PLAIN, TABLE])
def test_every_page_shows_paragraphs_and_tables(client, world, body):
    item = published(world, body=body)
    expected = ["<td>张三</td>", "<th>姓名</th>"] if body is TABLE else [
        "<p>（一）紧扣重点工作深化公开。</p>", "<strong>（责任单位：市司法局牵头负责）</strong>"]
    public = client.get(reverse("publishing:item", args=[item.pk])).content.decode()
    feed = client.get(reverse("publishing:feed")).content.decode()
    client.force_login(world.drafter)
    pages = {
        "gk": public,
        "item": client.get(reverse("workflow:item", args=[item.pk])).content.decode(),
        "revision": client.get(reverse("workflow:revision", args=[item.pk, 1])).content.decode(),
        "sheet": client.get(reverse("workflow:item_sheet", args=[item.pk])).content.decode(),
        "sheet_pdf_html": sheet_html([item]),
    }
    for name, html in pages.items():
        for fragment in expected:
            assert fragment in html, (name, fragment)
        assert "**" not in html, name
    # The Atom feed carries the same HTML, escaped inside <summary type="html">.
    assert "&lt;p&gt;" in feed or "&lt;table&gt;" in feed


def test_task_page_shows_paragraphs(client, world):
    item = draft(world, body=PLAIN)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    client.force_login(world.proof1)
    html = client.get(reverse("workflow:task", args=[task.pk])).content.decode()
    assert "<p>（一）紧扣重点工作深化公开。</p>" in html
