"""The printed report: PDF layout checked as text and as pictures (repeated table headers, no orphaned
header, labels never broken), DOCX on A4 with heading styles, repeated header rows and table 二 as one
table, and the warning box in every format."""
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from pypdf import PdfReader

from audit.checkpoints import write_checkpoint
from disclosure.codes import ApplicantType as T
from disclosure.codes import Outcome as O
from reports import actions as report_actions
from reports.annual.figures import build_report
from reports.annual.render import render_docx, render_html, render_pdf
from tests.factories import make_application

T3_HEADER_LABELS = ["申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
                    "总计"]
T3_ROW_LABELS = ["本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "予以公开", "属于国家秘密",
                 "本机关不掌握相关政府信息", "信访举报投诉类申请", "结转下年度继续办理"]
T4_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
COMPLETE_TEXT = {"problems": "一是政策解读形式较单一。\n二是信息更新不够及时。",
                 "key_tasks": "按照年度政务公开工作要点，完成重点领域信息公开专栏建设。",
                 "other_matters": "无其他需要报告的事项。",
                 # a long section 一 pushes table 三 across a page break
                 "overview": "\n".join(f"（{i}）政府信息管理和平台建设情况说明，" + "持续规范信息发布流程，" * 12
                                       for i in range(1, 9))}
FIGURES = {k: {"value": v, "source": "省政务服务网审批系统"} for k, v in
           (("admin_licensing", "12876"), ("admin_penalty", "1034"), ("admin_coercion", "37"),
            ("admin_fee", "156.32"))}


@pytest.fixture
def complete_year(world):
    for t in (T.NATURAL_PERSON, T.COMMERCIAL, T.RESEARCH, T.LEGAL_SERVICE):
        make_application(world.dept, world.handler, applicant_type=t, received="2024-03-01", replied="2024-03-20",
                         outcome=O.DISCLOSED)
    make_application(world.dept, world.handler, applicant_type=T.NATURAL_PERSON, received="2024-12-28")
    report_actions.save_report_text(actor=world.office, agency=world.gov, year=2024, data=COMPLETE_TEXT)
    report_actions.save_external_figures(actor=world.office, agency=world.gov, year=2024, figures=FIGURES)
    return world


