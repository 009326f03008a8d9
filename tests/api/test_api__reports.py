"""The annual report's parts through the API: table 二 figures entered and imported (errors by row, nothing
written), texts with versions, and documents as jobs with their warning box unless forced with a reason."""
import io

from docx import Document

from reports.models import ExternalFigure
from tests.factories import last_seq

from .conftest import Api, actions_since, assert_error


def _url(world, part, year=2025):
    return f"/reports/annual/{world.dept.pk}/{year}/{part}"


def test_figures_saved_and_cleared(world):
    office = Api(world.office)
    response = office.post(_url(world, "external-figures"), {
        "admin_licensing": {"value": 12876, "source": "省政务服务网审批系统"},
        "admin_fee": {"value": "156.32", "source": "非税收入管理系统", "note": "单位：万元"}})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["table2"]["admin_licensing"] == 12876 and body["table2"]["admin_fee"] == "156.3200"
    assert {f["kind"]: f["via"] for f in body["figures"]} == {"admin_licensing": "entered", "admin_fee": "entered"}
    cleared = office.post(_url(world, "external-figures"), {"admin_fee": {"value": None}}).json()
    assert [f["kind"] for f in cleared["figures"]] == ["admin_licensing"]
    assert_error(office.post(_url(world, "external-figures"), {"admin_penalty": {"value": 3}}), 400,
                 "invalid_input")  # no source
    assert_error(office.post(_url(world, "external-figures"), {"admin_penalty": {"value": -3, "source": "x"}}), 400)
    assert_error(office.post(_url(world, "external-figures"), {"licences": {"value": 3, "source": "x"}}), 400)
    assert Api(world.auditor).get(_url(world, "external-figures")).json()["table2"]["admin_licensing"] == 12876


def test_import_with_bad_rows_lists_them_and_writes_nothing(world):
    before = last_seq()
    csv = (f"机构代码,报告年度,项目,数值,数据来源\n{world.dept.code},2025,行政处罚,3,执法平台\n"
           f"{world.dept.code},2025,行政处罚,4,执法平台\nNOPE,2025,行政许可,x,\n").encode()
    response = Api(world.office).upload("/reports/annual/external-figures/import", [("台账.csv", csv)])
    body = assert_error(response, 400, "invalid_input")
    assert set(body["errors"]) == {"第3行", "第4行"} and "重复" in body["errors"]["第3行"][0]
    assert not ExternalFigure.objects.exists() and actions_since(before) == []
    good = Api(world.office).upload("/reports/annual/external-figures/import", [("台账.csv", csv.split(b"\n", 2)[0]
                                    + b"\n" + csv.split(b"\n")[1] + b"\n")])
    assert good.status_code == 200 and good.json()["created"] == 1 and len(good.json()["sha256"]) == 64


def test_texts_keep_their_versions(world):
    office = Api(world.office)
    office.patch(_url(world, "texts"), {"problems": "一是解读不足。"})
    body = office.patch(_url(world, "texts"), {"problems": "一是解读形式单一。", "key_tasks": "完成32项任务。"}).json()
    assert body["version"] == 2 and [v["number"] for v in body["versions"]] == [2, 1]
    assert body["versions"][1]["problems"] == "一是解读不足。" and body["overview_generated"].startswith("2025年")
    assert_error(office.patch(_url(world, "texts"), {"problems": "x" * 20001}), 400)


def test_document_carries_the_warning_unless_forced(world):
    auditor, office = Api(world.auditor), Api(world.office)
    job = auditor.post(_url(world, "documents"), {"format": "docx"}).json()
    assert job["status"] == "done" and job["result"]["warnings"] and job["result"]["forced"] is False
    doc = Document(io.BytesIO(b"".join(auditor.get(job["file_url"]).streaming_content)))
    assert "本报告存在以下问题" in doc.tables[0].cell(0, 0).text
    assert_error(auditor.post(_url(world, "documents"), {"format": "docx", "force_reason": "审计员想出具"}), 403)
    assert_error(office.post(_url(world, "documents"), {"format": "docx", "force_reason": "短"}), 400,
                 field="reason")
    before = last_seq()
    forced = office.post(_url(world, "documents"), {"format": "docx", "force_reason": "第五、六部分另行报送"}).json()
    assert actions_since(before) == ["audit.report.force"] and forced["result"]["forced"] is True
    doc = Document(io.BytesIO(b"".join(office.get(forced["file_url"]).streaming_content)))
    assert len(doc.tables) == 3 and "本报告存在以下问题" not in doc.tables[0].cell(0, 0).text
