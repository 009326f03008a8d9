"""Report text and appeal cases (actions, permission per role, audit names), report pages, drill-down,
and the annual_report command in every format."""
import io
import json

import pytest
from django.core.management import call_command
from docx import Document
from pypdf import PdfReader

from audit.models import AuditRecord
from core.errors import InvalidInput, NotAllowedForYou
from disclosure import appeals
from disclosure.codes import ApplicantType as T
from disclosure.codes import Outcome as O
from disclosure.models import AppealCase
from reports import actions as report_actions
from reports.models import AnnualReportText
from tests.factories import make_application

EVERYONE = ["drafter", "drafter2", "proof1", "first", "second", "final", "secrecy", "legal", "publisher", "office",
            "auditor", "handler", "other_first", "multi"]
CASE = {"kind": "reconsideration", "filed_date": "2024-03-01", "case_number": "宿复〔2024〕12号",
        "applicant": "张某", "summary": "不服政府信息公开答复"}


def _actions_since(seq):
    return list(AuditRecord.objects.filter(seq__gt=seq).order_by("seq").values_list("action", flat=True))


def _last_seq():
    return AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


@pytest.mark.parametrize("who", EVERYONE)
def test_appeal_case_create_per_role(world, who):
    seq = _last_seq()
    actor = world.people[who]
    if who == "office":
        case = appeals.create_appeal_case(actor=actor, agency=world.dept, data=CASE)
        assert case.result == "pending" and case.created_by == actor
        assert _actions_since(seq) == ["audit.appeal.create"]
    else:
        with pytest.raises(NotAllowedForYou):
            appeals.create_appeal_case(actor=actor, agency=world.dept, data=CASE)
        assert _actions_since(seq) == [] and not AppealCase.objects.exists()


def test_appeal_case_update_records_the_result(world):
    case = appeals.create_appeal_case(actor=world.office, agency=world.dept, data=CASE)
    seq = _last_seq()
    appeals.update_appeal_case(actor=world.office, case=case, data={"result": "corrected", "closed_date": "2024-07-01"})
    appeals.update_appeal_case(actor=world.office, case=case, data={"result": "corrected"})  # no change: no record
    assert _actions_since(seq) == ["audit.appeal.update"]
    rec = AuditRecord.objects.filter(seq__gt=seq).order_by("seq").first()
    assert (rec.from_state, rec.to_state) == ("pending", "corrected")
    with pytest.raises(NotAllowedForYou):
        appeals.update_appeal_case(actor=world.auditor, case=case, data={"result": "other"})


@pytest.mark.parametrize("data,field", [
    ({"kind": "appeal"}, "kind"), ({"filed_date": ""}, "filed_date"), ({"filed_date": "2024-02-30"}, "filed_date"),
    ({"result": "maintained"}, "closed_date"), ({"closed_date": "2024-05-01"}, "closed_date"),
    ({"result": "maintained", "closed_date": "2024-01-01"}, "closed_date"), ({"result": "won"}, "result"),
    ({"application_id": "abc"}, "application_id"),
])
def test_appeal_case_bad_input(world, data, field):
    seq = _last_seq()
    with pytest.raises(InvalidInput) as exc:
        appeals.create_appeal_case(actor=world.office, agency=world.dept, data={**CASE, **data})
    assert field in exc.value.errors
    assert not AppealCase.objects.exists() and _actions_since(seq) == []


@pytest.mark.parametrize("who", EVERYONE)
def test_report_text_per_role(world, who):
    seq = _last_seq()
    data = {"problems": "一是政策解读形式较单一。", "other_matters": "重点工作任务均已完成。"}
    if who == "office":
        report_actions.save_report_text(actor=world.office, agency=world.gov, year=2024, data=data)
        report_actions.save_report_text(actor=world.office, agency=world.gov, year=2024, data=data)  # unchanged
        assert _actions_since(seq) == ["audit.report.edit"]
        assert AnnualReportText.objects.get().problems == data["problems"]
    else:
        with pytest.raises(NotAllowedForYou):
            report_actions.save_report_text(actor=world.people[who], agency=world.gov, year=2024, data=data)
        assert _actions_since(seq) == []


