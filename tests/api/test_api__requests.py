"""The public endpoints of online applications (no log-in): submit, query by number and code, download the
delivered reply letter; and the handler's confirm + reply through the API, with the letter's 文号."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document
from freezegun import freeze_time

from disclosure.models import OnlineApplication

from .conftest import Api, assert_error

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64
FORM = {"applicant_type": "natural_person", "applicant_name": "王小明", "id_type": "id_card",
        "id_number": "34170219800101123X", "phone": "13812345678", "content": "2024年政务公开工作要点",
        "delivery_form": "electronic", "delivery_way": "online", "privacy_consent": "true"}


def public_post(path, data=None, **kw):
    return Client().post("/api/v1" + path, data, **kw)


@pytest.fixture
def submitted(world):
    with freeze_time("2026-03-02 09:00:00+08:00"):
        response = public_post("/public/applications", {**FORM, "agency": world.dept.pk,
                                                         "id_document": SimpleUploadedFile("id.png", PNG)})
    assert response.status_code == 201, response.content
    return response.json()


def test_submit_and_query(world, submitted):
    assert submitted["number"].startswith("WS") and len(submitted["code"]) == 12
    body = public_post("/public/applications/query", {"number": submitted["number"], "code": submitted["code"]},
                       content_type="application/json").json()
    assert body["stage"].startswith("已提交") and body["letters"] == []
    wrong = public_post("/public/applications/query", {"number": submitted["number"], "code": "AAAAAAAAAAAA"},
                        content_type="application/json")
    missing = public_post("/public/applications/query", {"number": "WS20990101000000", "code": submitted["code"]},
                          content_type="application/json")
    assert_error(wrong, 404, "not_found")
    assert wrong.json() == missing.json()


def test_submit_errors_are_400_with_fields(world):
    response = public_post("/public/applications", {**FORM, "agency": world.dept.pk, "id_number": "123",
                                                    "id_document": SimpleUploadedFile("id.png", PNG)})
    assert_error(response, 400, "invalid_input", field="id_number")
    response = public_post("/public/applications", {**FORM, "agency": world.dept.pk,
                                                    "id_document": SimpleUploadedFile("id.png", b"GIF89a")})
    assert_error(response, 400, "invalid_input", field="id_document")
    assert OnlineApplication.objects.count() == 0


def test_from_confirmation_to_the_signed_letter(world, submitted):
    online_id = OnlineApplication.objects.get().pk
    with freeze_time("2026-03-03 10:00:00+08:00"):
        app = Api(world.handler).post(f"/online-applications/{online_id}/confirm", {}).json()
        assert app["received_date"] == "2026-03-03" and app["channel"] == "online"
        path = f"/applications/{app['id']}"
        response = Api(world.handler).post(f"{path}/replies", {"outcome": "partial",
                                                               "disclosed_text": "张三13812345678"})
        assert_error(response, 400, field="withheld")
        Api(world.handler).post(f"{path}/replies", {"outcome": "partial", "disclosed_text": "名单：张三，13812345678",
                                                    "withheld": "个人电话，条例第十五条"})
        Api(world.legal).post(f"{path}/legal-review", {"approve": True})
        Api(world.office).post(f"{path}/sign-off", {"approve": True})
        Api(world.handler).post(f"{path}/delivery", {"method": "online", "delivered_date": "2026-03-03"})
    letters = Api(world.handler).get(f"{path}/letters").json()
    assert len(letters) == 1 and letters[0]["doc_number"].endswith("〔2026〕1号")
    status = public_post("/public/applications/query", {"number": submitted["number"], "code": submitted["code"]},
                         content_type="application/json").json()
    assert status["stage"] == "已办结" and status["letters"][0]["id"] == letters[0]["id"]
    docx = public_post(f"/public/applications/letters/{letters[0]['id']}",
                       {"number": submitted["number"], "code": submitted["code"], "format": "docx"},
                       content_type="application/json")
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(docx.streaming_content))).paragraphs)
    assert letters[0]["doc_number"] in text and "行政复议" in text
    wrong = public_post(f"/public/applications/letters/{letters[0]['id']}",
                        {"number": submitted["number"], "code": "AAAAAAAAAAAA"}, content_type="application/json")
    assert_error(wrong, 404, "not_found")
