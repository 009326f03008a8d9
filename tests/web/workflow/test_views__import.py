"""Import a Word document as the body: headings, paragraphs, lists and tables kept, images as attachments,
limits enforced (issue 13 item 1)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from publishing.actions import publish_item
from tests.docx_samples import notice_docx, zip_bomb_docx
from tests.factories import approve_all, reload
from tests.web.workflow.test_views__drafting import form_payload
from workflow import actions
from workflow.models import Information

pytestmark = pytest.mark.django_db


def upload(data, name="低保公示.docx"):
    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument")


def test_docx_becomes_the_body_with_its_table_and_the_image_as_attachment(client, world):
    client.force_login(world.drafter)
    resp = client.post("/items/new/", form_payload(body="", import_docx=upload(notice_docx())))
    assert resp.status_code == 302, resp.content.decode()[:2000]
    item = Information.objects.get()
    assert "<h1>关于2024年第三批城乡低保对象的公示</h1>" in item.body
    assert "<ul><li>公示期内如有异议" in item.body
    assert "<td><p>王某某</p></td>" in item.body and "<table>" in item.body
    assert "〔图片：低保公示-附图1.png，见附件〕" in item.body
    names = list(item.current_revision.attachments.values_list("name", flat=True))
    assert names == ["低保公示-附图1.png"]


def test_imported_table_reaches_the_public_page(client, world):
    client.force_login(world.drafter)
    client.post("/items/new/", form_payload(body="", import_docx=upload(notice_docx(image=False))))
    item = Information.objects.get()
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item)
    publish_item(actor=world.publisher, item=reload(item))
    html = client.get(reverse("publishing:item", args=[item.pk])).content.decode()
    assert "<table>" in html and "<td><p>王某某</p></td>" in html


def test_import_on_edit_replaces_the_body_and_notes_it(client, world):
    client.force_login(world.drafter)
    client.post("/items/new/", form_payload())
    item = Information.objects.get()
    payload = form_payload(expected_hash=item.current_revision.content_hash,
                           import_docx=upload(notice_docx(image=False)))
    resp = client.post(f"/items/{item.pk}/edit/", payload)
    assert resp.status_code == 302
    rev = reload(item).current_revision
    assert rev.number == 2 and "<table>" in rev.body and "Word 文档“低保公示.docx”导入" in rev.note


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"PK\x03\x04 not a zip", "坏文件.docx", "已损坏"),
    (b"{\\rtf1 hello}", "旧格式.doc", "另存为 .docx"),
    (zip_bomb_docx(), "炸弹.docx", "无法转换"),
])
def test_bad_documents_are_a_clear_chinese_error_not_a_500(client, world, data, name, message):
    client.force_login(world.drafter)
    resp = client.post("/items/new/", form_payload(import_docx=upload(data, name)))
    assert resp.status_code == 400
    assert message in resp.content.decode()
    assert not Information.objects.exists()


def test_the_editor_is_served_offline(client, world):
    client.force_login(world.drafter)
    html = client.get("/items/new/").content.decode()
    assert 'type="importmap"' in html and "/static/django_prose_editor/configurable.js" in html
    assert "data-django-prose-editor-configurable" in html and "cdn" not in html.lower()
