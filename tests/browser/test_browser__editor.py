"""Issue 13 in the browser: paste from Word cleaned by the editor, a DOCX imported with its table shown on the
public page, and the preview of a draft (watermarked 预览)."""
import re

import pytest

from publishing.actions import publish_item
from tests.browser.editor import paste_html
from tests.docx_samples import notice_docx
from tests.factories import approve_all, build_world, reload
from workflow import actions
from workflow.models import Information

pytestmark = pytest.mark.browser

WORD_PASTE = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{mso-style-parent:"";}</style>'
    '</head><body><!--StartFragment-->'
    '<h2 style="mso-outline-level:2"><span style="font-family:黑体">一、工作目标</span></h2>'
    '<p class="MsoNormal" style="text-indent:2em"><span style="font-size:16pt;font-family:仿宋_GB2312;color:red">'
    '全面推进政务公开<o:p></o:p></span></p>'
    '<ul><li class="MsoListParagraph"><span lang="EN-US">加强政策解读</span></li></ul>'
    '<table class="MsoTableGrid" border="1" style="border-collapse:collapse"><tr><td width="100" '
    'style="background:yellow"><p class="MsoNormal">任务</p></td><td><p>责任单位</p></td></tr>'
    '<tr><td><p>公开专区</p></td><td><p>区政府办公室</p></td></tr></table>'
    '<p><a href="javascript:alert(1)">恶意链接</a><img src="file:///C:/Users/x/image001.png"></p>'
    '<script>alert(1)</script><!--EndFragment--></body></html>'
)


@pytest.fixture
def world(transactional_db):
    return build_world()


def test_paste_from_word_is_cleaned(world, login):
    drafter = login("drafter", via_form=False)
    page = drafter.page
    page.goto("/items/new/")
    page.fill("#id_title", "关于印发2024年政务公开工作要点的通知")
    page.fill("#id_created_date", "2024-03-01")
    paste_html(page, WORD_PASTE)
    editor = page.locator(".ProseMirror >> visible=true").first
    assert editor.locator("h2", has_text="一、工作目标").count() == 1
    assert editor.locator("table td", has_text="公开专区").count() == 1
    drafter.shot("10-editor-paste-from-word")
    page.click("button[name=save]")
    page.wait_for_url(re.compile(r"/items/\d+/$"))
    body = Information.objects.get().body
    for kept in ("<h2>一、工作目标</h2>", "全面推进政务公开", "<li>", "<table>", "公开专区"):
        assert kept in body, (kept, body)
    for dropped in ("mso", "font-family", "style=", "class=", "<span", "javascript:", "<script", "<img",
                    "o:p", "StartFragment"):
        assert dropped not in body, (dropped, body)
    assert page.locator("#item-body table td", has_text="区政府办公室").count() == 1


def test_docx_import_reaches_the_public_page_and_the_draft_preview(world, login):
    drafter = login("drafter", via_form=False)
    page = drafter.page
    page.goto("/items/new/")
    page.fill("#id_title", "关于2024年第三批城乡低保对象的公示")
    page.fill("#id_created_date", "2024-09-01")
    page.set_input_files("#id_import_docx", files=[
        {"name": "低保公示.docx", "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "buffer": notice_docx(image=False)}])
    page.click("button[name=save]")
    page.wait_for_url(re.compile(r"/items/\d+/$"))
    item = Information.objects.get()
    assert page.locator("#item-body table td", has_text="王某某").count() == 1

    # preview before publishing: the public page layout, watermarked, not indexed
    with page.context.expect_page() as opened:
        page.click("#preview-item")
    preview = opened.value
    preview.wait_for_load_state()
    assert preview.locator(".preview-mark").inner_text() == "预览"
    assert preview.locator("meta[name=robots]").get_attribute("content").startswith("noindex")
    assert preview.locator("article.gk-body table td", has_text="王某某").count() == 1
    preview.screenshot(path=str(drafter_shot_path("11-preview-draft")), full_page=True)

    # reviewed and published: the table is on /gk/
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item)
    publish_item(actor=world.publisher, item=reload(item))
    public = page.context.new_page()
    public.goto(f"/gk/item/{item.pk}/")
    assert public.locator("article.gk-body table td", has_text="李某某").count() == 1
    assert public.locator(".preview-mark").count() == 0
    public.screenshot(path=str(drafter_shot_path("12-public-docx-table")), full_page=True)


def drafter_shot_path(name):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
