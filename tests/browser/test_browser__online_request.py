"""End to end in headless Chromium: a citizen applies online at /gk/apply/, the handler confirms receipt and
replies 部分公开, legal review and sign-off pass, the reply is delivered online, and the citizen downloads the
signed reply letter by the query code; the PDF is checked as a picture, the DOCX with python-docx."""
import io
import re
import subprocess

import pytest
from docx import Document
from PIL import Image

from disclosure.models import Application, AppStatus, Letter
from tests.factories import build_world

from .conftest import SCREENSHOTS

pytestmark = pytest.mark.browser
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


@pytest.fixture
def world(transactional_db):
    return build_world()


def submit_form(page, field_id):
    page.locator("form", has=page.locator(field_id)).locator("button[type=submit]").click()


def test_citizen_applies_and_downloads_the_signed_reply(world, login, chromium, live_server, tmp_path):
    # given a citizen on the public site, not logged in
    citizen = chromium.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    citizen.set_default_timeout(15000)
    page = citizen.new_page()
    page.goto("/gk/apply/")
    assert "个人信息保护告知" in page.inner_text("#privacy-notice")
    page.select_option("#id_agency", str(world.dept.pk))
    page.select_option("#id_applicant_type", "natural_person")
    page.fill("#id_applicant_name", "王小明")
    page.select_option("#id_id_type", "id_card")
    page.fill("#id_id_number", "34170219800101123X")
    page.fill("#id_phone", "13812345678")
    page.fill("#id_content", "宿州市2024年政务公开工作要点的征求意见情况汇总（含参与人名单）")
    page.check("input[name=delivery_form][value=electronic]")
    page.check("input[name=delivery_way][value=online]")
    page.set_input_files("#id_id_document", files=[{"name": "身份证.png", "mimeType": "image/png", "buffer": PNG}])
    page.check("#id_privacy_consent")
    page.screenshot(path=str(SCREENSHOTS / "online-01-apply.png"), full_page=True)
    submit_form(page, "#id_content")
    number, code = page.inner_text("#apply-number"), page.inner_text("#apply-code")
    assert number.startswith("WS") and len(code) == 12

    # a wrong code tells nothing
    page.goto("/gk/query/")
    page.fill("#id_number", number)
    page.fill("#id_code", "AAAAAAAAAAAA")
    submit_form(page, "#id_number")
    assert "申请编号或查询码不正确" in page.inner_text("#query-form")
    assert page.locator("#query-status").count() == 0

    # when the handler sees it in the register, confirms receipt and drafts a partial disclosure
    handler = login("handler", via_form=False)
    hp = handler.page
    hp.goto("/requests/")
    hp.locator("#pending-online a", has_text=number).click()
    hp.click("#confirm-receipt")
    hp.wait_for_url(re.compile(r"/requests/\d+/$"))
    app = Application.objects.get(online__number=number)
    assert app.channel == "online" and "确认收到之日" in hp.inner_text("#deadline")
    hp.goto(f"/requests/{app.pk}/?action=reply")  # one form at a time: the action chosen
    hp.select_option("#id_reply-outcome", "partial")
    hp.fill("#id_reply-disclosed_text", "征求意见情况汇总：共收到意见12条。参与人：张三，电话13812345678。")
    hp.fill("#id_reply-withheld", "参与人的联系电话属于个人隐私，依据条例第十五条不予公开")
    submit_form(hp, "#id_reply-outcome")
    hp.wait_for_selector("text=答复书已提交合法性审查")

    # legal review and sign-off pass
    legal = login("legal", via_form=False)
    legal.page.goto(f"/requests/{app.pk}/?action=legal")
    legal.page.select_option("#id_legal-decision", "approve")
    submit_form(legal.page, "#id_legal-decision")
    legal.page.wait_for_selector("text=已完成合法性审查")
    office = login("office", via_form=False)
    office.page.goto(f"/requests/{app.pk}/?action=sign")
    office.page.select_option("#id_sign-decision", "approve")
    submit_form(office.page, "#id_sign-decision")
    office.page.wait_for_selector("text=已处理签发")
    letter = Letter.objects.get(application=app, reply__isnull=False)
    assert letter.doc_number and letter.pdf

    # and delivers it online
    hp.goto(f"/requests/{app.pk}/?action=deliver")
    hp.select_option("#id_deliver-method", "online")
    submit_form(hp, "#id_deliver-method")
    hp.wait_for_selector("text=已送达并归档")
    assert Application.objects.get(pk=app.pk).status == AppStatus.CLOSED
    handler.shot("online-02-handler-detail")

    # then the citizen downloads the signed letter with the number and code
    page.goto("/gk/query/")
    page.fill("#id_number", number)
    page.fill("#id_code", code)
    submit_form(page, "#id_number")
    assert page.inner_text("#query-stage") == "已办结"
    assert letter.doc_number in page.inner_text("#query-letters")
    page.screenshot(path=str(SCREENSHOTS / "online-03-query.png"), full_page=True)
    with page.expect_download() as pdf_download:
        page.locator("#query-letters a", has_text="PDF").click()
    pdf_path = tmp_path / "reply.pdf"
    pdf_download.value.save_as(pdf_path)
    with page.expect_download() as docx_download:
        page.locator("#query-letters a", has_text="Word").click()
    docx_path = tmp_path / "reply.docx"
    docx_download.value.save_as(docx_path)
    citizen.close()

    # the PDF as a picture: Chinese set in a CJK font (no missing glyphs), text drawn
    fonts = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts, fonts
    text = "".join(subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    for expected in (letter.doc_number, "不予公开的部分及理由", "行政复议", "行政诉讼", "13****5678"[:2]):
        assert expected in text, expected
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", str(pdf_path),
                    str(SCREENSHOTS / "online-04-reply-letter")], check=True)
    picture = next(SCREENSHOTS.glob("online-04-reply-letter*.png"))
    dark = sum(1 for px in Image.open(picture).convert("L").get_flattened_data() if px < 128)
    assert dark > 2000

    # the DOCX opens and carries the 文号 and the remedies paragraph
    paragraphs = [p.text for p in Document(io.BytesIO(docx_path.read_bytes())).paragraphs]
    assert letter.doc_number in paragraphs
    assert any("行政复议" in p and "行政诉讼" in p for p in paragraphs)