# A report one may not read is a 404 like a missing one (the may-see rule of web.errors).
@pytest.mark.parametrize("who,status", [("office", 200), ("auditor", 200), ("drafter", 404), ("publisher", 404),
                                        ("handler", 404), ("other_first", 404)])
def test_report_page_permission(world, client, who, status):
    client.force_login(world.people[who])
    assert client.get(f"/audit/report/{world.gov.code}/2024/").status_code == status
    assert client.get(f"/audit/report/{world.gov.code}/2024/drill/t3.new/").status_code == status


def test_report_page_links_every_figure_to_its_list(world, client):
    app = make_application(world.dept, world.handler, applicant_type=T.COMMERCIAL, received="2024-04-02",
                           replied="2024-04-20", outcome=O.PARTIAL)
    client.force_login(world.auditor)
    page = client.get(f"/audit/report/{world.gov.code}/2024/").content.decode()
    url = f"/audit/report/{world.gov.code}/2024/drill/t3.outcome.partial/?col=commercial"
    assert f'href="{url}"' in page
    listing = client.get(url).content.decode()
    assert f"<td>{app.pk}</td>" in listing and "商业企业" in listing
    assert client.get(f"/audit/report/{world.gov.code}/2024/drill/t9.nothing/").status_code == 404


def test_report_edit_page_saves_through_the_action(world, client):
    client.force_login(world.office)
    response = client.post(f"/audit/report/{world.dept.code}/2024/edit/",
                           {"overview": "", "problems": "信息更新不够及时。", "other_matters": "无。"})
    assert response.status_code == 302
    assert AuditRecord.objects.order_by("-seq").first().action == "audit.report.edit"
    client.force_login(world.auditor)
    assert client.post(f"/audit/report/{world.dept.code}/2024/edit/", {"problems": "x"}).status_code == 403


def test_appeal_pages(world, client):
    client.force_login(world.office)
    response = client.post(f"/audit/appeals/{world.dept.code}/", {**CASE, "result": "pending"})
    assert response.status_code == 302
    case = AppealCase.objects.get()
    bad = client.post(f"/audit/appeals/case/{case.pk}/", {**CASE, "result": "maintained", "closed_date": ""})
    assert bad.status_code == 400 and "已审结的案件须填写审结日期" in bad.content.decode()
    ok = client.post(f"/audit/appeals/case/{case.pk}/", {**CASE, "result": "maintained", "closed_date": "2024-06-01"})
    assert ok.status_code == 302 and AppealCase.objects.get().result == "maintained"
    client.force_login(world.auditor)
    assert client.get(f"/audit/appeals/{world.dept.code}/").status_code == 200
    assert client.post(f"/audit/appeals/{world.dept.code}/", CASE).status_code == 403


