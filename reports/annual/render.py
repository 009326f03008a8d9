"""Render an AnnualReport as HTML, PDF (WeasyPrint), DOCX (python-docx, real tables) or JSON."""
import io
import json

from django.template.loader import render_to_string
from django.urls import reverse

from .figures import AnnualReport
from .layouts import GROUP_LABELS

T4_RESULT_LABELS = {"maintained": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结",
                    "total": "总计"}


def _url(report, key, column=""):
    url = reverse("audit:report_drill", args=[report.agency.code, report.year, key])
    return f"{url}?col={column}" if column else url


def context(report: AnnualReport, *, links: bool = True):
    """Template context: every cell as (value, drill-down URL or None)."""
    def cell(value, key, column=""):
        return {"value": value, "url": _url(report, key, column) if links else None}

    t2 = report.table2
    docs = [
        {"label": label, "cells": [cell(t2["docs"][t][m], f"t2.{t}.{m}") for m in ("new", "repealed", "valid")]}
        for t, label in (("regulation", "规章"), ("normative_document", "行政规范性文件"))
    ]
    decisions5 = [{"label": "行政许可", "cell": cell(t2["decisions"]["admin_licensing"], "t2.admin_licensing")}]
    decisions6 = [{"label": "行政处罚", "cell": cell(t2["decisions"]["admin_penalty"], "t2.admin_penalty")},
                  {"label": "行政强制", "cell": cell(t2["decisions"]["admin_coercion"], "t2.admin_coercion")}]
    fee = cell(t2["admin_fee_wan"], "t2.admin_fee")

    cols = [c for c, _ in report.layout.table3_columns]
    t3_rows, seen_groups = [], set()
    for r in report.layout.table3_rows:
        header = None
        if r.level == 2 and r.group not in seen_groups:
            seen_groups.add(r.group)
            span = sum(1 for x in report.layout.table3_rows if x.group == r.group)
            header = {"label": GROUP_LABELS[r.group], "span": span}
        t3_rows.append({
            "row": r, "group_header": header,
            "cells": [cell(report.table3["rows"][r.key][c], r.key, c) for c in cols],
        })
    t4 = [cell(report.table4[(k, res)], f"t4.{k}.{res}") for k, res in report.layout.table4_columns]
    checks = []
    for c in report.checks:
        anomalies = []
        if not c.ok:
            from .figures import drill

            for key in c.anomaly_keys:
                _, qs = drill(report.agency, report.year, key)
                if qs is not None:
                    anomalies.extend({"obj": a, "key": key} for a in qs[:50])
        checks.append({"check": c, "anomalies": anomalies,
                       "urls": [_url(report, k) for k in c.anomaly_keys] if links else []})
    return {
        "report": report, "layout": report.layout, "links": links,
        "t2_docs": docs, "t2_decisions5": decisions5, "t2_decisions6": decisions6, "t2_fee": fee,
        "t3_columns": report.layout.table3_columns, "t3_rows": t3_rows, "t3_available": report.table3["available"],
        "t4_cells": t4, "checks": checks,
        "section5": report.text.problems if report.text else "",
        "section6": report.text.other_matters if report.text else "",
        "overview_extra": report.text.overview if report.text else "",
        "title": f"{report.agency.name}{report.year}年政府信息公开工作年度报告",
    }


def render_html(report: AnnualReport, *, links: bool = False) -> str:
    """A standalone HTML document (the printable report)."""
    return render_to_string("audit/report_document.html", context(report, links=links))


def render_pdf(report: AnnualReport) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(report)).write_pdf()


def render_json(report: AnnualReport) -> str:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2)


# --- DOCX -----------------------------------------------------------------------------------------

def _set_cell(cell, text, *, bold=False, size=None):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    cell.text = ""
    para = cell.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(str(text))
    run.bold = bold
    run.font.size = Pt(size or 9)


