"""/gk/apply/ and /gk/query/ through the test client; the handler's pages for online applications, letters,
templates and the ledger import."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from disclosure.models import Application, OnlineApplication

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64
FORM = {"applicant_type": "natural_person", "applicant_name": "王小明", "id_type": "id_card",
        "id_number": "34170219800101123X", "phone": "13812345678", "content": "2024年政务公开工作要点",
        "delivery_form": "electronic", "delivery_way": "online", "privacy_consent": "on"}


def test_apply_query_and_confirm(world, client):
    assert 'href="/gk/apply/"' in client.get("/gk/").content.decode()  # the catalogue links to 在线申请
    page = client.get("/gk/apply/")
    assert page.status_code == 200 and "个人信息保护告知" in page.content.decode()
    bad = client.post("/gk/apply/", {**FORM, "agency": world.dept.pk, "id_number": "1",
                                     "id_document": SimpleUploadedFile("id.png", PNG)})
    assert bad.status_code == 400 and "居民身份证号码应为18位" in bad.content.decode()
    with freeze_time("2026-03-02 09:00:00+08:00"):
        done = client.post("/gk/apply/", {**FORM, "agency": world.dept.pk,
                                          "id_document": SimpleUploadedFile("id.png", PNG)})
    assert done.status_code == 200 and done["Cache-Control"] == "no-store"
    sub = OnlineApplication.objects.get()
    html = done.content.decode()
    code = html.split('id="apply-code">')[1].split("<")[0]
    wrong = client.post("/gk/query/", {"number": sub.number, "code": "AAAAAAAAAAAA"})
    missing = client.post("/gk/query/", {"number": "WS20990101000000", "code": code})
    assert wrong.status_code == missing.status_code == 404
    assert "王小明" not in wrong.content.decode() and 'id="query-status"' not in wrong.content.decode()
    ok = client.post("/gk/query/", {"number": sub.number, "code": code})
    assert ok.status_code == 200 and "等待受理机关确认收到" in ok.content.decode()

    # the handler sees it in the register; others see neither the list entry nor the identity document
    client.force_login(world.legal)
    assert sub.number not in client.get("/requests/").content.decode()
    assert client.get(f"/requests/online/{sub.pk}/id-document/").status_code == 404
    client.force_login(world.handler)
    assert sub.number in client.get("/requests/").content.decode()
    assert client.get(f"/requests/online/{sub.pk}/id-document/").status_code == 200
    with freeze_time("2026-03-03 10:00:00+08:00"):
        response = client.post(f"/requests/online/{sub.pk}/", {"received_date": "2026-03-03"})
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/requests/{app.pk}/"
    assert str(app.received_date) == "2026-03-03"


def test_handler_pages(world, client):
    client.force_login(world.handler)
    assert client.get("/requests/import/").status_code == 200
    assert client.get("/requests/import/template/applications.xlsx").status_code == 200
    bad = client.post("/requests/import/", {"kind": "applications", "agency": world.dept.pk,
                                            "file": SimpleUploadedFile("a.csv", "登记号\n1\n".encode())})
    assert bad.status_code == 400 and "表头与模板不一致" in bad.content.decode()
    assert client.get("/requests/templates/").status_code == 403
    client.force_login(world.office)
    assert client.get("/requests/templates/").status_code == 200
    assert client.get(f"/requests/templates/{world.dept.pk}/disclosed/").status_code == 200
    saved = client.post(f"/requests/templates/{world.dept.pk}/remedies/", {
        "title": "救济途径", "basis": "行政复议法", "number_prefix": "埇政办依申请",
        "body": "可于六十日内向宿州市人民政府申请行政复议，或六个月内向宿州市埇桥区人民法院提起行政诉讼。"})
    assert saved.status_code == 302
