"""Sections 一, 五 and 六 edited with their history; section 一 generated or the office's final wording; table
三 上年结转 and table 四 尚未审结 carried from one year into the next, also for applications and cases entered
long after the fact (backfilled from a ledger, with their real dates)."""
import pytest
from freezegun import freeze_time

from disclosure import appeals
from disclosure.codes import ApplicantType as T
from disclosure.codes import Outcome as O
from reports import actions as report_actions
from reports.annual.figures import build_report
from reports.models import AnnualReportTextVersion
from tests.factories import make_application

COLS = ["natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total"]


def row(report, key):
    return [report.table3["rows"][key][c] for c in COLS]


def test_every_saved_change_is_a_version(world, client):
    save = report_actions.save_report_text
    save(actor=world.office, agency=world.gov, year=2024, data={"problems": "一是解读不足。"})
    save(actor=world.office, agency=world.gov, year=2024, data={"problems": "一是解读不足。"})  # unchanged
    text = save(actor=world.office, agency=world.gov, year=2024,
                data={"problems": "一是解读形式单一。", "key_tasks": "工作要点32项任务全部完成。"})
    assert text.version == 2
    versions = list(AnnualReportTextVersion.objects.filter(text=text).order_by("number"))
    assert [(v.number, v.changed) for v in versions] == [(1, ["problems"]), (2, ["problems", "key_tasks"])]
    assert versions[0].problems == "一是解读不足。" and versions[1].key_tasks == "工作要点32项任务全部完成。"
    client.force_login(world.auditor)
    page = client.get(f"/audit/report/{world.gov.code}/2024/history/").content.decode()
    assert "第 2 版" in page and "第 1 版" in page and "一是解读不足。" in page and "褚公开办" in page
    client.force_login(world.people["drafter"])
    assert client.get(f"/audit/report/{world.gov.code}/2024/history/").status_code == 404


def test_section_one_generated_or_replaced_by_the_office(world):
    make_application(world.dept, world.handler, applicant_type=T.NATURAL_PERSON, received="2024-03-01",
                     replied="2024-03-20", outcome=O.PARTIAL)
    report = build_report(world.gov, 2024)
    assert report.overview == report.generated_overview
    assert "（二）依申请公开。本年新收政府信息公开申请1件，上年结转0件，本年度办结1件，其中予以公开0件、部分公开1件" \
        in report.overview
    assert "本年度未发生因政府信息公开引发的行政复议、行政诉讼案件" in report.overview
    report_actions.save_report_text(actor=world.office, agency=world.gov, year=2024,
                                    data={"overview_override": "2024年，我市政务公开工作……（定稿）"})
    report = build_report(world.gov, 2024)
    assert report.overview == "2024年，我市政务公开工作……（定稿）"
    assert report.as_json()["section1_generated"] == report.generated_overview


def test_report_edit_page_has_every_section(world, client):
    client.force_login(world.office)
    url = f"/audit/report/{world.gov.code}/2024/edit/"
    page = client.get(url).content.decode()
    for name in ("overview_override", "overview", "problems", "key_tasks", "other_matters"):
        assert f'name="{name}"' in page
    assert client.post(url, {"problems": "问题", "key_tasks": "进展", "other_matters": "无"}).status_code == 302
    report = build_report(world.gov, 2024)
    assert not any("第五部分" in n or "第六部分" in n for n in report.notices)
    bad = client.post(url, {"problems": "x" * 20001})
    assert bad.status_code == 400 and "过长" in bad.content.decode()


@freeze_time("2026-11-26 10:00:00+08:00")
def test_carried_over_applications_backfilled_with_their_real_dates(world):
    # given: a ledger imported in 2026 (records created now) with applications of 2023 and 2024
    d, u = world.dept, world.handler
    make_application(d, u, applicant_type=T.NATURAL_PERSON, received="2023-12-15", replied="2024-01-08",
                     outcome=O.DISCLOSED)
    make_application(d, u, applicant_type=T.COMMERCIAL, received="2023-12-28", replied="2025-01-06",
                     outcome=O.UNABLE_NOT_HELD)
    make_application(d, u, applicant_type=T.RESEARCH, received="2023-06-01", replied="2023-06-20",
                     outcome=O.DISCLOSED)
    r23, r24, r25 = (build_report(world.gov, y) for y in (2023, 2024, 2025))
    # then: what 2023 carried out is what 2024 carried in, and so on
    assert row(r23, "t3.carried_out") == row(r24, "t3.carried_in") == [1, 1, 0, 0, 0, 0, 2]
    assert row(r24, "t3.results") == [1, 0, 0, 0, 0, 0, 1]
    assert row(r24, "t3.carried_out") == row(r25, "t3.carried_in") == [0, 1, 0, 0, 0, 0, 1]
    assert row(r25, "t3.outcome.unable_not_held") == [0, 1, 0, 0, 0, 0, 1]
    assert r23.ok and r24.ok and r25.ok


@pytest.mark.parametrize("filed,closed,result,counts", [
    # (filed, closed, result) -> the reconsideration's column in 2023, 2024, 2025 (None: not counted)
    ("2024-03-01", "2024-05-01", "maintained", (None, "maintained", None)),
    ("2023-10-01", "2024-02-01", "corrected", ("pending", "corrected", None)),
    ("2023-10-01", "", "pending", ("pending", "pending", "pending")),
    ("2023-10-01", "2023-12-31", "other", ("other", None, None)),
    ("2024-12-31", "2025-01-01", "maintained", (None, "pending", "maintained")),
])
def test_table4_carry_over_rule(world, filed, closed, result, counts):
    appeals.create_appeal_case(actor=world.office, agency=world.dept, data={
        "kind": "reconsideration", "filed_date": filed, "closed_date": closed, "result": result})
    for year, expected in zip((2023, 2024, 2025), counts, strict=True):
        t4 = build_report(world.gov, year).table4
        cells = {r: t4[("reconsideration", r)] for r in ("maintained", "corrected", "other", "pending")}
        if expected is None:
            assert t4[("reconsideration", "total")] == 0, year
        else:
            assert t4[("reconsideration", "total")] == 1 and cells[expected] == 1, year
            assert t4[("reconsideration", "carried_in")] == (1 if int(filed[:4]) < year else 0), year


@pytest.mark.parametrize("path", ["/audit/report/{code}/2024/figures/", "/audit/report/{code}/2024/history/",
                                  "/audit/report/{code}/2024/force/", "/audit/report/figures/import/",
                                  "/audit/report/figures/template.xlsx"])
def test_new_report_pages_need_a_sign_in(world, client, path):
    response = client.get(path.format(code=world.gov.code))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_template_format_is_bounded(world, client):
    client.force_login(world.office)
    assert client.get("/audit/report/figures/template.pdf").status_code == 400