def _cjk_font(style, name="宋体"):
    from docx.oxml.ns import qn

    style.font.name = name
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def render_docx(report: AnnualReport) -> bytes:
    """A Word document with real (merged-cell) tables that offices finish in Word or WPS."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    ctx = context(report, links=False)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(11)
    _cjk_font(style)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(ctx["title"])
    run.bold = True
    run.font.size = Pt(16)

    def heading(text):
        p = doc.add_paragraph()
        r = p.add_run(text)
        r.bold = True
        r.font.size = Pt(13)

    def text(body):
        for para in (body or "").splitlines() or [""]:
            if para.strip():
                doc.add_paragraph(para.strip())

    sections = dict(report.layout.sections)
    heading(f"一、{sections['一']}")
    text(report.overview)
    text(ctx["overview_extra"])

    heading(f"二、{sections['二']}")
    t = doc.add_table(rows=4, cols=4)
    t.style = "Table Grid"
    t.cell(0, 0).merge(t.cell(0, 3))
    _set_cell(t.cell(0, 0), "第二十条第（一）项", bold=True)
    for i, h in enumerate(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]):
        _set_cell(t.cell(1, i), h, bold=True)
    for r, row in enumerate(ctx["t2_docs"], start=2):
        _set_cell(t.cell(r, 0), row["label"])
        for c, cell in enumerate(row["cells"], start=1):
            _set_cell(t.cell(r, c), cell["value"])
    doc.add_paragraph()
    for heading_text, rows, measure in (("第二十条第（五）项", ctx["t2_decisions5"], "本年处理决定数量"),
                                        ("第二十条第（六）项", ctx["t2_decisions6"], "本年处理决定数量"),
                                        ("第二十条第（八）项", [{"label": "行政事业性收费", "cell": ctx["t2_fee"]}],
                                         "本年收费金额（单位：万元）")):
        t = doc.add_table(rows=2 + len(rows), cols=2)
        t.style = "Table Grid"
        t.cell(0, 0).merge(t.cell(0, 1))
        _set_cell(t.cell(0, 0), heading_text, bold=True)
        _set_cell(t.cell(1, 0), "信息内容", bold=True)
        _set_cell(t.cell(1, 1), measure, bold=True)
        for r, row in enumerate(rows, start=2):
            _set_cell(t.cell(r, 0), row["label"])
            _set_cell(t.cell(r, 1), row["cell"]["value"])
        doc.add_paragraph()

    heading(f"三、{sections['三']}")
    cols = ctx["t3_columns"]
    rows = ctx["t3_rows"]
    # Layout: 3 label columns (row / group / sub-row) + 7 numbers; 3 header rows.
    t = doc.add_table(rows=3 + len(rows), cols=3 + len(cols))
    t.style = "Table Grid"
    t.cell(0, 0).merge(t.cell(2, 2))
    _set_cell(t.cell(0, 0), "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", size=8)
    t.cell(0, 3).merge(t.cell(0, 3 + len(cols) - 1))
    _set_cell(t.cell(0, 3), "申请人情况", bold=True)
    t.cell(1, 3).merge(t.cell(2, 3))
    _set_cell(t.cell(1, 3), "自然人", bold=True)
    t.cell(1, 4).merge(t.cell(1, 3 + len(cols) - 2))
    _set_cell(t.cell(1, 4), "法人或其他组织", bold=True)
    for i, (_, label) in enumerate(cols[1:-1], start=4):
        _set_cell(t.cell(2, i), label, bold=True)
    last = 3 + len(cols) - 1
    t.cell(1, last).merge(t.cell(2, last))
    _set_cell(t.cell(1, last), "总计", bold=True)
    results_start = next(i for i, r in enumerate(rows) if r["row"].level > 0)
    results_end = next(i for i, r in enumerate(rows) if r["row"].group == "七")
    for i, r in enumerate(rows):
        ri = 3 + i
        row = r["row"]
        if row.level == 0:
            t.cell(ri, 0).merge(t.cell(ri, 2))
            _set_cell(t.cell(ri, 0), row.label)
        elif row.level == 1:
            t.cell(ri, 1).merge(t.cell(ri, 2))
            _set_cell(t.cell(ri, 1), row.label)
        else:
            if r["group_header"]:
                t.cell(ri, 1).merge(t.cell(ri + r["group_header"]["span"] - 1, 1))
                _set_cell(t.cell(ri, 1), r["group_header"]["label"])
            _set_cell(t.cell(ri, 2), row.label)
        for c, cell in enumerate(r["cells"], start=3):
            _set_cell(t.cell(ri, c), cell["value"])
    t.cell(3 + results_start, 0).merge(t.cell(3 + results_end, 0))
    _set_cell(t.cell(3 + results_start, 0), "三、本年度办理结果")

    heading(f"四、{sections['四']}")
    t = doc.add_table(rows=4, cols=15)
    t.style = "Table Grid"
    t.cell(0, 0).merge(t.cell(1, 4))
    _set_cell(t.cell(0, 0), "行政复议", bold=True)
    t.cell(0, 5).merge(t.cell(0, 14))
    _set_cell(t.cell(0, 5), "行政诉讼", bold=True)
    t.cell(1, 5).merge(t.cell(1, 9))
    _set_cell(t.cell(1, 5), "未经复议直接起诉", bold=True)
    t.cell(1, 10).merge(t.cell(1, 14))
    _set_cell(t.cell(1, 10), "复议后起诉", bold=True)
    for i, (_, res) in enumerate(report.layout.table4_columns):
        _set_cell(t.cell(2, i), T4_RESULT_LABELS[res], bold=True, size=8)
        _set_cell(t.cell(3, i), ctx["t4_cells"][i]["value"])

    heading(f"五、{sections['五']}")
    text(ctx["section5"])
    heading(f"六、{sections['六']}")
    if report.fees is not None:
        doc.add_paragraph(f"本年度收取信息处理费{report.fees}元。")
    text(ctx["section6"])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render(report: AnnualReport, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file extension) for html | pdf | docx | json."""
    if fmt == "html":
        return render_html(report).encode("utf-8"), "text/html; charset=utf-8", "html"
    if fmt == "pdf":
        return render_pdf(report), "application/pdf", "pdf"
    if fmt == "docx":
        return (render_docx(report),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
    if fmt == "json":
        return render_json(report).encode("utf-8"), "application/json; charset=utf-8", "json"
    from core.errors import InvalidInput

    raise InvalidInput(f"不支持的格式“{fmt}”，可选：html、pdf、docx、json", en="Unknown format", field="format")


__all__ = ["render", "render_html", "render_pdf", "render_docx", "render_json", "context"]
