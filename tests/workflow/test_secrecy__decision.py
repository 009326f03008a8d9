"""保密审查: the pre-check blocks approval; masking makes a new revision reviewed again; overrides are recorded;
三同步 holds a policy document until its interpretation is approved and publishes both together."""
import io

import pytest
from openpyxl import Workbook, load_workbook

from audit.models import AuditRecord
from core.errors import InvalidInput, NotAllowedForYou, NotAllowedInState
from privacy import id_check_digit
from publishing.actions import publish_item
from tests.factories import approve_all, draft, reload
from workflow import actions
from workflow.models import InfoType, ItemStatus, ReviewPolicy, Revision

pytestmark = pytest.mark.django_db


def valid_id(base17):
    return base17 + id_check_digit(base17)


ID1, ID2 = valid_id("35010219800101123"), valid_id("35010219751231002")
LIST_CSV = (
    "序号,姓名,身份证号,联系电话,家庭住址,金额\n"
    f"1,林小红,{ID1},138 1234 5678,福州市鼓楼区东街街道八一七北路88号3栋501室,800\n"
    f"2,陈大山,{ID2},+86 139-5632-1045,福州市鼓楼区华大街道湖东路12号,650\n"
)


@pytest.fixture
def short_policy(world):
    return ReviewPolicy.objects.create(name="名单两审", steps=["first_review", "secrecy_review"])


def list_item(world, data=LIST_CSV.encode("utf-8"), name="低保名单.csv", body="<p>现将低保对象名单公示如下。</p>"):
    return actions.create_item(actor=world.drafter, agency=world.dept,
                               data={"title": "2024年第二季度低保对象公示", "body": body,
                                     "info_type": InfoType.LIST_PUBLICITY},
                               attachments=[actions.NewAttachment(name, data)])


def at_secrecy(world, item):
    actions.submit_item(actor=world.drafter, item=item)
    return approve_all(world, item, stop_before="secrecy_review")


def test_every_revision_is_prechecked_and_findings_have_locations(world):
    item = list_item(world)
    scan = reload(item).current_revision.scan
    kinds = {f["kind"] for f in scan["findings"]}
    assert {"id_number", "mobile"} <= kinds and scan["blocking"]
    f = next(f for f in scan["findings"] if f["kind"] == "id_number")
    assert f["location"]["source"] == "低保名单.csv" and f["location"]["row"]
    assert ID1 not in str(f.get("masked")) and f["masked"].startswith("35") and f["masked"].endswith(ID1[-3:])


def test_finding_blocks_secrecy_approval_until_masked(world, short_policy):
    item = list_item(world)
    task = at_secrecy(world, item)
    with pytest.raises(InvalidInput) as exc:
        actions.approve_step(actor=world.secrecy, task=task, secrecy={"result": "disclosable"})
    assert exc.value.field == "override_ground" and "脱敏" in exc.value.message
    # when the reviewer masks
    old = reload(item).current_revision
    rev = actions.mask_item(actor=world.secrecy, task=task, comment="身份证号、电话按规定脱敏")
    # then a new revision with masked list, no findings, and the review starts again from the first step
    item = reload(item)
    assert rev.kind == Revision.Kind.MASK and rev.parent_id == old.pk and item.current_revision_id == rev.pk
    masked = rev.attachments.get().blob.file.open("rb").read().decode("utf-8")
    assert ID1 not in masked and "35*************" in masked and "138****5678" in masked.replace(" ", "")
    assert not rev.scan["findings"]
    assert actions.open_task_for(item).data["step"] == "first_review"
    assert item.rounds.get().decisions.get(step="first_review").voided
    approve_all(world, item, stop_before="secrecy_review")
    task = actions.open_task_for(item)
    actions.approve_step(actor=world.secrecy, task=task, secrecy={"result": "partial"})
    assert reload(item).status == ItemStatus.APPROVED
    log = list(AuditRecord.objects.filter(item=item).order_by("seq").values_list("action", flat=True))
    assert "workflow.secrecy.mask" in log and log[-2:] == ["workflow.secrecy.decide", "workflow.item.approve"]


def test_override_with_legal_ground_is_recorded(world, short_policy):
    item = list_item(world, body="<p>行政处罚决定书：当事人张某某，统一社会信用代码略。</p>")
    task = at_secrecy(world, item)
    ground = "《行政处罚法》第四十八条：具有一定社会影响的行政处罚决定应当依法公开"
    actions.approve_step(actor=world.secrecy, task=task, comment="依法公开",
                         secrecy={"result": "disclosable", "override_ground": ground})
    rec = AuditRecord.objects.filter(item=item, action="workflow.secrecy.decide").get()
    assert rec.data["override_ground"] == ground and rec.data["findings"] > 0


