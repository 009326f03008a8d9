"""The pre-check gate (issue 11): attachments scanned outside the action, once per content; the secrecy step
waits for the scan; agencies' public values and 错敏词 rules; warnings acknowledged; hostile files answered."""
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core import jobs
from core.errors import InvalidInput, NotAllowedInState
from core.models import Job, JobStatus
from tests.factories import approve_all, reload
from tests.privacy import hostile
from workflow import actions
from workflow.actions import prescan
from workflow.models import AttachmentScan, InfoType, ScanStatus, WordingRule

from .test_secrecy__decision import list_item

pytestmark = pytest.mark.django_db

DISCLOSABLE = {"result": "disclosable"}


def at_secrecy(world, item):
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item, stop_before="secrecy_review")
    return actions.open_task_for(item)


def decide(world, task, **decision):
    actions.claim_task(actor=world.secrecy, task=task)
    return actions.approve_step(actor=world.secrecy, task=task, secrecy={**DISCLOSABLE, **decision})


def test_an_attachment_is_scanned_once_per_content_and_kept_results_are_reused(world):
    item = list_item(world)
    first = reload(item).current_revision
    assert AttachmentScan.objects.count() == 1 and Job.objects.filter(kind=prescan.JOB_KIND).count() == 1
    # a new revision that keeps the attachment (only the title changes) reuses its report
    actions.edit_item(actor=world.drafter, item=item, data={"title": "2024年第二季度低保对象名单公示"})
    second = reload(item).current_revision
    assert second.pk != first.pk
    assert AttachmentScan.objects.count() == 1 and Job.objects.filter(kind=prescan.JOB_KIND).count() == 1
    assert second.scan["counts"] == first.scan["counts"] and second.scan["status"] == "done"


def test_the_secrecy_step_waits_while_the_scan_is_pending(world, settings):
    # given a worker that has not run yet (the scan job is only queued)
    settings.SHENFA = {**settings.SHENFA, "JOBS_BACKEND": "inline"}
    item = list_item(world)
    revision = reload(item).current_revision
    assert revision.scan["status"] == "pending" and revision.scan["pending"] == ["低保名单.csv"]
    settings.SHENFA = {**settings.SHENFA, "JOBS_BACKEND": "immediate"}
    task = at_secrecy(world, item)
    with pytest.raises(NotAllowedInState) as refused:
        decide(world, task)
    assert refused.value.code == "prescan_pending" and "预检中" in refused.value.message
    with pytest.raises(NotAllowedInState):
        actions.mask_item(actor=world.secrecy, task=task)
    # when the worker has run, the findings are there and block as before
    job = Job.objects.get(kind=prescan.JOB_KIND)
    assert jobs.run(job.pk).status == JobStatus.DONE
    revision = reload(item).current_revision
    assert revision.scan["status"] == "done" and revision.scan["blocking"]
    assert {"id_number", "mobile"} <= set(revision.scan["counts"])
    with pytest.raises(InvalidInput) as blocked:
        decide(world, task)
    assert blocked.value.field == "override_ground"


def test_the_agencys_public_numbers_are_neither_flagged_nor_masked(world):
    world.dept.public_values = "0563-4012345\n宣城市宣州区鳌峰中路1号"
    world.dept.save()
    body = ("<p>公示期间如有异议，请拨打监督电话0563-4012345，或到宣城市宣州区鳌峰中路1号反映。</p>"
            "<p>联系人手机13856321478。</p>")
    item = actions.create_item(actor=world.drafter, agency=world.dept,
                               data={"title": "关于2024年度低保对象的公示", "body": body})
    scan = reload(item).current_revision.scan
    assert scan["counts"] == {"mobile": 1}, scan["counts"]
    task = at_secrecy(world, item)
    actions.mask_item(actor=world.secrecy, task=task)
    masked = reload(item).body
    assert "0563-4012345" in masked and "鳌峰中路1号" in masked and "13856321478" not in masked


def test_spam_in_the_seed_text_and_office_rules_are_caught(world):
    # seed 003 carries gambling spam injected on the source site: a blocking 错敏词 finding
    body = "<p>以为企业和群众“办好一件事”为标准，集成、优化、简化beplay体育赢钱封号 信息，汇总编制办事一本通。</p>"
    item = actions.create_item(actor=world.drafter, agency=world.dept, data={"title": "政务公开工作要点", "body": body})
    scan = reload(item).current_revision.scan
    spam = [f for f in scan["findings"] if f.get("category") == "spam_gambling"]
    assert spam and scan["blocking"]
    # an office's own rule, maintained in the admin, applies to its agency and those below it
    WordingRule.objects.create(agency=world.gov, pattern="宿州市政府办", suggestion="宿州市人民政府办公室",
                               category=WordingRule.Severity.WARN)
    item = actions.create_item(actor=world.drafter, agency=world.dept,
                               data={"title": "通知", "body": "<p>请各单位报宿州市政府办。</p>"})
    finding = next(f for f in reload(item).current_revision.scan["findings"] if f.get("category") == "agency_warn")
    assert finding["severity"] == "warn" and finding["suggestion"] == "宿州市人民政府办公室"


