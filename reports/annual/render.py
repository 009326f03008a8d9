"""Render an AnnualReport as HTML, PDF (WeasyPrint), DOCX (python-docx, real tables) or JSON.

Every format carries the report's warnings (failed cross-checks, unfinished parts) in a box at the top
unless an office admin forced the document out with a recorded reason (reports.actions.force_report)."""
import io
import json

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from weasyprint import HTML

from audit.checkpoints import latest_for as latest_checkpoint
from core.errors import InvalidInput

from .figures import EXTERNAL_LABELS, AnnualReport, drill
from .layouts import GROUP_LABELS

T4_RESULT_LABELS = {"maintained": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结",
                    "total": "总计"}
T2_SECTIONS = [  # (heading, measure label, [(kind, label)]) of table 二's decision and fee parts
    ("第二十条第（五）项", "本年处理决定数量", [("admin_licensing", "行政许可")]),
    ("第二十条第（六）项", "本年处理决定数量", [("admin_penalty", "行政处罚"), ("admin_coercion", "行政强制")]),
    ("第二十条第（八）项", "本年收费金额（单位：万元）", [("admin_fee", "行政事业性收费")]),
]
T3_DOCX_WIDTHS = (12, 14, 14, 19, 19, 10, 12)  # 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
WARNING_TITLE = "【提示】本报告存在以下问题，尚不能作为正式报告报送或公开："


def provenance(report: AnnualReport) -> str:
    """The footer line naming the signed audit checkpoint the figures were read under: the latest checkpoint
    covering the agency's audit chain at the time of rendering (audit.checkpoints). Every format prints it; empty
    when no checkpoint was written yet (run `manage.py audit_checkpoint` before a report that must cite one)."""
    checkpoint = latest_checkpoint(report.agency, at=timezone.now())
    return f"本报告数据对应{checkpoint.label()}" if checkpoint else ""


def _url(report, key, column=""):
    url = reverse("audit:report_drill", args=[report.agency.code, report.year, key])
    return f"{url}?col={column}" if column else url


def _t2_decision_rows(report, cell, links):
    t2 = report.table2
    sections = []
    for heading, measure, kinds in T2_SECTIONS:
        rows = []
        for kind, label in kinds:
            value = t2["admin_fee_wan"] if kind == "admin_fee" else t2["decisions"][kind]
            # An entered figure has no list of items behind it: it links to the figures page instead.
            if t2["sources"][kind]["entered"]:
                c = cell(value, None)
                if links:
                    c["url"] = reverse("audit:report_figures", args=[report.agency.code, report.year])
            else:
                c = cell(value, f"t2.{kind}")
            rows.append({"label": label, "cell": c, "kind": kind})
        sections.append({"heading": heading, "measure": measure, "rows": rows})
    return sections


def _sources_note(report):
    """注 under table 二: where the externally kept figures come from."""
    parts = []
    for kind, label in EXTERNAL_LABELS.items():
        entered = report.table2["sources"][kind]["entered"]
        names = sorted({f.source for f in entered})
        if names:
            parts.append(f"{label}数据来源：{'、'.join(names)}")
        else:
            parts.append(f"{label}数据按本系统公开的信息统计")
    return "注：" + "；".join(parts) + "。"


