# ruff: noqa: E501 - ledger rows as an office writes them
"""Ledger import (登记台账): templates with Chinese headers, row-by-row Chinese errors, all or nothing, an audit
record naming the file's SHA-256; the imported year gives the report's tables 三 and 四."""
import csv
import datetime
import hashlib
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from freezegun import freeze_time
from openpyxl import Workbook, load_workbook

from audit.models import AuditRecord
from core.errors import InvalidInput, NotAllowedForYou
from disclosure import imports
from disclosure.models import AppealCase, Application, AppStatus, ImportBatch, Reply
from reports.annual.figures import build_report

D = datetime.date
pytestmark = pytest.mark.django_db
APP_HEADERS = [h for h, _ in imports.APPLICATION_COLUMNS]
APPEAL_HEADERS = [h for h, _ in imports.APPEAL_COLUMNS]


def row(**values):
    base = {"申请人类型": "自然人", "申请人姓名/名称": "王某", "申请渠道": "网上申请", "收到申请日期": "2025-03-02",
            "申请内容": "2024年政务公开工作要点"}
    base.update(values)
    return [base.get(h, "") for h in APP_HEADERS]


def csv_bytes(headers, rows):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def xlsx_bytes(headers, rows):
    wb = Workbook()
    wb.active.append(headers)
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


YEAR_2025 = [
    row(**{"登记号": "YSQ2025-001", "办理结果": "予以公开", "答复日期": "2025-03-20", "答复文号": "埇政办依申请〔2025〕1号",
           "送达方式": "邮寄"}),
    row(**{"申请人类型": "商业企业", "申请人姓名/名称": "某公司", "收到申请日期": "2025-05-06", "办理结果": "（二）部分公开",
           "答复日期": "2025-05-30"}),
    row(**{"收到申请日期": "2025-06-03", "补正通知日期": "2025-06-05", "补正事项": "请明确", "办理结果": "（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
           "答复日期": "2025-06-30"}),
    row(**{"收到申请日期": "2025-07-01", "办理结果": "属于国家秘密", "答复日期": "2025-07-15"}),
    row(**{"收到申请日期": "2025-12-20", "办理结果": "本机关不掌握相关政府信息", "答复日期": "2026-01-08"}),
    row(**{"收到申请日期": "2025-12-28"}),
]
APPEALS_2025 = [
    ["行政复议", "宿府复〔2025〕3号", "王某", "不服答复", "2025-04-01", "结果维持", "2025-05-20", "YSQ2025-001"],
    ["行政复议", "宿府复〔2025〕9号", "李某", "不服答复", "2025-11-01", "尚未审结", "", ""],
    ["直接起诉", "(2025)皖1302行初5号", "某公司", "", "2025-06-10", "结果纠正", "2025-10-10", ""],
]


def test_templates_have_the_chinese_headers():
    wb = load_workbook(io.BytesIO(imports.template_xlsx("applications")))
    assert [c.value for c in wb["台账"][1]] == APP_HEADERS
    assert "填写说明" in wb.sheetnames
    assert imports.template_csv("appeals").decode("utf-8-sig").strip() == ",".join(APPEAL_HEADERS)


@freeze_time("2026-02-10 10:00:00+08:00")
def test_a_year_of_applications_and_appeals_gives_tables_3_and_4(world):
    content = xlsx_bytes(APP_HEADERS, YEAR_2025)
    batch = imports.import_applications(actor=world.handler, agency=world.dept, content=content,
                                        file_name="2025台账.xlsx")
    imports.import_appeals(actor=world.office, agency=world.dept, content=csv_bytes(APPEAL_HEADERS, APPEALS_2025),
                           file_name="复议诉讼.csv")
    assert batch.sha256 == hashlib.sha256(content).hexdigest() and batch.rows == 6
    first = Application.objects.get(number="YSQ2025-001")
    assert (first.status, first.received_date, first.replied_date, first.imported) == (
        AppStatus.CLOSED, D(2025, 3, 2), D(2025, 3, 20), True)
    assert first.replies.get().status == Reply.Status.DELIVERED
    assert first.letters.get().doc_number == "埇政办依申请〔2025〕1号"
    still_open = Application.objects.get(received_date=D(2025, 12, 28))
    assert still_open.status == AppStatus.PROCESSING and still_open.due_date is not None
    report = build_report(world.dept, 2025)
    rows = report.table3["rows"]
    assert rows["t3.new"]["total"] == 6
    assert rows["t3.outcome.disclosed"]["total"] == 1
    assert rows["t3.outcome.partial"]["commercial"] == 1
    assert rows["t3.outcome.refused_state_secret"]["total"] == 1
    assert rows["t3.outcome.other_no_supplement"]["total"] == 1
    assert rows["t3.results"]["total"] == 4 and rows["t3.carried_out"]["total"] == 2
    t4 = report.table4
    assert t4[("reconsideration", "maintained")] == 1 and t4[("reconsideration", "pending")] == 1
    assert t4[("litigation_direct", "corrected")] == 1
    # the audit trail: one record per row with its real dates, one per import with the hash, by whom and when
    rec = AuditRecord.objects.get(action="disclosure.import.applications")
    assert rec.data["sha256"] == batch.sha256 and rec.actor_id == world.handler.pk
    per_row = AuditRecord.objects.filter(action="disclosure.application.import", subject_id=str(first.pk)).get()
    assert per_row.data["received_date"] == "2025-03-02" and per_row.data["replied_date"] == "2025-03-20"
    assert AuditRecord.objects.filter(action="audit.appeal.import").count() == 3
    assert AppealCase.objects.get(case_number="宿府复〔2025〕3号").application_id == first.pk


