"""The may-see rule and the error pages: foreign objects are 404s that name nothing; path ids are bounded."""
import pytest

from tests.factories import draft


@pytest.mark.parametrize("path", [
    "/items/{pk}/", "/items/{pk}/edit/", "/items/{pk}/sheet/", "/gk/manage/items/{pk}/",
])
def test_another_agencys_item_is_a_404_like_a_missing_one(client, world, path):
    item = draft(world)
    client.force_login(world.other_first)
    foreign = client.get(path.format(pk=item.pk))
    missing = client.get(path.format(pk=item.pk + 10_000))
    assert foreign.status_code == missing.status_code == 404
    assert world.dept.name not in foreign.content.decode()


@pytest.mark.parametrize("path", [
    "/gk/item/123456789012345678901234567890/", "/items/99999999999/", "/audit/report/X/99999/",
    "/audit/sheet/123456789012345678901234567890/", "/tasks/4294967296/",
])
def test_huge_or_out_of_range_ids_are_404s_not_server_errors(client, world, path):
    client.force_login(world.auditor)
    response = client.get(path)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_a_batch_of_sheets_with_a_huge_id_is_a_400(client, world):
    client.force_login(world.office)
    response = client.get("/audit/sheets/?ids=1,123456789012345678901234567890")
    assert response.status_code == 400 and "找不到索引号或文号" in response.content.decode()


def test_engine_errors_become_chinese_pages_with_their_reason(client, world):
    client.force_login(world.drafter)
    response = client.get("/audit/export/")
    assert response.status_code == 403
    assert "只有审计员和政务公开办管理员可以导出审核记录" in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_404_500_403_are_chinese_pages_in_every_mode(client, world, settings, debug):
    # issue 13: the demo (DEBUG on) showed Django's English debug pages listing the URL patterns
    settings.DEBUG = debug
    settings.ROOT_URLCONF = "tests.web.crash_urls"
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()
    assert "URLconf" not in missing.content.decode() and "Page not found" not in missing.content.decode()
    client.raise_request_exception = False
    crashed = client.get("/crash/")
    assert crashed.status_code == 500 and "系统暂时无法处理您的请求" in crashed.content.decode()
    assert "Traceback" not in crashed.content.decode() and "boom" not in crashed.content.decode()
    client.force_login(world.drafter)
    denied = client.get("/audit/export/")
    assert denied.status_code == 403 and "只有审计员" in denied.content.decode()


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("shenfa/favicon.ico")
    assert 'rel="icon"' in client.get("/login/").content.decode()