def context(report: AnnualReport, *, links: bool = True):
    """Template context: every cell as (value, drill-down URL or None)."""
    def cell(value, key, column=""):
        return {"value": value, "url": _url(report, key, column) if links and key else None}

    t2 = report.table2
    docs = [
        {"label": label, "cells": [cell(t2["docs"][t][m], f"t2.{t}.{m}") for m in ("new", "repealed", "valid")]}
        for t, label in (("regulation", "规章"), ("normative_document", "行政规范性文件"))
    ]
    t2_sections = _t2_decision_rows(report, cell, links)

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
    carried = sum(report.table4[(k, "carried_in")] for k, _ in report.layout.table4_columns[::5])
    checks = []
    for c in report.checks:
        anomalies = []
        if not c.ok:
            for key in c.anomaly_keys:
                _, qs = drill(report.agency, report.year, key)
                if qs is not None:
                    anomalies.extend({"obj": a, "key": key} for a in qs[:50])
        checks.append({"check": c, "anomalies": anomalies,
                       "urls": [_url(report, k) for k in c.anomaly_keys] if links else []})
    return {
        "report": report, "layout": report.layout, "links": links,
        "t2_docs": docs, "t2_sections": t2_sections, "t2_note": _sources_note(report),
        "t3_columns": report.layout.table3_columns, "t3_rows": t3_rows, "t3_available": report.table3["available"],
        "t4_cells": t4, "t4_carried": carried, "checks": checks,
        "warnings": report.warnings, "warning_title": WARNING_TITLE,
        "section5": report.section("problems"),
        "section6": report.section("other_matters"),
        "key_tasks": report.section("key_tasks"),
        "overview_extra": report.section("overview"),
        "title": f"{report.agency.name}{report.year}年政府信息公开工作年度报告",
        "generated_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "provenance": provenance(report),
    }


def render_html(report: AnnualReport, *, links: bool = False) -> str:
    """A standalone HTML document (the printable report)."""
    return render_to_string("audit/report_document.html", context(report, links=links))


def render_pdf(report: AnnualReport) -> bytes:
    return HTML(string=render_html(report)).write_pdf()


def render_json(report: AnnualReport) -> str:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2)


# --- DOCX -----------------------------------------------------------------------------------------

def _set_cell(cell, text, *, bold=False, size=None, align=WD_ALIGN_PARAGRAPH.CENTER):
    cell.text = ""
    para = cell.paragraphs[0]
    para.alignment = align
    run = para.add_run(str(text))
    run.bold = bold
    run.font.size = Pt(size or 9)


def _cjk_font(style, name="宋体", ascii_name=None):
    style.font.name = ascii_name or name
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _repeat_header(table, count):
    """Mark the first `count` rows as header rows, repeated by Word at the top of every page (w:tblHeader),
    and keep each row on one page."""
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        if i < count:
            tr_pr.append(OxmlElement("w:tblHeader"))
        cant = OxmlElement("w:cantSplit")
        tr_pr.append(cant)


def _widths(table, widths_mm, *, margin_mm=1.0):
    """Fixed column widths (grid and every cell) and narrow cell margins, so each header label fits its column
    on one line in Word and WPS (Word's default margins of 1.9 mm would break 结果维持 in table 四)."""
    table.autofit = False  # w:tblLayout type="fixed"
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(margin_mm * 56.7)))  # twentieths of a point: 1 mm = 56.7
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    # schema order within w:tblPr: tblCellMar comes before tblLook
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    for column, width in zip(table.columns, widths_mm, strict=False):
        column.width = Mm(width)
    # Each cell's preferred width is the sum of the columns it spans (after the merges).
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Mm(sum(widths_mm[col:col + span]))
            col += span


def _a4(doc):
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(25), Mm(20)


def _styles(doc):
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    _cjk_font(normal, "仿宋_GB2312", "Times New Roman")
    for name, size, font in (("Title", 18, "方正小标宋简体"), ("Heading 1", 15, "黑体"),
                             ("Heading 2", 13, "楷体_GB2312")):
        style = doc.styles[name]
        style.font.size = Pt(size)
        style.font.bold = name != "Heading 2"
        style.font.color.rgb = RGBColor(0, 0, 0)
        _cjk_font(style, font)
        style.paragraph_format.keep_with_next = True