def test_partial_requires_a_masked_revision(world, short_policy):
    item = draft(world)
    task = at_secrecy(world, item)
    with pytest.raises(InvalidInput):
        actions.approve_step(actor=world.secrecy, task=task, secrecy={"result": "partial"})


def test_classification_mark_blocks_and_cannot_be_masked_away(world, short_policy):
    item = draft(world, body="<p>秘密★1年</p><p>关于某项工作的部署意见……</p>")
    assert any(f["kind"] == "classification_mark" for f in reload(item).current_revision.scan["findings"])
    task = at_secrecy(world, item)
    with pytest.raises(InvalidInput):
        actions.approve_step(actor=world.secrecy, task=task, secrecy={"result": "disclosable"})
    with pytest.raises(InvalidInput) as exc:
        actions.mask_item(actor=world.secrecy, task=task)
    assert "密级" in exc.value.message
    actions.approve_step(actor=world.secrecy, task=task,
                         secrecy={"result": "not_disclosable", "ground": "state_secret"})
    assert reload(item).status == ItemStatus.NOT_DISCLOSED


def test_xlsx_attachment_is_masked_cell_by_cell(world, short_policy):
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "手机", "金额"])
    ws.append(["林小红", ID1, "13812345678", 800])
    buf = io.BytesIO()
    wb.save(buf)
    item = list_item(world, data=buf.getvalue(), name="名单.xlsx")
    task = at_secrecy(world, item)
    rev = actions.mask_item(actor=world.secrecy, task=task)
    ws2 = load_workbook(rev.attachments.get().blob.file.open("rb")).active
    row = [c.value for c in ws2[2]]
    assert row[1] != ID1 and row[1].endswith(ID1[-3:]) and row[2] == "138****5678" and row[3] == 800


def test_pdf_attachment_cannot_be_masked_automatically(world, short_policy):
    item = list_item(world, data=b"%PDF-1.4 broken", name="名单.pdf", body=f"<p>{ID1}</p>")
    task = at_secrecy(world, item)
    with pytest.raises(InvalidInput):
        actions.mask_item(actor=world.secrecy, task=task)
    assert reload(item).current_revision.kind == Revision.Kind.DRAFT


@pytest.mark.parametrize("name", ["first", "publisher", "drafter", "other_first", "auditor"])
def test_only_the_secrecy_reviewer_masks(world, short_policy, name):
    item = list_item(world)
    task = at_secrecy(world, item)
    with pytest.raises((NotAllowedForYou, NotAllowedInState)):
        actions.mask_item(actor=world.people[name], task=task)


def test_interpretation_is_approved_and_published_together_with_its_policy(world, short_policy):
    policy = draft(world, title="关于促进民营经济发展的若干措施", info_type=InfoType.POLICY_DOCUMENT,
                   needs_interpretation=True)
    actions.submit_item(actor=world.drafter, item=policy)
    approve_all(world, policy)
    policy = reload(policy)
    assert policy.status == ItemStatus.IN_REVIEW  # waits: no approved interpretation yet (三同步)
    with pytest.raises(NotAllowedInState):
        publish_item(actor=world.publisher, item=policy)
    interp = draft(world, title="《关于促进民营经济发展的若干措施》政策解读", info_type=InfoType.INTERPRETATION,
                   interprets=policy)
    actions.submit_item(actor=world.drafter, item=interp)
    approve_all(world, interp)
    assert reload(interp).status == ItemStatus.APPROVED
    assert reload(policy).status == ItemStatus.APPROVED
    publish_item(actor=world.publisher, item=reload(policy))
    policy, interp = reload(policy), reload(interp)
    assert policy.online and interp.online and policy.published_at == interp.published_at
    assert list(policy.interpretations.all()) == [interp]


def test_interpretation_must_link_a_policy_of_the_same_agency(world):
    foreign = actions.create_item(actor=world.other_first, agency=world.other, data={"title": "外单位政策"})
    with pytest.raises(InvalidInput) as exc:
        draft(world, info_type=InfoType.INTERPRETATION, interprets=foreign)
    assert exc.value.field == "interprets"


def test_overlong_attachment_name_is_refused(world):
    with pytest.raises(InvalidInput) as exc:
        list_item(world, name="名" * 300 + ".csv")
    assert exc.value.field == "attachments"
