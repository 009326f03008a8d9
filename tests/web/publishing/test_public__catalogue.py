"""The public 政府信息公开 column: only online, publicly scoped, published revisions; never drafts."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from publishing.actions import mark_repealed, publish_item, withdraw_item
from tests.factories import approve_all, approved, draft, published, reload
from workflow import actions
from workflow.actions import NewAttachment

SEED_003_TITLE = "宁国市人民政府办公室关于印发宁国市2021年政务公开工作要点的通知"
SEED_003_BODY = (
    "<p>各乡、镇人民政府、街道办事处，市政府各部门、各直属机构、各派出机构：</p>"
    "<p>经研究同意，现将《宁国市2021年政务公开工作要点》予以印发，请遵照执行。</p>"
    "<p>完善依申请公开办理机制，全面实行依申请公开“登记制”，做到有申请必登记、有登记必答复、有答复必归档。</p>"
)


@pytest.fixture
def seed_item(world, topics):
    return published(world, title=SEED_003_TITLE, body=SEED_003_BODY, doc_number="宁政办秘〔2021〕60号",
                     topic=topics["综合政务"], facet=topics["政策文件"], created_date=datetime.date(2021, 11, 20),
                     info_type="normative_document")


def test_item_page_shows_the_metadata_block_of_seed_003(client, seed_item, topics):
    response = client.get(reverse("publishing:item", args=[seed_item.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for label, value in [("索引号", seed_item.index_number), ("发布机构", "宿州市埇桥区人民政府办公室"),
                         ("生成日期", "2021-11-20"),
                         ("发布日期", timezone.localtime(seed_item.published_at).strftime("%Y-%m-%d")),
                         ("文号", "宁政办秘〔2021〕60号"), ("主题分类", "综合政务"), ("组配分类", "政策文件"),
                         ("名称", SEED_003_TITLE)]:
        assert label in html and value in html, label
    assert "有申请必登记" in html
    assert "本文件现行有效" in html


def test_catalogue_browse_by_agency_topic_and_facet(client, world, seed_item, topics):
    other = published(world, title="关于2026年城乡居民最低生活保障标准的公示", topic=topics["民政"],
                      facet=topics["名单公示"])
    by_topic = client.get(reverse("publishing:by_topic", args=[topics["综合政务"].pk])).content.decode()
    assert SEED_003_TITLE in by_topic and other.title not in by_topic
    by_facet = client.get(reverse("publishing:by_facet", args=[topics["名单公示"].pk])).content.decode()
    assert other.title in by_facet and SEED_003_TITLE not in by_facet
    by_agency = client.get(reverse("publishing:by_agency", args=[world.dept.code])).content.decode()
    assert other.title in by_agency and SEED_003_TITLE in by_agency
    empty = client.get(reverse("publishing:by_agency", args=[world.other.code])).content.decode()
    assert other.title not in empty and "没有符合条件的信息" in empty
    assert client.get(reverse("publishing:by_topic", args=[topics["政策文件"].pk])).status_code == 404
    assert client.get(reverse("publishing:by_agency", args=["NOPE"])).status_code == 404


def test_search_finds_chinese_substrings_in_title_and_body(client, world, seed_item):
    other = published(world, title="关于开展2026年政务公开专项检查的通知", body="<p>请各单位开展自查。</p>")
    url = reverse("publishing:catalogue")
    body_hit = client.get(url, {"q": "有登记必答复"}).content.decode()  # only in seed_item's body
    assert SEED_003_TITLE in body_hit and other.title not in body_hit
    both = client.get(url, {"q": "政务公开"}).content.decode()
    assert SEED_003_TITLE in both and other.title in both
    narrowed = client.get(url, {"q": "政务公开 专项检查"}).content.decode()
    assert other.title in narrowed and SEED_003_TITLE not in narrowed
    none = client.get(url, {"q": "不存在的词语组合"}).content.decode()
    assert "没有符合条件的信息" in none


def test_limited_scope_items_never_appear_publicly(client, world):
    limited = published(world, title="关于某村2026年危房改造补助对象的公示", scope="limited",
                        scope_audience="某村村务公开栏")
    assert limited.online
    assert client.get(reverse("publishing:item", args=[limited.pk])).status_code == 404
    assert limited.title not in client.get(reverse("publishing:catalogue")).content.decode()
    assert limited.title not in client.get(reverse("publishing:catalogue"), {"q": "危房改造"}).content.decode()
    assert limited.title not in client.get(reverse("publishing:feed")).content.decode()
    data = client.get(reverse("publishing:items_json")).json()
    assert all(row["id"] != limited.pk for row in data["items"])


def test_working_draft_of_a_published_item_is_never_shown(client, world, seed_item):
    # given a published item whose drafter is preparing an update
    actions.edit_item(actor=world.drafter, item=seed_item,
                      data={"title": "草稿中的新标题（未审核）", "body": "<p>未经审核的新正文</p>"})
    item = reload(seed_item)
    assert item.status == "draft" and item.online
    # then the public site still shows the published revision
    html = client.get(reverse("publishing:item", args=[item.pk])).content.decode()
    assert SEED_003_TITLE in html and "有申请必登记" in html
    assert "草稿中的新标题" not in html and "未经审核的新正文" not in html
    listing = client.get(reverse("publishing:catalogue"), {"q": "未经审核"}).content.decode()
    assert "没有符合条件的信息" in listing
    row = next(r for r in client.get(reverse("publishing:items_json")).json()["items"] if r["id"] == item.pk)
    assert row["title"] == SEED_003_TITLE and "未经审核" not in row["body_html"]
    # and once the update passes its full review and is published, the new text replaces it
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item)
    publish_item(actor=world.publisher, item=item)
    html = client.get(reverse("publishing:item", args=[item.pk])).content.decode()
    assert "草稿中的新标题" in html and reload(item).index_number == seed_item.index_number


def test_unpublished_items_are_not_public(client, world):
    item = approved(world)
    assert client.get(reverse("publishing:item", args=[item.pk])).status_code == 404
    assert client.get(reverse("publishing:item", args=[999999])).status_code == 404


def test_withdrawal_removes_the_item_from_every_public_view_at_once(client, world, seed_item):
    # given the item is visible everywhere
    assert client.get(reverse("publishing:item", args=[seed_item.pk])).status_code == 200
    assert SEED_003_TITLE in client.get(reverse("publishing:feed")).content.decode()
    # when the publisher withdraws it
    withdraw_item(actor=world.publisher, item=seed_item, reason="内容已过时")
    # then it is gone from the page, the list, the search, the feed, the valid list; the CMS gets a tombstone
    assert client.get(reverse("publishing:item", args=[seed_item.pk])).status_code == 404
    assert SEED_003_TITLE not in client.get(reverse("publishing:catalogue")).content.decode()
    assert SEED_003_TITLE not in client.get(reverse("publishing:catalogue"), {"q": "登记制"}).content.decode()
    assert SEED_003_TITLE not in client.get(reverse("publishing:feed")).content.decode()
    assert SEED_003_TITLE not in client.get(reverse("publishing:valid")).content.decode()
    row = next(r for r in client.get(reverse("publishing:items_json")).json()["items"] if r["id"] == seed_item.pk)
    assert row == {"id": seed_item.pk, "index_number": seed_item.index_number, "online": False,
                   "changed_at": row["changed_at"]}
    # and it is kept internally with its history
    item = reload(seed_item)
    assert item.status == "withdrawn" and item.published_revision_id and item.revisions.count() == 1


def test_repealed_document_is_shown_prominently_and_leaves_the_valid_list(client, world, seed_item):
    valid_page = client.get(reverse("publishing:valid")).content.decode()
    assert SEED_003_TITLE in valid_page
    mark_repealed(actor=world.publisher, item=seed_item, comment="宁政办〔2022〕1号决定废止")
    html = client.get(reverse("publishing:item", args=[seed_item.pk])).content.decode()
    assert "本文件已废止" in html and 'class="validity-banner repealed"' in html
    assert SEED_003_TITLE not in client.get(reverse("publishing:valid")).content.decode()
    assert SEED_003_TITLE in client.get(reverse("publishing:catalogue")).content.decode()


def test_policy_and_interpretation_link_to_each_other(client, world):
    policy = approved(world, title="关于印发宿州市优化营商环境若干措施的通知", info_type="policy_document",
                      needs_interpretation=False)
    interp = approved(world, title="《宿州市优化营商环境若干措施》政策解读", info_type="interpretation",
                      interprets=policy.pk)
    publish_item(actor=world.publisher, item=policy)  # 三同步: the interpretation goes online with it
    assert reload(interp).online
    policy_html = client.get(reverse("publishing:item", args=[policy.pk])).content.decode()
    interp_html = client.get(reverse("publishing:item", args=[interp.pk])).content.decode()
    assert "政策解读" in policy_html and reverse("publishing:item", args=[interp.pk]) in policy_html
    assert "解读的政策文件" in interp_html and reverse("publishing:item", args=[policy.pk]) in interp_html
    # a withdrawn interpretation is no longer linked
    withdraw_item(actor=world.publisher, item=interp, reason="解读内容有误")
    assert reverse("publishing:item", args=[interp.pk]) not in client.get(
        reverse("publishing:item", args=[policy.pk])).content.decode()


def test_attachments_of_the_published_revision_only(client, world):
    # given an item published with an attachment
    with_file = draft(world, title="关于公布2026年政府信息公开指南的通知")
    actions.edit_item(actor=world.drafter, item=with_file,
                      add_attachments=[NewAttachment("公开指南.txt", "政府信息公开指南全文".encode(), "text/plain")])
    actions.submit_item(actor=world.drafter, item=with_file)
    approve_all(world, with_file)
    publish_item(actor=world.publisher, item=with_file)
    att = reload(with_file).published_revision.attachments.get()
    response = client.get(reverse("publishing:attachment", args=[with_file.pk, att.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == "政府信息公开指南全文".encode()
    # a new attachment in the working draft is not downloadable
    actions.edit_item(actor=world.drafter, item=with_file,
                      add_attachments=[NewAttachment("草稿.txt", "草稿附件".encode(), "text/plain")])
    draft_att = reload(with_file).current_revision.attachments.get(name="草稿.txt")
    assert client.get(reverse("publishing:attachment", args=[with_file.pk, draft_att.pk])).status_code == 404
    html = client.get(reverse("publishing:item", args=[with_file.pk])).content.decode()
    assert "公开指南.txt" in html and "草稿.txt" not in html


def test_atom_feed(client, seed_item):
    response = client.get(reverse("publishing:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert "<feed" in xml and SEED_003_TITLE in xml and f"urn:shenfa:index:{seed_item.index_number}" in xml
