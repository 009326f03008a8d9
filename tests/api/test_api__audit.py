"""Audit through the API: the records (filtered, paginated, limited to one's agencies), the export (streamed,
itself audited), the annual report's figures; filters answer alike for foreign and missing objects."""
import json

from audit.models import AuditRecord
from tests.factories import draft, last_seq
from workflow import actions

from .conftest import Api, actions_since, assert_error


def test_records_are_limited_to_the_auditors_agencies_and_filtered(world):
    mine = draft(world)
    theirs_before = AuditRecord.objects.count()
    actions.create_item(actor=world.other_first, agency=world.other, data={"title": "外单位草稿"})
    body = Api(world.auditor).get("/audit/records", {"action": "workflow.item.*", "limit": 50}).json()
    assert [r["item"] for r in body["results"]] == [mine.pk]
    assert body["count"] == 1 and body["results"][0]["action"] == "workflow.item.create"
    assert AuditRecord.objects.count() == theirs_before + 1
    by_item = Api(world.auditor).get("/audit/records", {"item": mine.pk}).json()
    assert by_item["count"] == 1
    assert_error(Api(world.drafter).get("/audit/records"), 403, "permission_denied")


def test_record_filters_answer_alike_for_a_foreign_and_a_missing_object(world):
    foreign = actions.create_item(actor=world.other_first, agency=world.other, data={"title": "外单位草稿"})
    auditor = Api(world.auditor)
    a = assert_error(auditor.get("/audit/records", {"item": foreign.pk}), 400, "invalid_input", field="item")
    b = assert_error(auditor.get("/audit/records", {"item": 999999}), 400, "invalid_input", field="item")
    assert a["message"].replace(str(foreign.pk), "N") == b["message"].replace("999999", "N")
    c = assert_error(auditor.get("/audit/records", {"actor": "other_first"}), 400, field="actor")
    d = assert_error(auditor.get("/audit/records", {"actor": "nobody"}), 400, field="actor")
    assert c["message"].replace("other_first", "X") == d["message"].replace("nobody", "X")
    assert_error(auditor.get("/audit/records", {"date_from": "2026-02-30"}), 400, field="date_from")
    assert_error(auditor.get("/audit/records", {"date_from": "2026-03-02", "date_to": "2026-03-01"}), 400,
                 field="date_to")


def test_export_is_a_job_whose_file_holds_the_rows_counted_when_asked(world):
    draft(world)
    before = last_seq()
    response = Api(world.auditor).post("/audit/exports", {"format": "jsonl", "action": "workflow.item.*"})
    assert response.status_code == 202, response.content
    job = response.json()
    assert actions_since(before) == ["audit.export"]  # the export itself is audited when asked for
    assert AuditRecord.objects.get(seq=before + 1).data["rows"] == 1
    # the test settings run jobs at once; elsewhere the status link shows progress until it is done
    assert (job["status"], job["result"]["rows"], job["status_url"]) == ("done", 1, f"/api/v1/jobs/{job['id']}")
    assert Api(world.auditor).get(job["status_url"]).json()["file_url"] == job["file_url"]
    download = Api(world.auditor).get(job["file_url"])
    rows = [json.loads(line) for line in b"".join(download.streaming_content).decode().splitlines()]
    assert [r["action"] for r in rows] == ["workflow.item.create"]
    # someone else's job is not there
    assert_error(Api(world.office).get(job["status_url"]), 404, "not_found")
    assert_error(Api(world.office).get(job["file_url"]), 404, "not_found")
    csv = Api(world.office).post("/audit/exports", {"format": "csv"}).json()
    content = b"".join(Api(world.office).get(csv["file_url"]).streaming_content).decode("utf-8")
    assert content.startswith("\ufeff序号,时间,动作")
    xlsx = Api(world.office).post("/audit/exports", {"format": "xlsx"}).json()
    assert b"".join(Api(world.office).get(xlsx["file_url"]).streaming_content)[:2] == b"PK"
    assert_error(Api(world.office).post("/audit/exports", {"format": "pdf"}), 400, field="format")
    assert_error(Api(world.first).post("/audit/exports", {}), 403, "permission_denied")


def test_annual_report_figures_are_a_job(world):
    response = Api(world.auditor).post(f"/reports/annual/{world.gov.pk}/2025/figures")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "done" and body["file_url"] is None
    figures = Api(world.auditor).get(body["status_url"]).json()["result"]
    assert figures["year"] == 2025 and figures["agency"]["code"] == world.gov.code
    assert set(figures["agencies"]) == {world.gov.pk, world.dept.pk}
    assert {"table2", "table3", "table4", "checks"} <= set(figures)
    assert_error(Api(world.auditor).post(f"/reports/annual/{world.gov.pk}/2019/figures"), 400, "invalid_input",
                 field="year")
    assert_error(Api(world.auditor).post(f"/reports/annual/{world.gov.pk}/2101/figures"), 400, field="year")
    # another government's report, or a report one may not read: not there (as on the web's report pages)
    assert_error(Api(world.auditor).post(f"/reports/annual/{world.other.pk}/2025/figures"), 404, "not_found")
    assert_error(Api(world.drafter).post(f"/reports/annual/{world.dept.pk}/2025/figures"), 404, "not_found")