def _docx_warning(doc, warnings):
    table = doc.add_table(rows=1, cols=1)
    table.style = "Table Grid"
    cell = table.cell(0, 0)
    cell.text = ""
    para = cell.paragraphs[0]
    run = para.add_run(WARNING_TITLE)
    run.bold = True
    run.font.color.rgb = RGBColor(0xB3, 0x21, 0x1E)
    for line in warnings:
        p = cell.add_paragraph()
        r = p.add_run(f"· {line}")
        r.font.size = Pt(10)
        r.font.color.rgb = RGBColor(0xB3, 0x21, 0x1E)


def _docx_table2(doc, ctx):
    """Table 二 as one table of four columns, like the national form."""
    sections = ctx["t2_sections"]
    n_rows = 2 + len(ctx["t2_docs"]) + sum(2 + len(s["rows"]) for s in sections)
    t = doc.add_table(rows=n_rows, cols=4)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    g = [list(row.cells) for row in t.rows]
    g[0][0].merge(g[0][3])
    _set_cell(g[0][0], "第二十条第（一）项", bold=True)
    for i, h in enumerate(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]):
        _set_cell(g[1][i], h, bold=True)
    r = 2
    for row in ctx["t2_docs"]:
        _set_cell(g[r][0], row["label"])
        for c, cell in enumerate(row["cells"], start=1):
            _set_cell(g[r][c], cell["value"])
        r += 1
    for section in sections:
        g[r][0].merge(g[r][3])
        _set_cell(g[r][0], section["heading"], bold=True)
        _set_cell(g[r + 1][0], "信息内容", bold=True)
        g[r + 1][1].merge(g[r + 1][3])
        _set_cell(g[r + 1][1], section["measure"], bold=True)
        r += 2
        for row in section["rows"]:
            _set_cell(g[r][0], row["label"])
            g[r][1].merge(g[r][3])
            _set_cell(g[r][1], row["cell"]["value"])
            r += 1
    _widths(t, (50, 40, 40, 40))
    _repeat_header(t, 0)
    return t


def _docx_table3(doc, ctx):
    cols = ctx["t3_columns"]
    rows = ctx["t3_rows"]
    # Layout: 3 label columns (row / group / sub-row) + 7 numbers; 3 header rows repeated on every page.
    t = doc.add_table(rows=3 + len(rows), cols=3 + len(cols))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    # The cells once, row by row: python-docx's table.cell() walks the whole grid on every call.
    g = [list(row.cells) for row in t.rows]
    g[0][0].merge(g[2][2])
    _set_cell(g[0][0], "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", size=8)
    g[0][3].merge(g[0][3 + len(cols) - 1])
    _set_cell(g[0][3], "申请人情况", bold=True)
    g[1][3].merge(g[2][3])
    _set_cell(g[1][3], "自然人", bold=True, size=8)
    g[1][4].merge(g[1][3 + len(cols) - 2])
    _set_cell(g[1][4], "法人或其他组织", bold=True)
    for i, (_, label) in enumerate(cols[1:-1], start=4):
        _set_cell(g[2][i], label, bold=True, size=8)
    last = 3 + len(cols) - 1
    g[1][last].merge(g[2][last])
    _set_cell(g[1][last], "总计", bold=True, size=8)
    results_start = next(i for i, r in enumerate(rows) if r["row"].level > 0)
    results_end = next(i for i, r in enumerate(rows) if r["row"].group == "七")
    left = WD_ALIGN_PARAGRAPH.LEFT
    for i, r in enumerate(rows):
        ri = 3 + i
        row = r["row"]
        if row.level == 0:
            g[ri][0].merge(g[ri][2])
            _set_cell(g[ri][0], row.label, align=left)
        elif row.level == 1:
            g[ri][1].merge(g[ri][2])
            _set_cell(g[ri][1], row.label, align=left)
        else:
            if r["group_header"]:
                g[ri][1].merge(g[ri + r["group_header"]["span"] - 1][1])
                _set_cell(g[ri][1], r["group_header"]["label"], align=left)
            _set_cell(g[ri][2], row.label, align=left, size=8)
        for c, cell in enumerate(r["cells"], start=3):
            _set_cell(g[ri][c], cell["value"])
    g[3 + results_start][0].merge(g[3 + results_end][0])
    _set_cell(g[3 + results_start][0], "三、本年度办理结果")
    # 8 pt labels: 社会公益组织 / 法律服务机构 need 17 mm, 商业企业 / 科研机构 12 mm; 170 mm in all.
    _widths(t, (8, 22, 40) + T3_DOCX_WIDTHS[:len(cols)])
    _repeat_header(t, 3)
    return t


