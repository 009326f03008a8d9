"""The header count, the notices page (mark read, open), the settings page; nobody sees another's notices."""
import pytest

from notices.events import store_and_send
from notices.models import Kind, Notice, Preference

pytestmark = pytest.mark.django_db


def give(user, n=1, url="/items/1/"):
    return [store_and_send(kind=Kind.ITEM_RETURNED, recipient_ids=[user.pk], title=f"信息被退回修改：第{i}条",
                           body="退回理由：请补充附件", url=url, key="")[0] for i in range(n)]


def test_header_shows_the_unread_count(client, world):
    give(world.drafter, 3)
    client.force_login(world.drafter)
    html = client.get("/").content.decode()
    assert 'id="notice-count">3<' in html
    client.force_login(world.first)
    assert 'id="notice-count"' not in client.get("/").content.decode()


def test_list_mark_read_and_open(client, world):
    ids = give(world.drafter, 3)
    client.force_login(world.drafter)
    html = client.get("/notices/").content.decode()
    assert "信息被退回修改：第0条" in html and "请补充附件" in html and html.count('class="unread"') == 3
    resp = client.post("/notices/read/", {"notice": [ids[0]]})
    assert resp.status_code == 302 and Notice.objects.filter(read_at__isnull=True).count() == 2
    resp = client.post(f"/notices/{ids[1]}/open/")
    assert resp.status_code == 302 and resp["Location"] == "/items/1/"
    client.post("/notices/read/", {"all": "1"})
    assert not Notice.objects.filter(read_at__isnull=True).exists()
    assert "暂无消息" in client.get("/notices/?unread=1").content.decode()


def test_another_persons_notice_is_not_found_and_not_marked(client, world):
    [pk] = give(world.drafter)
    client.force_login(world.drafter2)
    assert client.post(f"/notices/{pk}/open/").status_code == 404
    client.post("/notices/read/", {"notice": [pk]})
    assert Notice.objects.get(pk=pk).read_at is None
    assert "信息被退回修改" not in client.get("/notices/").content.decode()


def test_an_outside_link_is_never_followed(client, world):
    [pk] = give(world.drafter, url="https://evil.example.com/")
    client.force_login(world.drafter)
    assert client.post(f"/notices/{pk}/open/")["Location"] == "/notices/"


def test_settings_page_saves_channels_and_digest(client, world):
    client.force_login(world.drafter)
    html = client.get("/notices/settings/").content.decode()
    assert "电子邮件" in html and "每日汇总" in html
    resp = client.post("/notices/settings/", {"channels": ["email"]})
    assert resp.status_code == 400 and "没有登记电子邮箱" in resp.content.decode()
    resp = client.post("/notices/settings/", {"channels": ["webhook"], "digest": "on"})
    assert resp.status_code == 302
    pref = Preference.objects.get(user=world.drafter)
    assert (pref.channels, pref.digest) == (["webhook"], True)
    assert client.post("/notices/settings/", {"channels": ["bogus"]}).status_code == 400


def test_pages_need_a_log_in(client, world):
    assert client.get("/notices/").status_code == 302
    assert client.post("/notices/read/", {"all": "1"}).status_code == 302
