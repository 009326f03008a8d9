"""The small defects of issue 13 item 6, each with a test: inbox buttons and notices, the 解读 list, the
secrecy page (findings first, nothing preselected, masking visible cell by cell, the drafter told)."""
import pytest
from django.urls import reverse

from notices.models import Kind, Notice
from publishing.actions import withdraw_item
from tests.factories import approve_all, draft, published, reload
from tests.workflow.test_secrecy__decision import ID1, list_item
from workflow import actions
from workflow.models import InfoType, ReviewPolicy

pytestmark = pytest.mark.django_db


def test_drafter_inbox_has_one_draft_button(client, world):
    client.force_login(world.drafter)
    assert client.get("/").content.decode().count("起草新信息") == 1


def test_returned_notice_links_to_the_item_with_the_reason(client, world):
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    task = actions.open_task_for(item)
    actions.claim_task(actor=world.proof1, task=task)
    actions.reject_step(actor=world.proof1, task=task, reason="文号格式不规范，请改正")
    client.force_login(world.drafter)
    html = client.get("/").content.decode()
    notice = html.split('id="returned-notice"', 1)[1].split("</div>", 1)[0]
    assert f'href="{reverse("workflow:item", args=[item.pk])}"' in notice and "文号格式不规范" in notice


def test_interpretation_list_offers_only_live_policies(client, world):
    live = published(world, title="现行政策文件", info_type=InfoType.POLICY_DOCUMENT)
    gone = published(world, title="已撤回的政策文件", info_type=InfoType.POLICY_DOCUMENT,
                     doc_number="宿政办发〔2024〕6号")
    withdraw_item(actor=world.publisher, item=gone, reason="发布有误")
    ReviewPolicy.objects.create(name="名单两审", steps=["first_review", "secrecy_review"])
    withheld = draft(world, title="不予公开的文件", info_type=InfoType.POLICY_DOCUMENT)
    actions.submit_item(actor=world.drafter, item=withheld)
    task = approve_all(world, withheld, stop_before="secrecy_review")
    actions.claim_task(actor=world.secrecy, task=task)
    actions.approve_step(actor=world.secrecy, task=task, comment="涉及国家秘密",
                         secrecy={"result": "not_disclosable", "ground": "state_secret"})
    assert reload(withheld).status == "not_disclosed"
    client.force_login(world.drafter)
    html = client.get("/items/new/").content.decode()
    select = html.split('name="interprets"', 1)[1].split("</select>", 1)[0]
    assert live.title in select and "已撤回的政策文件" not in select and "不予公开的文件" not in select


@pytest.fixture
def at_secrecy(world):
    ReviewPolicy.objects.create(name="名单两审", steps=["first_review", "secrecy_review"])
    item = list_item(world)
    actions.submit_item(actor=world.drafter, item=item)
    return item, approve_all(world, item, stop_before="secrecy_review")


def test_secrecy_page_puts_findings_first_and_preselects_nothing(client, world, at_secrecy):
    item, task = at_secrecy
    client.force_login(world.secrecy)
    html = client.get(reverse("workflow:task", args=[task.pk])).content.decode()
    assert html.index('id="findings"') < html.index('id="approve-form"')
    select = html.split('name="result"', 1)[1].split("</select>", 1)[0]
    assert "selected" not in select.split("——请选择——")[1] and 'value="" selected' in select
    resp = client.post(reverse("workflow:task_approve", args=[task.pk]),
                       {"expected_hash": item.current_revision.content_hash, "comment": ""})
    assert resp.status_code == 400 and "请选择保密审查结论" in resp.content.decode()


def test_masking_shows_the_changed_cells_and_tells_the_drafter(client, world, at_secrecy,
                                                               django_capture_on_commit_callbacks):
    item, task = at_secrecy
    with django_capture_on_commit_callbacks(execute=True):
        rev = actions.mask_item(actor=world.secrecy, task=task, expected_hash=item.current_revision.content_hash)
    notice = Notice.objects.get(recipient=world.drafter, kind=Kind.ITEM_MASKED)
    assert f"第{rev.number}版" in notice.body and "低保名单.csv" in notice.body
    assert notice.url == reverse("workflow:revision", args=[item.pk, rev.number])
    client.force_login(world.drafter)
    html = client.get(reverse("workflow:revision", args=[item.pk, rev.number])).content.decode()
    assert "附件脱敏替换：低保名单.csv" in html and 'class="masked-cells"' in html
    cells = html.split('class="masked-cells"', 1)[1].split("</table>", 1)[0]
    assert "C2" in cells and ID1 not in cells and "*" in cells
    inbox = client.get("/").content.decode()
    assert 'id="masked-notice"' in inbox and reverse("workflow:revision", args=[item.pk, rev.number]) in inbox


def test_several_planned_channels_can_be_chosen(client, world):
    # issue 13: 拟公开方式 allowed only one choice
    from tests.web.workflow.test_views__drafting import form_payload
    from workflow.models import Information

    client.force_login(world.drafter)
    html = client.get("/items/new/").content.decode()
    assert html.count('name="channels"') == 6 and 'type="checkbox" name="channels"' in html
    resp = client.post("/items/new/", form_payload(channels=["website", "notice_board"]))
    assert resp.status_code == 302
    item = Information.objects.get()
    assert item.channels == ["website", "notice_board"] and item.channel == "website"
    assert "政府网站、政务公开栏" in client.get(reverse("workflow:item", args=[item.pk])).content.decode()
    sheet = client.get(reverse("workflow:item_sheet", args=[item.pk])).content.decode()
    assert sheet.count("✓</span>") >= 2
    resp = client.post("/items/new/", form_payload(channels=["website", "pigeon"]))
    assert resp.status_code == 400 and Information.objects.count() == 1
    resp = client.post("/items/new/", form_payload(channels=[]))
    assert resp.status_code == 400 and "请至少选择一种拟公开方式" in resp.content.decode()


def test_the_api_and_older_callers_setting_one_channel_still_work(world):
    item = actions.create_item(actor=world.drafter, agency=world.dept,
                               data={"title": "只填一种方式", "created_date": "2026-11-20", "channel": "press"})
    assert (item.channel, item.channels) == ("press", ["press"])
    actions.edit_item(actor=world.drafter, item=item, data={"channels": ["tv", "radio"]})
    item = reload(item)
    assert (item.channel, item.channels) == ("tv", ["tv", "radio"])


def test_a_field_of_several_checkboxes_is_a_fieldset_named_by_its_legend(client, world):
    # the boxes of 拟公开方式 were wrapped in a <label> inside a <p>, which browsers close early: the label
    # text landed after the boxes (or in the next grid column) and the group had no name
    client.force_login(world.drafter)
    html = client.get("/items/new/").content.decode()
    group = html.split('class="field field-channels', 1)[1].split("</fieldset>", 1)[0]
    assert '<fieldset class="choices"><legend>拟公开方式' in group
    assert group.index("<legend>") < group.index('name="channels"')
    assert "<label><div" not in html
