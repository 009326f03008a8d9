"""Reply letters and notices: one per outcome of table 三 and per notice, with legal basis and remedies, the
gapless 文号 series allocated at sign-off, PDF (checked as a picture) and DOCX renderings, office templates."""
import datetime
import io
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from docx import Document
from freezegun import freeze_time
from PIL import Image

from audit.models import AuditRecord
from core.errors import InvalidInput, NotAllowedForYou
from disclosure import actions, letters
from disclosure.codes import LetterKind, Outcome
from disclosure.models import Letter, LetterSeries
from disclosure.templates_admin import save_letter_template
from tests.factories import register, reload

D = datetime.date
pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "letters"
REPLY_OUTCOMES = [o for o in Outcome.values if o not in actions.AUTOMATIC_OUTCOMES]


def reply_through_sign_off(world, app, outcome, **extra):
    if outcome == Outcome.UNABLE_UNCLEAR:
        actions.request_supplement(actor=world.handler, application=app, requested_date=D(2026, 3, 3),
                                   items="请明确", applicant_due=D(2026, 3, 17))
        actions.receive_supplement(actor=world.handler, application=app, received_date=D(2026, 3, 5), text="补正")
    if outcome == Outcome.NOT_PROCESSED_EXCESSIVE:
        actions.mark_excessive(actor=world.handler, application=app, reason="一个月内提出300件申请",
                               asked_date=D(2026, 3, 3), explanation_due=D(2026, 3, 10))
        actions.decide_excessive(actor=world.handler, application=app, reasonable=False, decided_date=D(2026, 3, 11))
    if outcome == Outcome.PARTIAL:
        extra.setdefault("disclosed_text", "名单：张三，电话13812345678")
        extra.setdefault("withheld", "个人联系电话，属于个人隐私（条例第十五条）")
    actions.draft_reply(actor=world.handler, application=app, outcome=outcome, **extra)
    actions.legal_review(actor=world.legal, application=app, approve=True)
    reply = actions.sign_reply(actor=world.office, application=app, approve=True)
    return Letter.objects.get(reply=reply)


@pytest.mark.parametrize("outcome", REPLY_OUTCOMES)
def test_every_outcome_has_a_letter_with_basis_and_remedies(world, outcome):
    app = register(world)
    with freeze_time("2026-03-12 10:00:00+08:00"):
        letter = reply_through_sign_off(world, app, outcome)
    assert letter.doc_number == f"{world.dept.name}依申请公开〔2026〕{letter.serial}号"
    assert letter.body.startswith("王某某：") and "条例" in letter.basis
    assert "六十日内向宿州市人民政府申请行政复议" in letter.body and "六个月内" in letter.body
    assert letter.pdf and letter.docx and len(letter.pdf_sha256) == 64
    docx = Document(io.BytesIO(letter.docx.read()))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert letter.doc_number in text and "行政复议" in text and letter.basis in text
    if outcome == Outcome.PARTIAL:
        assert "个人隐私（条例第十五条）" in letter.body and "13812345678" not in letter.body
    rec = AuditRecord.objects.get(action="disclosure.reply.sign_off")
    assert rec.data["letter"] == letter.doc_number


def test_pdf_as_a_picture_has_every_glyph(world, tmp_path):
    app = register(world)
    with freeze_time("2026-03-12 10:00:00+08:00"):
        letter = reply_through_sign_off(world, app, Outcome.PARTIAL)
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(letter.pdf.read())
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts, fonts  # the Chinese text is set in Noto CJK, not a fallback without glyphs
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    for expected in (letter.doc_number, "政府信息公开申请答复书", "不予公开的部分及理由", "行政复议", "行政诉讼"):
        assert expected in flat, expected
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    dark = sum(1 for px in image.get_flattened_data() if px < 128)
    assert dark > 2000  # text was drawn, not empty boxes only
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image.save(ARTIFACTS / "reply-partial.png")


def test_numbers_are_gapless_per_agency_and_year(world):
    apps = [register(world, applicant_name=f"申请人{i}") for i in range(3)]
    with freeze_time("2026-03-12 10:00:00+08:00"):
        # a returned draft takes no number; a notice takes the next one
        actions.draft_reply(actor=world.handler, application=apps[0], outcome=Outcome.DISCLOSED)
        actions.legal_review(actor=world.legal, application=apps[0], approve=False, comment="请补充依据")
        first = reply_through_sign_off(world, apps[0], Outcome.DISCLOSED)
        actions.start_consultation(actor=world.handler, application=apps[1], kind="third_party", party="某公司",
                                   sent_date=D(2026, 3, 12))
        third = reply_through_sign_off(world, apps[2], Outcome.UNABLE_NOT_HELD,
                                       responsible_agency="宿州市自然资源和规划局，电话0557-1234567")
    assert [first.serial, third.serial] == [1, 3]
    assert Letter.objects.get(kind=LetterKind.CONSULTATION).serial == 2
    assert "宿州市自然资源和规划局" in third.body
    assert LetterSeries.objects.get(agency=world.dept, year=2026).last == 3
    with freeze_time("2027-01-05 10:00:00+08:00"):
        nxt = register(world, received=D(2027, 1, 4), today="2027-01-05")
        letter = reply_through_sign_off(world, nxt, Outcome.DISCLOSED)
    assert (letter.year, letter.serial) == (2027, 1)


