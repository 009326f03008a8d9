"""Internal pages: scheduled list, overdue list, cleanup tasks and decisions, campaigns, item management."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from publishing import actions as pub
from publishing.models import CleanupCampaign
from tests.factories import approved, audit_actions, last_seq, published, reload


@pytest.mark.parametrize("name", ["scheduled", "overdue", "cleanup_list", "campaigns"])
def test_internal_pages_need_login(client, db, name):
    response = client.get(reverse(f"publishing:{name}"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_scheduled_list_is_per_agency(client, world):
    item = approved(world, title="关于2026年国庆节放假安排的通知")
    pub.publish_item(actor=world.publisher, item=item, at=timezone.now() + datetime.timedelta(hours=5))
    client.force_login(world.publisher)
    assert item.title in client.get(reverse("publishing:scheduled")).content.decode()
    client.force_login(world.office)  # office admin of the parent government
    assert item.title in client.get(reverse("publishing:scheduled")).content.decode()
    client.force_login(world.other_first)
    assert item.title not in client.get(reverse("publishing:scheduled")).content.decode()


@pytest.fixture
def task(world):
    with freeze_time("2025-01-06 10:00:00+08:00"):
        item = published(world)
    with freeze_time("2026-01-06 10:00:00+08:00"):
        return pub.open_due_cleanup(item=item)


def test_cleanup_decision_form(client, world, task):
    url = reverse("publishing:cleanup", args=[task.pk])
    client.force_login(world.other_first)
    assert client.get(url).status_code == 404
    client.force_login(world.drafter)
    assert client.post(url, {"decision": "withdraw", "reason": "x"}).status_code == 404
    client.force_login(world.publisher)
    listing = client.get(reverse("publishing:cleanup_list")).content.decode()
    assert task.item.title in listing
    assert client.get(url).status_code == 200
    assert client.post(url, {"decision": "keep", "next_review_date": "not a date"}).status_code == 400
    assert client.post(url, {"decision": "keep", "next_review_date": "2000-01-01"}).status_code == 400
    assert "下次复核日期须晚于今天" in client.post(
        url, {"decision": "keep", "next_review_date": "2000-01-01"}).content.decode()
    seq = last_seq()
    future = (timezone.localdate() + datetime.timedelta(days=365)).isoformat()
    response = client.post(url, {"decision": "keep", "next_review_date": future, "comment": "仍有效"})
    assert response.status_code == 302
    assert reload(task).decision == "keep" and audit_actions(since=seq) == ["publishing.cleanup.keep"]
    assert client.post(url, {"decision": "keep", "next_review_date": future}).status_code == 409


def test_campaign_pages(client, world, task):
    client.force_login(world.publisher)
    response = client.post(reverse("publishing:campaigns"), {"name": "专项清理", "agency": world.dept.pk})
    assert response.status_code == 403 and not CleanupCampaign.objects.exists()
    client.force_login(world.office)
    response = client.post(reverse("publishing:campaigns"), {"name": "2026年专项清理", "agency": world.dept.pk,
                                                             "published_before": "2030-01-01"})
    assert response.status_code == 302
    campaign = CleanupCampaign.objects.get()
    page = client.get(reverse("publishing:campaign", args=[campaign.pk])).content.decode()
    assert "进度：0 / 1" in page and task.item.title in page
    client.force_login(world.publisher)  # publishers follow campaigns over their items
    assert client.get(reverse("publishing:campaign", args=[campaign.pk])).status_code == 200
    client.force_login(world.other_first)
    assert client.get(reverse("publishing:campaign", args=[campaign.pk])).status_code == 404


def test_item_withdraw_and_validity_forms(client, world):
    item = published(world, info_type="normative_document", title="宿州市行政规范性文件管理办法")
    manage = reverse("publishing:item_manage", args=[item.pk])
    client.force_login(world.drafter)
    assert client.get(manage).status_code == 200
    assert client.post(reverse("publishing:item_withdraw", args=[item.pk]), {"reason": "x"}).status_code == 403
    client.force_login(world.other_first)
    assert client.get(manage).status_code == 404
    client.force_login(world.publisher)
    seq = last_seq()
    assert client.post(reverse("publishing:item_validity", args=[item.pk]),
                       {"validity": "repealed", "comment": ""}).status_code == 400
    response = client.post(reverse("publishing:item_validity", args=[item.pk]),
                           {"validity": "repealed", "comment": "宿政规〔2026〕1号决定废止"})
    assert response.status_code == 302 and reload(item).validity == "repealed"
    response = client.post(reverse("publishing:item_withdraw", args=[item.pk]), {"reason": "已废止，不再展示"})
    assert response.status_code == 302 and not reload(item).online
    assert audit_actions(since=seq) == ["publishing.validity.repeal", "publishing.item.withdraw"]
    assert client.get(reverse("publishing:item", args=[item.pk])).status_code == 404