def _docx_table4(doc, ctx, report):
    t = doc.add_table(rows=4, cols=15)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    g = [list(row.cells) for row in t.rows]
    g[0][0].merge(g[1][4])
    _set_cell(g[0][0], "行政复议", bold=True)
    g[0][5].merge(g[0][14])
    _set_cell(g[0][5], "行政诉讼", bold=True)
    g[1][5].merge(g[1][9])
    _set_cell(g[1][5], "未经复议直接起诉", bold=True)
    g[1][10].merge(g[1][14])
    _set_cell(g[1][10], "复议后起诉", bold=True)
    for i, (_, res) in enumerate(report.layout.table4_columns):
        _set_cell(g[2][i], T4_RESULT_LABELS[res], bold=True, size=7)
        _set_cell(g[3][i], ctx["t4_cells"][i]["value"])
    _widths(t, (11.3,) * 15, margin_mm=0.4)  # 4 characters at 7 pt: 9.9 mm
    _repeat_header(t, 3)
    return t


def render_docx(report: AnnualReport) -> bytes:
    """A Word document on A4 with heading styles and real (merged-cell) tables whose header rows repeat on
    every page, which offices finish in Word or WPS."""
    ctx = context(report, links=False)
    doc = Document()
    _a4(doc)
    _styles(doc)

    title = doc.add_paragraph(ctx["title"], style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if ctx["warnings"]:
        _docx_warning(doc, ctx["warnings"])

    def text(body):
        for para in (body or "").splitlines():
            if para.strip():
                p = doc.add_paragraph(para.strip())
                p.paragraph_format.first_line_indent = Pt(24)

    sections = dict(report.layout.sections)
    text(f"本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
         f"（{report.layout.title}）要求编制。本报告所列数据的统计期限自{report.year}年1月1日起至"
         f"{report.year}年12月31日止。")
    doc.add_heading(f"一、{sections['一']}", level=1)
    text(report.overview)
    text(ctx["overview_extra"])

    doc.add_heading(f"二、{sections['二']}", level=1)
    _docx_table2(doc, ctx)
    note = doc.add_paragraph(ctx["t2_note"])
    note.runs[0].font.size = Pt(9)

    doc.add_heading(f"三、{sections['三']}", level=1)
    _docx_table3(doc, ctx)

    doc.add_heading(f"四、{sections['四']}", level=1)
    _docx_table4(doc, ctx, report)
    if ctx["t4_carried"]:
        p = doc.add_paragraph(f"注：总计含上年度结转的案件{ctx['t4_carried']}件。")
        p.runs[0].font.size = Pt(9)

    doc.add_heading(f"五、{sections['五']}", level=1)
    text(ctx["section5"])
    doc.add_heading(f"六、{sections['六']}", level=1)
    if report.fees is not None:
        text(f"本年度收取信息处理费{report.fees}元。")
    text(ctx["key_tasks"])
    text(ctx["section6"])

    footer = doc.sections[0].footer.paragraphs[0]
    footer.text = f"生成时间：{ctx['generated_at']}" + (f"　{ctx['provenance']}" if ctx["provenance"] else "")
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
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
    raise InvalidInput(f"不支持的格式“{fmt}”，可选：html、pdf、docx、json", en="Unknown format", field="format")


__all__ = ["render", "render_html", "render_pdf", "render_docx", "render_json", "context", "provenance"]