def _pages(pdf: bytes):
    return [re.sub(r"[ \t]+", "", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def _lines(page):
    return [line.strip() for line in page.splitlines() if line.strip()]


def test_pdf_header_labels_whole_repeated_and_never_alone(complete_year, tmp_path):
    report = build_report(complete_year.gov, 2024)
    assert report.warnings == []
    pdf = render_pdf(report)
    pages = _pages(pdf)
    assert len(pages) >= 3
    t3_pages = [i for i, p in enumerate(pages) if any(label in p for label in T3_ROW_LABELS)]
    # table 三 runs over a page break, and its header is printed again on the next page
    assert len(t3_pages) >= 2, t3_pages
    for i in t3_pages:
        for label in ("申请人情况", "法人或其他组织", "社会公益组织"):
            assert label in pages[i], (i, label)
    # no page has table 三's header without one of its rows (no orphaned header at the foot of a page)
    for i, page in enumerate(pages):
        if "申请人情况" in page:
            assert any(label in page for label in T3_ROW_LABELS), i
    # every header label sits whole on one line: no 自然/人, 商业企/业, 总/计
    for page in (pages[i] for i in t3_pages):
        lines = _lines(page)
        for label in T3_HEADER_LABELS:
            assert any(label in line for line in lines), label
        assert "自然" not in [line for line in lines], "自然人 broken"
    t4_page = next(p for p in pages if "未经复议直接起诉" in p)
    lines = _lines(t4_page)
    for label in T4_LABELS:
        assert any(label in line for line in lines), label
    assert not any(line in ("结果", "维持", "审结", "总", "计") for line in lines)
    # and as pictures: every page renders (pdftoppm at 60 dpi); set REPORT_PNG_DIR to keep them for a look by eye
    if shutil.which("pdftoppm"):
        out = Path(os.environ.get("REPORT_PNG_DIR") or tmp_path)
        (out / "report.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(out / "report.pdf"), str(out / "page")], check=True)
        pngs = sorted(out.glob("page-*.png"))
        assert len(pngs) == len(pages) and all(p.stat().st_size > 5000 for p in pngs)


def test_docx_a4_headings_repeated_header_rows_and_one_table_2(complete_year):
    doc = Document(io.BytesIO(render_docx(build_report(complete_year.gov, 2024))))
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                        "六、其他需要报告的事项"]
    assert doc.paragraphs[0].style.name == "Title"
    assert len(doc.tables) == 3           # no warning box: the report is complete
    t2, t3, t4 = doc.tables
    t2_text = [c.text for row in t2.rows for c in row.cells]
    for label in ("第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项",
                  "行政事业性收费", "12876", "156.3200"):
        assert label in t2_text, label

    def header_rows(table):
        return [i for i, row in enumerate(table.rows) if row._tr.trPr is not None
                and row._tr.trPr.find(qn("w:tblHeader")) is not None]
    assert header_rows(t3) == [0, 1, 2] and header_rows(t4) == [0, 1, 2]
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "完成重点领域信息公开专栏建设" in body and "一是政策解读形式较单一。" in body
    assert "待填写" not in body


def test_warning_in_every_format_unless_forced_with_a_recorded_reason(world, client):
    # given: a reply without an outcome (table 三 fails its check) and no text, no table 二 figures
    make_application(world.dept, world.handler, applicant_type=T.RESEARCH, received="2024-03-01",
                     replied="2024-03-15")
    report = build_report(world.gov, 2024)
    assert not report.ok and report.warnings
    # then: HTML, PDF and DOCX all carry the warning box
    assert "本报告存在以下问题" in render_html(report) and "勾稽关系校验未通过" in render_html(report)
    assert "本报告存在以下问题" in "".join(_pages(render_pdf(report)))
    doc = Document(io.BytesIO(render_docx(report)))
    assert "本报告存在以下问题" in doc.tables[0].cell(0, 0).text
    assert "第五部分“存在的主要问题及改进情况”尚未填写" in doc.tables[0].cell(0, 0).text
    # the web page shows it too, and a download needs ?force=1 and still has the box
    client.force_login(world.office)
    assert client.get(f"/audit/report/{world.gov.code}/2024/?format=html").status_code == 409
    forced = client.get(f"/audit/report/{world.gov.code}/2024/?format=html&force=1")
    assert forced.status_code == 200 and "本报告存在以下问题" in forced.content.decode()
    # when: the office admin issues it without the box, with a reason
    url = f"/audit/report/{world.gov.code}/2024/force/"
    assert client.post(url, {"format": "docx", "reason": ""}).status_code == 400
    response = client.post(url, {"format": "docx", "reason": "科研机构申请的办理结果在原系统中登记，已人工核对"})
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    assert len(doc.tables) == 3 and "本报告存在以下问题" not in "\n".join(p.text for p in doc.paragraphs)
    from audit.models import AuditRecord

    rec = AuditRecord.objects.order_by("-seq").first()
    assert rec.action == "audit.report.force" and rec.comment.startswith("科研机构申请")
    assert rec.data["failed_checks"] == ["subrows"] and rec.data["format"] == "docx"
    # the auditor reads the report but may not force it
    client.force_login(world.auditor)
    assert client.post(url, {"format": "pdf", "reason": "审计员想出具"}).status_code == 403


@pytest.mark.parametrize("paragraphs", [0, 9, 17, 26])
def test_pdf_no_heading_or_header_alone_at_a_page_foot(world, paragraphs):
    # given: section 一 of varying length, so that tables 三 and 四 start at different heights on the page
    report_actions.save_report_text(actor=world.office, agency=world.gov, year=2024, data={
        **COMPLETE_TEXT, "overview": "\n".join("持续规范信息发布流程，" * 6 for _ in range(paragraphs))})
    pages = _pages(render_pdf(build_report(world.gov, 2024)))
    for i, page in enumerate(pages):
        # then: a page with table 三's heading or header also has its first rows; likewise table 四
        if "收到和处理政府信息公开申请情况" in page:
            assert "申请人情况" in page and "本年新收政府信息公开申请数量" in page, (paragraphs, i)
        if "申请人情况" in page:
            assert any(label in page for label in T3_ROW_LABELS + ["属于国家秘密", "其他处理"]), (paragraphs, i)
        if "行政复议、行政诉讼情况" in page:
            assert "未经复议直接起诉" in page and "复议后起诉" in page, (paragraphs, i)


def test_every_format_names_the_audit_checkpoint_it_was_made_under(complete_year):


    report = build_report(complete_year.gov, 2024)
    assert "审计检查点" not in render_html(report)          # none written yet: nothing claimed
    write_checkpoint(force=True)
    html = render_html(report)
    assert "本报告数据对应审计检查点" in html and "审计链" in html
    docx_text = "\n".join(p.text for s in Document(io.BytesIO(render_docx(report))).sections
                          for p in s.footer.paragraphs)
    assert "审计检查点" in docx_text
