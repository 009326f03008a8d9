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


def test_export_streams_and_is_itself_audited(world):
    draft(world)
    before = last_seq()
    response = Api(world.auditor).get("/audit/export", {"format": "jsonl", "action": "workflow.item.*"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]
    assert [r["action"] for r in rows] == ["workflow.item.create"]
    assert actions_since(before) == ["audit.export"]
    assert AuditRecord.objects.get(seq=before + 1).data["rows"] == 1
    csv = Api(world.office).get("/audit/export", {"format": "csv"})
    assert b"".join(csv.streaming_content).decode("utf-8").startswith("\ufeff序号,时间,动作")
    xlsx = Api(world.office).get("/audit/export", {"format": "xlsx"})
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"
    assert_error(Api(world.office).get("/audit/export", {"format": "pdf"}), 400, field="format")
    assert_error(Api(world.first).get("/audit/export"), 403, "permission_denied")


def test_annual_report_figures(world):
    body = Api(world.auditor).get(f"/reports/annual/{world.gov.pk}/2025").json()
    assert body["year"] == 2025 and body["agency"]["code"] == world.gov.code
    assert set(body["agencies"]) == {world.gov.pk, world.dept.pk}
    assert {"table2", "table3", "table4", "checks"} <= set(body)
    assert_error(Api(world.auditor).get(f"/reports/annual/{world.gov.pk}/2019"), 400, "invalid_input",
                 field="year")
    assert_error(Api(world.auditor).get(f"/reports/annual/{world.gov.pk}/2101"), 400, field="year")
    assert_error(Api(world.auditor).get(f"/reports/annual/{world.other.pk}/2025"), 404, "not_found")
    assert_error(Api(world.drafter).get(f"/reports/annual/{world.dept.pk}/2025"), 403, "permission_denied")