def test_warnings_are_acknowledged_not_overridden(world):
    WordingRule.objects.create(agency=None, pattern="旧称示例局", suggestion="新称示例局",
                               category=WordingRule.Severity.WARN)
    item = actions.create_item(actor=world.drafter, agency=world.dept,
                               data={"title": "通知", "body": "<p>由旧称示例局负责解释。</p>"})
    task = at_secrecy(world, item)
    with pytest.raises(InvalidInput) as refused:
        decide(world, task)
    assert refused.value.field == "acknowledge_warnings"
    decision = decide(world, task, acknowledge_warnings=True)
    assert decision.details["warnings_acknowledged"] == 1


# --- hostile files: through the web form and the API, then the worker's verdict, then masking ------------

SCAN_TEST_LIMITS = {"wall_seconds": 20, "cpu_seconds": 20, "address_space_bytes": 1536 << 20, "file_bytes": 4 << 20,
                    "zip_entries": 900, "zip_part_bytes": 8 << 20, "zip_total_bytes": 32 << 20, "rows": 20_000,
                    "cells": 200_000, "pdf_pages": 500, "pdf_operators": 100_000, "pdf_stream_bytes": 8 << 20,
                    "text_chars": 2_000_000}
ALLOWED = (".pdf", ".docx", ".xlsx", ".csv", ".txt")
UPLOAD_BOUND = 15.0  # seconds: far below a scan's limits, far above an upload on a loaded test machine


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    made = hostile.build(str(d), scale=0.05)
    return [(name, (d / name).read_bytes()) for name, _ in made if name.lower().endswith(ALLOWED)]


@pytest.mark.slow
def test_hostile_files_are_answered_at_once_and_each_gets_a_verdict(world, client, settings, hostile_files):
    settings.SHENFA = {**settings.SHENFA, "SCAN_LIMITS": SCAN_TEST_LIMITS, "JOBS_BACKEND": "inline"}
    client.force_login(world.drafter)
    assert len(hostile_files) >= 15
    for name, data in hostile_files:
        started = time.monotonic()
        response = client.post("/items/new/", {
            "title": f"附件测试 {name}", "created_date": "2026-03-02", "info_type": "general", "carrier": "official",
            "channel": "website", "disclosure_mode": "proactive", "scope": "public", "body": "<p>见附件。</p>",
            "attachments": [SimpleUploadedFile(name, data)]})
        elapsed = time.monotonic() - started
        assert response.status_code in (302, 400), (name, response.status_code)
        # the web request only stores the file and queues the scan: a bound that catches a stall, not a
        # benchmark (bench/bench_hostile_web.py measures the response times on a real server)
        assert elapsed < UPLOAD_BOUND, (name, elapsed)
    # the worker then gives every accepted file a verdict within its limits
    for job in Job.objects.filter(kind=prescan.JOB_KIND, status=JobStatus.QUEUED):
        started = time.monotonic()
        jobs.run(job.pk)
        assert time.monotonic() - started < SCAN_TEST_LIMITS["wall_seconds"] + 10
    assert not AttachmentScan.objects.filter(status=ScanStatus.PENDING).exists()
    incomplete = [s.name for s in AttachmentScan.objects.all()
                  if any(f["kind"] == "incomplete" for f in s.report["findings"])]
    assert len(incomplete) >= 8, incomplete


@pytest.mark.slow
def test_masking_a_hostile_file_is_refused_within_the_limits(world, settings, hostile_files):
    settings.SHENFA = {**settings.SHENFA, "SCAN_LIMITS": SCAN_TEST_LIMITS}
    name, data = next((n, d) for n, d in hostile_files if n.startswith("01_"))
    item = actions.create_item(actor=world.drafter, agency=world.dept, data={
        "title": "名单", "body": "<p>联系电话13856321478。</p>", "info_type": InfoType.LIST_PUBLICITY},
        attachments=[actions.NewAttachment(name, data)])
    task = at_secrecy(world, item)
    actions.claim_task(actor=world.secrecy, task=task)
    started = time.monotonic()
    with pytest.raises(InvalidInput) as refused:
        actions.mask_item(actor=world.secrecy, task=task)
    assert time.monotonic() - started < SCAN_TEST_LIMITS["wall_seconds"] + 10
    assert "不能自动脱敏" in refused.value.message or "上限" in refused.value.message
    assert reload(item).current_revision.kind != "mask"


@pytest.mark.slow
def test_hostile_files_through_the_api_are_answered_at_once(world, settings, hostile_files):
    from tests.api.conftest import Api

    settings.SHENFA = {**settings.SHENFA, "SCAN_LIMITS": SCAN_TEST_LIMITS, "JOBS_BACKEND": "inline"}
    item = actions.create_item(actor=world.drafter, agency=world.dept,
                               data={"title": "附件测试", "body": "<p>见附件。</p>"})
    api = Api(world.drafter)
    for name, data in hostile_files:
        started = time.monotonic()
        response = api.upload(f"/items/{item.pk}/attachments", [(name, data)])
        elapsed = time.monotonic() - started
        assert response.status_code in (201, 400), (name, response.status_code, response.content[:200])
        assert elapsed < UPLOAD_BOUND, (name, elapsed)
    # the API shows the revision as still being checked until the worker has run
    findings = api.get(f"/items/{item.pk}/revisions/{reload(item).current_revision.number}")
    assert findings.status_code == 200
    for job in Job.objects.filter(kind=prescan.JOB_KIND, status=JobStatus.QUEUED):
        jobs.run(job.pk)
    assert not AttachmentScan.objects.filter(status=ScanStatus.PENDING).exists()