@pytest.mark.parametrize("kind", [LetterKind.SUPPLEMENT, LetterKind.EXTENSION, LetterKind.CONSULTATION,
                                  LetterKind.FEE, LetterKind.EXCESSIVE_ASK, LetterKind.EXCESSIVE_LATER])
def test_every_notice_is_numbered_and_rendered(world, kind):
    app = register(world)
    with freeze_time("2026-03-03 10:00:00+08:00"):
        if kind == LetterKind.SUPPLEMENT:
            actions.request_supplement(actor=world.handler, application=app, requested_date=D(2026, 3, 3),
                                       items="请写明文号", applicant_due=D(2026, 3, 17))
        if kind == LetterKind.EXTENSION:
            actions.request_extension(actor=world.handler, application=app, days=10, reason="需要调取档案")
            actions.decide_extension(actor=world.office, application=app, approve=True)
        if kind == LetterKind.CONSULTATION:
            actions.start_consultation(actor=world.handler, application=app, kind="third_party", party="某公司",
                                       sent_date=D(2026, 3, 3))
        if kind == LetterKind.FEE:
            actions.issue_fee_notice(actor=world.handler, application=app, method="per_volume", pages=120,
                                     notice_date=D(2026, 3, 3))
        if kind in (LetterKind.EXCESSIVE_ASK, LetterKind.EXCESSIVE_LATER):
            actions.mark_excessive(actor=world.handler, application=app, reason="一个月内300件",
                                   asked_date=D(2026, 3, 3), explanation_due=D(2026, 3, 10))
    if kind == LetterKind.EXCESSIVE_LATER:
        with freeze_time("2026-03-06 10:00:00+08:00"):
            actions.decide_excessive(actor=world.handler, application=app, reasonable=True,
                                     decided_date=D(2026, 3, 6), explanation="课题研究需要",
                                     later_date=D(2026, 6, 30))
    letter = Letter.objects.get(application=app, kind=kind)
    serial = 2 if kind == LetterKind.EXCESSIVE_LATER else 1  # after the request for reasons
    assert letter.doc_number.endswith(f"〔2026〕{serial}号") and letter.pdf and letter.docx
    title, basis, _body, _ = letters.template_for(world.dept, kind)
    assert (letter.title, letter.basis) == (title, basis) and "条例" in basis
    assert "{" not in letter.body  # every placeholder filled


def test_office_edits_its_template_with_audit(world):
    with freeze_time("2026-03-03 10:00:00+08:00"):
        save_letter_template(actor=world.office, agency=world.dept, key=letters.REMEDIES, data={
            "title": "救济途径", "basis": "行政复议法", "number_prefix": "埇政办依申请",
            "body": "如不服，可于六十日内向宿州市人民政府申请行政复议，或六个月内向宿州市埇桥区人民法院提起行政诉讼。"})
        with pytest.raises(InvalidInput):
            save_letter_template(actor=world.office, agency=world.dept, key=Outcome.DISCLOSED,
                                 data={"title": "答复书", "basis": "条例", "body": "{申请人}：{不存在}"})
        for who in ("handler", "legal", "other_first", "drafter"):
            with pytest.raises(NotAllowedForYou):
                save_letter_template(actor=world.people[who], agency=world.dept, key=Outcome.DISCLOSED,
                                     data={"title": "答复书", "basis": "条例", "body": "{申请人}："})
        with pytest.raises(NotAllowedForYou):
            save_letter_template(actor=AnonymousUser(), agency=world.dept, key=Outcome.DISCLOSED,
                                 data={"title": "答复书", "basis": "条例", "body": "{申请人}："})
    app = register(world)
    with freeze_time("2026-03-12 10:00:00+08:00"):
        letter = reply_through_sign_off(world, app, Outcome.DISCLOSED)
    assert letter.doc_number == "埇政办依申请〔2026〕1号"
    assert "宿州市埇桥区人民法院" in letter.body
    assert AuditRecord.objects.filter(action="disclosure.template.save").count() == 1


def test_handlers_own_body_still_carries_remedies(world):
    app = register(world)
    with freeze_time("2026-03-12 10:00:00+08:00"):
        letter = reply_through_sign_off(world, app, Outcome.DISCLOSED, body="王某某：\n经审查，现予公开。")
    assert letter.body.startswith("王某某：") and "行政复议" in letter.body
    assert reload(letter.reply).body == letter.body
