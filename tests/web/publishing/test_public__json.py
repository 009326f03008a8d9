"""JSON endpoint for the website's CMS: paginated, `since` a timestamp, tombstones for offline items."""
import pytest
from django.urls import reverse
from freezegun import freeze_time

from publishing.actions import withdraw_item
from tests.factories import published


def test_pages_and_since(client, world):
    with freeze_time("2026-03-02 09:00:00+08:00"):
        first = [published(world, title=f"关于公布2026年第{i}批行政许可事项的通知") for i in range(3)]
    with freeze_time("2026-03-05 09:00:00+08:00"):
        later = published(world, title="关于调整城乡居民最低生活保障标准的通知")
    url = reverse("publishing:items_json")

    page1 = client.get(url, {"page_size": 2}).json()
    assert page1["count"] == 4 and page1["pages"] == 2 and page1["page"] == 1
    assert [r["id"] for r in page1["items"]] == [first[0].pk, first[1].pk]
    assert "page=2" in page1["next"]
    page2 = client.get(page1["next"]).json()
    assert [r["id"] for r in page2["items"]] == [first[2].pk, later.pk] and page2["next"] is None

    row = page2["items"][1]
    assert row["title"] == later.title and row["online"] is True and row["index_number"] == later.index_number
    assert row["agency"] == {"code": world.dept.code, "name": world.dept.name}
    assert row["url"].endswith(reverse("publishing:item", args=[later.pk]))

    since = client.get(url, {"since": "2026-03-03T00:00:00+08:00"}).json()
    assert [r["id"] for r in since["items"]] == [later.pk]
    naive = client.get(url, {"since": "2026-03-03T00:00:00"}).json()  # read in Asia/Shanghai
    assert [r["id"] for r in naive["items"]] == [later.pk]

    # a withdrawal is a change: the CMS pulling since its last sync learns to take the page down
    with freeze_time("2026-03-06 09:00:00+08:00"):
        withdraw_item(actor=world.publisher, item=first[0], reason="已被新文件替代")
    changes = client.get(url, {"since": "2026-03-05T12:00:00+08:00"}).json()["items"]
    assert changes == [{"id": first[0].pk, "index_number": first[0].index_number, "online": False,
                        "changed_at": changes[0]["changed_at"]}]


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-40T00:00:00"])
def test_bad_since_is_a_clear_400(client, db, bad):
    response = client.get(reverse("publishing:items_json"), {"since": bad})
    assert response.status_code == 400
    assert response.json()["field"] == "since" and "ISO 8601" in response.json()["message"]
