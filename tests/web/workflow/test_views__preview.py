"""Preview of the public page of a draft / a task's revision, and of attachments (issue 13 item 2)."""
import io

import openpyxl
import pytest
from django.urls import reverse

from tests.docx_samples import notice_docx
from workflow import actions
from workflow.actions import NewAttachment

pytestmark = pytest.mark.django_db

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def xlsx_bytes():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "补助名单"
    ws.append(["序号", "村（社区）", "金额"])
    ws.append([1, "城东社区", 680])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def item(world):
    return actions.create_item(
            actor=world.drafter, agency=world.dept,
            data={"title": "关于城东社区补助发放情况的公示", "created_date": "2026-11-20",
                  "body": "<p>第一段</p><table><tr><td>甲</td><td>300</td></tr></table>"},
            attachments=[NewAttachment("说明.pdf", PDF, "application/pdf"),
                         NewAttachment("名单.xlsx", xlsx_bytes(), ""),
                         NewAttachment("通知.docx", notice_docx(image=False), "")])


def test_draft_preview_is_the_public_page_watermarked_uncached_unindexed(client, world, item):
    client.force_login(world.drafter)
    resp = client.get(reverse("workflow:item_preview", args=[item.pk]))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'class="gk-body"' in html and "关于城东社区补助发放情况的公示" in html
    assert "<td>甲</td>" in html and 'class="preview-mark"' in html and "预览" in html
    assert '<meta name="robots" content="noindex' in html and resp["X-Robots-Tag"].startswith("noindex")
    assert "no-cache" in resp["Cache-Control"] or "no-store" in resp["Cache-Control"]
    assert "（发布时生成）" in html
    # the public site itself still knows nothing of the draft
    assert client.get(reverse("publishing:item", args=[item.pk])).status_code == 404


def test_task_revision_preview_for_the_reviewer_only(client, world, item):
    actions.submit_item(actor=world.drafter, item=item)
    url = reverse("workflow:revision_preview", args=[item.pk, 1])
    client.force_login(world.proof1)
    task = actions.open_task_for(item)
    assert "预览公开页面" in client.get(reverse("workflow:task", args=[task.pk])).content.decode()
    assert client.get(url).status_code == 200
    client.force_login(world.other_first)  # another agency's reviewer: as if it did not exist
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_attachment_previews(client, world, item):
    client.force_login(world.drafter)
    atts = {a.name: a for a in item.current_revision.attachments.all()}
    pdf = client.get(reverse("workflow:attachment_preview", args=[item.pk, atts["说明.pdf"].pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf["Content-Disposition"].startswith("inline")
    assert pdf["X-Content-Type-Options"] == "nosniff"
    xlsx = client.get(reverse("workflow:attachment_preview", args=[item.pk, atts["名单.xlsx"].pk])).content.decode()
    assert "<h3>补助名单</h3>" in xlsx and "<td>城东社区</td>" in xlsx
    docx_page = client.get(reverse("workflow:attachment_preview", args=[item.pk, atts["通知.docx"].pk]))
    assert "<td><p>王某某</p></td>" in docx_page.content.decode()
    client.force_login(world.other_first)
    assert client.get(reverse("workflow:attachment_preview", args=[item.pk, atts["说明.pdf"].pk])).status_code == 404
