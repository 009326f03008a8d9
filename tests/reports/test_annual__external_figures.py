"""Table 二 figures kept in other systems: entered per agency and year, imported from the downloadable
template (XLSX or CSV, all rows or none, every bad row listed, audited with the file's hash), and used by the
report instead of counting items (the count stays only as the fallback of an agency without a figure)."""
import csv
import hashlib
import io
from decimal import Decimal

import pytest
from freezegun import freeze_time
from openpyxl import Workbook, load_workbook

from audit.models import AuditRecord
from core.errors import InvalidInput, NotAllowedForYou
from reports import actions as report_actions
from reports import figure_files
from reports.annual.figures import build_report, drill
from reports.models import ExternalFigure
from tests.factories import last_seq, publish_at

EVERYONE = ["drafter", "drafter2", "proof1", "first", "second", "final", "secrecy", "legal", "publisher", "office",
            "auditor", "handler", "other_first", "multi"]
FIGS = {"admin_licensing": {"value": "12876", "source": "省政务服务网审批系统", "note": "含告知承诺制"},
        "admin_fee": {"value": "156.32", "source": "非税收入管理系统"}}


def _actions_since(seq):
    return list(AuditRecord.objects.filter(seq__gt=seq).order_by("seq").values_list("action", flat=True))


def _xlsx(rows, header=figure_files.HEADERS):
    book = Workbook()
    sheet = book.active
    sheet.title = "表二数据"
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows, encoding="utf-8-sig"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(figure_files.HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


@pytest.mark.parametrize("who", EVERYONE)
def test_entering_figures_per_role(world, who):
    seq = last_seq()
    actor = world.people[who]
    if who == "office":
        report_actions.save_external_figures(actor=actor, agency=world.dept, year=2024, figures=FIGS)
        report_actions.save_external_figures(actor=actor, agency=world.dept, year=2024, figures=FIGS)  # unchanged
        assert _actions_since(seq) == ["audit.report.figures"]
        rec = AuditRecord.objects.filter(seq__gt=seq).order_by("seq").first()
        assert rec.agency == world.dept and rec.data["changes"]["admin_licensing"]["to"]["value"] == "12876"
        assert ExternalFigure.objects.get(kind="admin_fee").value == Decimal("156.3200")
    else:
        with pytest.raises(NotAllowedForYou):
            report_actions.save_external_figures(actor=actor, agency=world.dept, year=2024, figures=FIGS)
        assert _actions_since(seq) == [] and not ExternalFigure.objects.exists()


@pytest.mark.parametrize("kind,value,source,message", [
    ("admin_licensing", "-1", "系统", "不能为负数"),
    ("admin_licensing", "12.5", "系统", "应为整数"),
    ("admin_licensing", "abc", "系统", "不是数字"),
    ("admin_licensing", "999999999999", "系统", "超出范围"),
    ("admin_fee", "1.23456", "系统", "最多四位小数"),
    ("admin_fee", "12", "", "请填写数据来源"),
    ("admin_permit", "12", "系统", "项目只能是"),
])
def test_entering_bad_figures(world, kind, value, source, message):
    with pytest.raises(InvalidInput, match=message):
        report_actions.save_external_figures(actor=world.office, agency=world.dept, year=2024,
                                             figures={kind: {"value": value, "source": source}})
    assert not ExternalFigure.objects.exists()


@freeze_time("2026-11-26 10:00:00+08:00")
def test_a_future_year_is_refused(world):
    with pytest.raises(InvalidInput, match="报告年度应在 2021 至 2026 年之间"):
        report_actions.save_external_figures(actor=world.office, agency=world.dept, year=2027, figures=FIGS)


def test_clearing_a_figure_restores_the_count(world, fast_policy):
    publish_at(world, "2024-02-10 10:00:00+08:00", title="行政许可决定", info_type="admin_licensing")
    report_actions.save_external_figures(actor=world.office, agency=world.dept, year=2024, figures=FIGS)
    assert build_report(world.gov, 2024).table2["decisions"]["admin_licensing"] == 12876
    report_actions.save_external_figures(actor=world.office, agency=world.dept, year=2024,
                                         figures={"admin_licensing": {"value": ""}})
    assert build_report(world.gov, 2024).table2["decisions"]["admin_licensing"] == 1
    assert AuditRecord.objects.filter(action="audit.report.figures").count() == 2


def test_entered_figures_replace_the_count_per_agency(world, fast_policy):
    # given: items of each type published by the department, and a figure entered for the government only
    for i in range(3):
        publish_at(world, f"2024-0{i + 2}-10 10:00:00+08:00", title=f"行政许可决定{i}", info_type="admin_licensing")
    publish_at(world, "2024-03-10 10:00:00+08:00", title="收费", info_type="admin_fee", fee_amount=Decimal("20000"))
    report = build_report(world.gov, 2024)
    assert report.table2["decisions"]["admin_licensing"] == 3
    assert any("行政许可" in n for n in report.notices)
    report_actions.save_external_figures(actor=world.office, agency=world.gov, year=2024, figures=FIGS)
    # when
    report = build_report(world.gov, 2024)
    # then: the government's entered figure plus the department's count (it entered none)
    assert report.table2["decisions"]["admin_licensing"] == 12876 + 3
    assert report.table2["admin_fee_wan"] == Decimal("156.3200") + Decimal("2.0000")
    assert not any("行政许可" in n for n in report.notices) and any("行政处罚" in n for n in report.notices)
    _, qs = drill(world.gov, 2024, "t2.admin_licensing")
    assert qs.count() == 3
    # once the department enters its figure (0: it issues no licences), its items are no longer counted
    report_actions.save_external_figures(actor=world.office, agency=world.dept, year=2024, figures={
        "admin_licensing": {"value": "0", "source": "区政务服务中心台账"}})
    report = build_report(world.gov, 2024)
    assert report.table2["decisions"]["admin_licensing"] == 12876
    assert drill(world.gov, 2024, "t2.admin_licensing")[1].count() == 0
    assert build_report(world.dept, 2024).table2["decisions"]["admin_licensing"] == 0
    assert "省政务服务网审批系统" in report.as_json()["table2"]["sources"]["admin_licensing"]["entered"][0]["source"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_template_downloads_and_imports_as_is_after_filling(world, client, fmt):
    client.force_login(world.office)
    response = client.get(f"/audit/report/figures/template.{fmt}")
    assert response.status_code == 200
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [c.value for c in sheet[1]] == figure_files.HEADERS
    else:
        assert response.content.decode("utf-8-sig").splitlines()[0] == ",".join(figure_files.HEADERS)
    # the example rows name an agency code of the template; filled in with ours, the file imports
    content = response.content
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(content))
        for row in book["表二数据"].iter_rows(min_row=2):
            row[0].value, row[1].value = world.dept.code, "2024"
        out = io.BytesIO()
        book.save(out)
        content = out.getvalue()
    else:
        content = content.decode("utf-8-sig").replace("340000-001", world.dept.code).replace(",2025,", ",2024,")
        content = content.encode("utf-8-sig")
    result = report_actions.import_external_figures(actor=world.office, file_name=f"表二.{fmt}", data=content)
    assert result.rows == 4 and result.created == 4
    assert build_report(world.dept, 2024).table2["decisions"]["admin_penalty"] == 1034


def test_import_changes_table_2_and_is_audited_with_the_file_hash(world, client, fast_policy):
    publish_at(world, "2024-02-10 10:00:00+08:00", title="行政许可决定", info_type="admin_licensing")
    before = build_report(world.gov, 2024).table2
    assert before["decisions"] == {"admin_licensing": 1, "admin_penalty": 0, "admin_coercion": 0}
    data = _xlsx([
        [world.gov.code, 2024, "行政许可", 20000, "省政务服务网审批系统", ""],
        [world.dept.code, 2024, "行政许可", 345, "区政务服务中心", ""],
        [world.dept.code, 2024, "行政处罚", "1,034", "省行政执法监督平台", ""],
        [world.dept.code, "2024年", "行政强制", 7.0, "省行政执法监督平台", ""],
        [world.gov.code, 2024, "行政事业性收费", 88.5, "非税收入管理系统", "单位：万元"],
        [world.gov.code, 2023, "行政许可", 15000, "省政务服务网审批系统", ""],
    ])
    seq = last_seq()
    client.force_login(world.office)
    response = client.post("/audit/report/figures/import/", {"file": io.BytesIO(data)}, format="multipart")
    # (the test client names a BytesIO "file"; the reader recognises XLSX by its content)
    assert response.status_code == 200, response.content.decode()[:2000]
    after = build_report(world.gov, 2024).table2
    assert after["decisions"] == {"admin_licensing": 20345, "admin_penalty": 1034, "admin_coercion": 7}
    assert after["admin_fee_wan"] == Decimal("88.5000")
    assert build_report(world.gov, 2023).table2["decisions"]["admin_licensing"] == 15000
    sha = hashlib.sha256(data).hexdigest()
    records = AuditRecord.objects.filter(seq__gt=seq).order_by("seq")
    assert [(r.action, r.agency.code) for r in records] == sorted(
        [("audit.report.figures_import", world.gov.code), ("audit.report.figures_import", world.dept.code)],
        key=lambda x: x[1])
    assert all(r.data["sha256"] == sha and r.data["rows"] == 6 for r in records)
    assert set(ExternalFigure.objects.values_list("file_hash", flat=True)) == {sha}
    assert set(ExternalFigure.objects.values_list("via", flat=True)) == {"imported"}
    assert sha in response.content.decode()


def test_import_with_errors_changes_nothing_and_lists_every_bad_row(world, client):
    report_actions.save_external_figures(actor=world.office, agency=world.dept, year=2024, figures=FIGS)
    seq = last_seq()
    data = _csv([
        [world.dept.code, "2024", "行政许可", "1", "系统", ""],           # good, but the file fails
        ["NOPE", "2024", "行政许可", "1", "系统", ""],                    # unknown agency
        [world.dept.code, "二〇二四", "行政许可", "1", "系统", ""],        # bad year
        [world.dept.code, "2024", "行政许可证", "1", "系统", ""],          # unknown kind
        [world.dept.code, "2024", "行政处罚", "-3", "系统", ""],           # negative
        [world.dept.code, "2024", "行政处罚", "3", "", ""],               # no source
        [world.dept.code, "2024", "行政许可", "2", "系统", ""],           # duplicate of row 2
        [world.other.code, "2024", "行政处罚", "3", "系统", ""],          # another agency's
    ], encoding="gb18030")
    with pytest.raises(InvalidInput) as exc:
        report_actions.import_external_figures(actor=world.office, file_name="台账.csv", data=data)
    errors = exc.value.errors
    assert set(errors) == {"第4行", "第5行", "第6行", "第7行", "第8行"}, errors
    assert "应为四位数年份" in errors["第4行"] and "行政许可证" in errors["第5行"]
    assert "不能为负数" in errors["第6行"] and "数据来源" in errors["第7行"] and "与第2行重复" in errors["第8行"]
    # the agency rows are checked once the cells are: fix the cells, the agency errors remain
    fixed = _csv([[world.dept.code, "2024", "行政许可", "1", "系统", ""], ["NOPE", "2024", "行政许可", "1", "系统", ""],
                  [world.other.code, "2024", "行政处罚", "3", "系统", ""]])
    with pytest.raises(InvalidInput) as exc:
        report_actions.import_external_figures(actor=world.office, file_name="台账.csv", data=fixed)
    assert set(exc.value.errors) == {"第3行", "第4行"} and "不存在" in exc.value.errors["第3行"]
    assert "政务公开办管理员" in exc.value.errors["第4行"]
    # nothing changed, nothing audited
    assert ExternalFigure.objects.get(kind="admin_licensing").value == 12876
    assert _actions_since(seq) == []
    # the web page lists every row
    client.force_login(world.office)
    response = client.post("/audit/report/figures/import/", {"file": _named(data, "台账.csv")})
    assert response.status_code == 400
    page = response.content.decode()
    assert all(f"第{n}行" in page for n in range(4, 9)) and "未导入任何数据" in page


def _named(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize("data,name,message", [
    (b"", "x.csv", "文件是空的"),
    (b"a,b\n1,2\n", "x.csv", "表头缺少列"),
    (b"PK\x03\x04broken", "x.xlsx", "无法读取"),
    (b"hello", "x.pdf", "只能导入 XLSX 或 CSV"),
    ("机构代码,报告年度,项目,数值,数据来源\n".encode(), "x.csv", "没有数据行"),
])
def test_import_of_a_bad_file(world, data, name, message):
    with pytest.raises(InvalidInput, match=message):
        report_actions.import_external_figures(actor=world.office, file_name=name, data=data)


@pytest.mark.parametrize("who", ["auditor", "drafter", "handler", "other_first"])
def test_import_is_for_office_admins(world, client, who):
    data = _csv([[world.dept.code, "2024", "行政许可", "1", "系统", ""]])
    with pytest.raises(NotAllowedForYou):
        report_actions.import_external_figures(actor=world.people[who], file_name="a.csv", data=data)
    client.force_login(world.people[who])
    assert client.get("/audit/report/figures/import/").status_code == 403


def test_figures_page_enters_and_shows(world, client):
    client.force_login(world.office)
    url = f"/audit/report/{world.dept.code}/2024/figures/"
    bad = client.post(url, {"admin_licensing-value": "x", "admin_licensing-source": "系统"})
    assert bad.status_code == 400 and "不是数字" in bad.content.decode()
    ok = client.post(url, {"admin_licensing-value": "12", "admin_licensing-source": "审批系统"})
    assert ok.status_code == 302
    assert ExternalFigure.objects.get().value == 12
    client.force_login(world.auditor)
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and "审批系统" in body and "admin_licensing-value" not in body
    assert client.post(url, {"admin_licensing-value": "13", "admin_licensing-source": "审批系统"}).status_code == 403
    client.force_login(world.people["drafter"])
    assert client.get(url).status_code == 404
