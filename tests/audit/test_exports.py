"""Exports of review records: formats, filters, permission per role, and the export itself audited."""
import csv
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from openpyxl import load_workbook

from audit.exports import ExportFilter, start_export
from audit.models import AuditRecord
from core.errors import InvalidInput, NotAllowedForYou
from tests.factories import approve_all, draft
from workflow import actions

ALLOWED = {"auditor", "office"}
EVERYONE = ["drafter", "drafter2", "proof1", "first", "second", "final", "secrecy", "legal", "publisher", "office",
            "auditor", "handler", "other_first", "multi"]


@pytest.fixture
def reviewed(world, fast_policy):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item)
    return item


def _content(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("who", EVERYONE)
def test_export_permission_per_role(world, reviewed, client, who):
    client.force_login(world.people[who])
    before = AuditRecord.objects.count()
    last = AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first()
    response = client.get("/audit/export/?format=csv")
    if who in ALLOWED:
        assert response.status_code == 200
        _content(response)
        assert list(AuditRecord.objects.filter(seq__gt=last).values_list("action", flat=True)) == ["audit.export"]
    else:
        assert response.status_code == 403
        assert AuditRecord.objects.count() == before


def test_anonymous_is_sent_to_log_in(client, world):
    response = client.get("/audit/export/?format=csv")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_csv_has_bom_and_streams_only_the_visible_agencies(world, reviewed, client):
    # given: a record of the other agency that the gov auditor must not see
    other_item = actions.create_item(actor=world.other_first, agency=world.other,
                                     data={"title": "淮北市信息", "body": "<p>正文</p>"})
    client.force_login(world.auditor)
    # when
    response = client.get("/audit/export/?format=csv")
    # then
    assert response.streaming
    raw = _content(response)
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["序号", "时间", "动作"]
    item_ids = {r[8] for r in rows[1:]}
    assert str(reviewed.pk) in item_ids and str(other_item.pk) not in item_ids
    expected = AuditRecord.objects.filter(item=reviewed).count()
    assert len(rows) - 1 == expected
    export = AuditRecord.objects.order_by("-seq").first()
    assert export.action == "audit.export" and export.actor == world.auditor
    assert export.data["rows"] == expected and export.data["format"] == "csv"
    assert "审计员" not in export.comment and export.comment == f"导出审核记录 {expected} 条"


def test_filters_and_audit_of_the_filter(world, reviewed, client):
    client.force_login(world.office)
    response = client.get(f"/audit/export/?format=jsonl&agency={world.dept.code}&action=workflow.review.*"
                          f"&actor=first&item={reviewed.pk}")
    lines = [json.loads(line) for line in _content(response).decode("utf-8").splitlines()]
    assert [r["action"] for r in lines] == ["workflow.review.approve"]
    assert lines[0]["actor"] == "first" and lines[0]["item_id"] == reviewed.pk
    export = AuditRecord.objects.order_by("-seq").first()
    assert export.data["filter"] == {"agency": world.dept.code, "action": "workflow.review.*", "actor": "first",
                                     "item": str(reviewed.pk)}
    assert export.data["rows"] == 1 and export.agency == world.dept


def test_date_filter_is_inclusive_local_dates(world, reviewed):
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    qs, count = start_export(actor=world.auditor, filters=ExportFilter(date_from=today, date_to=today), fmt="jsonl")
    assert count == AuditRecord.objects.exclude(action="audit.export").filter(item=reviewed).count()
    qs, count = start_export(actor=world.auditor, filters=ExportFilter(date_to="2000-01-01"), fmt="jsonl")
    assert count == 0


def test_xlsx_opens_with_openpyxl(world, reviewed, client):
    client.force_login(world.auditor)
    response = client.get("/audit/export/?format=xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(_content(response)), read_only=True)
    rows = list(wb["审核记录"].iter_rows(values_only=True))
    assert rows[0][0] == "序号" and len(rows) - 1 == AuditRecord.objects.filter(item=reviewed).count()
    assert {r[2] for r in rows[1:]} >= {"workflow.item.create", "workflow.review.approve"}


def test_export_outside_ones_agencies_is_refused(world, reviewed, client):
    client.force_login(world.auditor)
    before = AuditRecord.objects.count()
    response = client.get(f"/audit/export/?format=csv&agency={world.other.code}")
    assert response.status_code == 403 and "淮北市人民政府办公室" in response.content.decode()
    assert AuditRecord.objects.count() == before
    with pytest.raises(NotAllowedForYou):
        start_export(actor=world.other_first, filters=ExportFilter(), fmt="csv")


@pytest.mark.parametrize("params,field", [
    ({"date_from": "2024-13-01"}, "date_from"), ({"date_from": "2024-05-01", "date_to": "2024-04-01"}, "date_to"),
    ({"agency": "NOPE"}, "agency"), ({"actor": "nobody"}, "actor"), ({"item": "abc"}, "item"),
])
def test_bad_filters_are_refused_in_chinese_and_not_audited(world, params, field):
    before = AuditRecord.objects.count()
    with pytest.raises(InvalidInput) as exc:
        start_export(actor=world.auditor, filters=ExportFilter(**params), fmt="csv")
    assert field in exc.value.errors and exc.value.message.startswith("导出条件有误")
    assert AuditRecord.objects.count() == before


def test_unknown_format_is_refused(world, client):
    client.force_login(world.auditor)
    response = client.get("/audit/export/?format=pdf")
    assert response.status_code == 400 and "不支持的导出格式" in response.content.decode()


def test_export_command_writes_every_format_and_is_audited(world, reviewed, tmp_path):
    n = AuditRecord.objects.filter(item=reviewed).count()
    call_command("export_audit", agency=world.dept.code, format="csv", output=str(tmp_path / "a.csv"))
    raw = (tmp_path / "a.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and len(raw.decode("utf-8-sig").strip().splitlines()) == n + 1
    call_command("export_audit", format="xlsx", output=str(tmp_path / "a.xlsx"), action="workflow.item.")
    rows = list(load_workbook(tmp_path / "a.xlsx", read_only=True).active.iter_rows(values_only=True))
    assert {r[2] for r in rows[1:]} == {"workflow.item.create", "workflow.item.submit", "workflow.item.approve"}
    call_command("export_audit", format="jsonl", output=str(tmp_path / "a.jsonl"), **{"date_from": "2000-01-01"})
    lines = (tmp_path / "a.jsonl").read_text("utf-8").splitlines()
    assert all(json.loads(line)["hash"] for line in lines)
    exports = AuditRecord.objects.filter(action="audit.export").order_by("seq")
    assert [e.data["format"] for e in exports] == ["csv", "xlsx", "jsonl"]
    assert exports[0].actor is None and exports[0].actor_name == "系统"
    # the earlier exports are themselves exported
    assert sum(1 for line in lines if json.loads(line)["action"] == "audit.export") == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_postgresql_copy_gives_the_rows_the_python_writer_gives(world, reviewed):
    from django.db import transaction

    from audit import exports
    from audit import log as audit

    with transaction.atomic():
        audit.record(action="test.quoting", agency=world.dept, comment='逗号,引号"和\n换行',
                     data={"long_key": 1, "b": "中"})
    qs = AuditRecord.objects.order_by("seq")
    via_copy = b"".join(exports.iter_csv_bytes(qs)).decode("utf-8")
    writer = csv.writer(exports._Echo())
    via_python = "\ufeff" + writer.writerow([label for _, label in exports.COLUMNS]) + "".join(
        writer.writerow([("" if row[c] is None else (json.dumps(row[c], ensure_ascii=False, sort_keys=True)
                                                      if c == "data" else row[c])) for c, _ in exports.COLUMNS])
        for row in exports._rows(qs))
    copy_rows = list(csv.reader(io.StringIO(via_copy)))
    python_rows = list(csv.reader(io.StringIO(via_python)))
    data_col = [c for c, _ in exports.COLUMNS].index("data")
    for row in copy_rows[1:] + python_rows[1:]:
        row[data_col] = json.loads(row[data_col])  # jsonb orders keys by length: same JSON, other order
    assert copy_rows == python_rows
    assert via_copy.count("\r\n") == via_python.count("\r\n")