def test_annual_report_command_every_format(world, tmp_path):
    # given: one application carried into 2025, one case, the office's text
    make_application(world.dept, world.handler, applicant_type=T.NATURAL_PERSON, received="2024-12-28")
    make_application(world.dept, world.handler, applicant_type=T.RESEARCH, received="2024-02-01",
                     replied="2024-02-20", outcome=O.DISCLOSED, fee=150, fee_paid="2024-02-10")
    appeals.create_appeal_case(actor=world.office, agency=world.dept, data=CASE)
    report_actions.save_report_text(actor=world.office, agency=world.gov, year=2024,
                       data={"problems": "政策解读形式较单一。", "other_matters": "重点工作任务均已完成。"})
    code = world.gov.code
    # when / then: json
    call_command("annual_report", agency=code, year=2024, format="json", output=str(tmp_path / "r.json"))
    data = json.loads((tmp_path / "r.json").read_text("utf-8"))
    rows = {r["key"]: r["values"] for r in data["table3"]["rows"]}
    assert rows["t3.new"] == [1, 0, 1, 0, 0, 0, 2] and rows["t3.carried_out"] == [1, 0, 0, 0, 0, 0, 1]
    assert data["table4"]["values"][:5] == [0, 0, 0, 1, 1]
    assert data["section6"]["fees_collected_yuan"] == "150.00" and data["section5"] == "政策解读形式较单一。"
    assert all(c["ok"] for c in data["checks"])
    # docx: real tables
    call_command("annual_report", agency=code, year=2024, format="docx", output=str(tmp_path / "r.docx"))
    doc = Document(str(tmp_path / "r.docx"))
    # a warning box (table 二 figures not entered), table 二 as one table, tables 三 and 四
    assert len(doc.tables) == 4 and "未录入业务系统数据" in doc.tables[0].cell(0, 0).text
    t3 = doc.tables[2]
    assert t3.rows[3].cells[0].text == "一、本年新收政府信息公开申请数量"
    assert [c.text for c in t3.rows[3].cells[3:]] == ["1", "0", "1", "0", "0", "0", "2"]
    assert [c.text for c in doc.tables[3].rows[3].cells[:5]] == ["0", "0", "0", "1", "1"]
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "五、存在的主要问题及改进情况" in body and "政策解读形式较单一。" in body and "信息处理费150.00元" in body
    # pdf and html
    call_command("annual_report", agency=code, year=2024, format="pdf", output=str(tmp_path / "r.pdf"))
    text = "".join(p.extract_text() for p in PdfReader(str(tmp_path / "r.pdf")).pages)
    assert "收到和处理政府信息公开申请情况" in text and "结转下年度继续办理" in text
    call_command("annual_report", agency=code, year=2024, format="html", output=str(tmp_path / "r.html"))
    html = (tmp_path / "r.html").read_text("utf-8")
    assert "宿州市人民政府2024年政府信息公开工作年度报告" in html and "drill" not in html


def test_annual_report_command_bad_agency(world, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不存在"):
        call_command("annual_report", agency="NOPE", year=2024, format="json", output=str(tmp_path / "x"))


def test_report_download_formats(world, client):
    client.force_login(world.auditor)
    # (PDF rendering is covered by the command test: same render() function, and it is slow)
    for fmt, ctype in (("json", "application/json"), ("html", "text/html")):
        response = client.get(f"/audit/report/{world.gov.code}/2024/?format={fmt}")
        assert response.status_code == 200 and response["Content-Type"].startswith(ctype), fmt
        assert response["Content-Disposition"] == f'attachment; filename="annual-report-{world.gov.code}-2024.{fmt}"'
    response = client.get(f"/audit/report/{world.gov.code}/2024/?format=docx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert len(Document(io.BytesIO(response.content)).tables) == 4


@pytest.mark.parametrize("who,sees", [("auditor", True), ("office", True), ("drafter", False),
                                      ("other_first", False)])
def test_index_page(world, client, who, sees):
    client.force_login(world.people[who])
    page = client.get("/audit/").content.decode()
    assert (f"/audit/report/{world.gov.code}/" in page) is sees
    assert ("只有审计员和政务公开办管理员可以导出审核记录" in page) is not sees


def test_annual_report_command_warns_in_the_document_or_forces_with_a_reason(world, tmp_path):
    from django.core.management.base import CommandError

    # given: no text, no table 二 figures: the document carries the warning box
    call_command("annual_report", agency=world.gov.code, year=2024, format="html", output=str(tmp_path / "w.html"))
    assert "本报告存在以下问题" in (tmp_path / "w.html").read_text("utf-8")
    with pytest.raises(CommandError, match="须同时给出"):
        call_command("annual_report", agency=world.gov.code, year=2024, format="html", output=str(tmp_path / "x"),
                     force_reason="第五、六部分另行报送")
    with pytest.raises(CommandError, match="不能编辑年度报告"):
        call_command("annual_report", agency=world.gov.code, year=2024, format="html", output=str(tmp_path / "x"),
                     force_reason="第五、六部分另行报送", user="auditor")
    # when: the office admin forces it
    call_command("annual_report", agency=world.gov.code, year=2024, format="html", output=str(tmp_path / "f.html"),
                 force_reason="第五、六部分另行报送", user="office")
    # then: no box, and the reason is on record
    assert "本报告存在以下问题" not in (tmp_path / "f.html").read_text("utf-8")
    rec = AuditRecord.objects.order_by("-seq").first()
    assert rec.action == "audit.report.force" and rec.comment == "第五、六部分另行报送"