@freeze_time("2026-02-10 10:00:00+08:00")
def test_errors_change_nothing_and_list_every_bad_row(world):
    bad = [
        row(),                                                   # fine
        row(**{"申请人类型": "外星人"}),                          # 3
        row(**{"收到申请日期": "2025-13-40"}),                    # 4
        row(**{"收到申请日期": "2026-03-01"}),                    # 5 future
        row(**{"办理结果": "予以公开"}),                           # 6 outcome without date
        row(**{"答复日期": "2025-03-01"}),                         # 7 date without outcome, before receipt
        row(**{"申请内容": ""}),                                  # 8
        row(**{"登记号": "A1"}), row(**{"登记号": "A1"}),          # 10 duplicate
    ]
    before = (Application.objects.count(), AuditRecord.objects.count(), ImportBatch.objects.count())
    with pytest.raises(InvalidInput) as err:
        imports.import_applications(actor=world.handler, agency=world.dept, content=csv_bytes(APP_HEADERS, bad),
                                    file_name="台账.csv")
    problems = err.value.errors["rows"]
    for n in (3, 4, 5, 6, 7, 8, 10):
        assert any(p.startswith(f"第{n}行") for p in problems), (n, problems)
    assert not any(p.startswith("第2行") for p in problems)
    assert "第3行：申请人类型：“外星人”不是可选值" in problems[0]
    assert (Application.objects.count(), AuditRecord.objects.count(), ImportBatch.objects.count()) == before


@freeze_time("2026-02-10 10:00:00+08:00")
def test_appeal_errors_listed(world):
    bad = [["行政复议", "", "", "", "", "结果维持", "", ""], ["未知", "", "", "", "2025-01-01", "", "", "NO-SUCH"]]
    with pytest.raises(InvalidInput) as err:
        imports.import_appeals(actor=world.office, agency=world.dept, content=csv_bytes(APPEAL_HEADERS, bad),
                               file_name="a.csv")
    problems = err.value.errors["rows"]
    assert any(p.startswith("第2行：受理（立案）日期") for p in problems)
    assert any(p.startswith("第3行：案件类型") for p in problems)
    assert any(p.startswith("第3行：关联申请登记号") for p in problems)
    assert AppealCase.objects.count() == 0


@freeze_time("2026-02-10 10:00:00+08:00")
@pytest.mark.parametrize(("content", "name"), [
    (b"not a zip", "a.xlsx"), (b"\xff\xfe\x00garbage", "a.csv"), (b"x", "a.txt"),
    ("申请人,其他\n".encode(), "a.csv"), (",".join(APP_HEADERS).encode(), "a.csv"),
])
def test_unreadable_or_wrong_files(world, content, name):
    with pytest.raises(InvalidInput) as err:
        imports.import_applications(actor=world.handler, agency=world.dept, content=content, file_name=name)
    assert err.value.field == "file"


@freeze_time("2026-02-10 10:00:00+08:00")
def test_bounds(world, settings):
    settings.SHENFA = {**settings.SHENFA, "IMPORT_MAX_ROWS": 3, "IMPORT_MAX_BYTES": 100_000}
    with pytest.raises(InvalidInput, match="超过 3 行"):
        imports.import_applications(actor=world.handler, agency=world.dept,
                                    content=csv_bytes(APP_HEADERS, [row()] * 4), file_name="a.csv")
    with pytest.raises(InvalidInput, match="MB"):
        imports.import_applications(actor=world.handler, agency=world.dept, content=b"x" * 100_001,
                                    file_name="a.csv")


@pytest.mark.parametrize("who", ["legal", "auditor", "other_first", "drafter", "anonymous"])
def test_who_may_import(world, who):
    actor = AnonymousUser() if who == "anonymous" else world.people[who]
    content = csv_bytes(APP_HEADERS, [row()])
    with freeze_time("2026-02-10 10:00:00+08:00"), pytest.raises(NotAllowedForYou):
        imports.import_applications(actor=actor, agency=world.dept, content=content, file_name="a.csv")
    with freeze_time("2026-02-10 10:00:00+08:00"), pytest.raises(NotAllowedForYou):
        imports.import_appeals(actor=actor if who != "auditor" else world.handler, agency=world.dept,
                               content=csv_bytes(APPEAL_HEADERS, APPEALS_2025), file_name="a.csv")
    assert Application.objects.count() == 0
