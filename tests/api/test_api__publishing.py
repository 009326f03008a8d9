"""Publishing and after through the API: validity, cleanup decisions, campaigns; input (400), state (409)."""
import pytest
from django.utils import timezone

from core.models import Membership, Role
from publishing import actions as publishing
from publishing.models import CleanupTask
from tests.factories import draft, last_seq, published, reload
from workflow.models import InfoType

from .conftest import Api, actions_since, assert_error


def test_validity_amend_expire_repeal(world):
    doc = published(world, info_type=InfoType.NORMATIVE_DOCUMENT)
    newer = published(world, title="关于修改《宿州市政务公开工作规定》的决定")
    api = Api(world.publisher)
    # the amending document must be one I may see or one published to everyone; others are "not there"
    foreign = draft(world)  # exists, not online
    assert_error(api.post(f"/items/{doc.pk}/validity/amend", {"amended_by": 999999}), 400, field="amended_by")
    assert_error(api.post(f"/items/{doc.pk}/validity/amend", {"amended_by": foreign.pk}), 400, field="amended_by")
    before = last_seq()
    body = api.post(f"/items/{doc.pk}/validity/amend", {"amended_by": newer.pk, "comment": "部分条款已修改"}).json()
    assert body["validity"] == "amended" and actions_since(before) == ["publishing.validity.amend"]
    assert_error(api.post(f"/items/{doc.pk}/validity/expire", {}), 400, "invalid_input", field="comment")
    assert api.post(f"/items/{doc.pk}/validity/repeal", {"comment": "已废止"}).json()["validity"] == "repealed"
    assert_error(api.post(f"/items/{doc.pk}/validity/expire", {"comment": "再改"}), 409, "invalid_state")


def test_validity_of_an_unpublished_item_is_a_state_error(world):
    item = draft(world)
    assert_error(Api(world.publisher).post(f"/items/{item.pk}/validity/expire", {"comment": "x"}), 409,
                 "invalid_state")


def _cleanup_task(world, **data):
    item = published(world, **data)
    return publishing.open_due_cleanup(item=item, today=item.next_review_date)


def test_cleanup_list_read_and_keep(world):
    task = _cleanup_task(world)
    api = Api(world.publisher)
    listed = api.get("/cleanup-tasks", {"status": "open"}).json()
    assert [t["id"] for t in listed["results"]] == [task.pk] and listed["count"] == 1
    assert Api(world.drafter).get("/cleanup-tasks").json()["count"] == 0  # only the publishers decide
    assert Api(world.drafter).get(f"/cleanup-tasks/{task.pk}").json()["item"]["id"] == task.item_id
    assert_error(api.post(f"/cleanup-tasks/{task.pk}/keep", {"next_review_date": "2020-01-01"}), 400,
                 field="next_review_date")
    assert_error(api.post(f"/cleanup-tasks/{task.pk}/keep", {"next_review_date": "3000-01-01"}), 400,
                 field="next_review_date")  # outside 1949..2100
    body = api.post(f"/cleanup-tasks/{task.pk}/keep", {"next_review_date": "2099-12-31"}).json()
    assert (body["status"], body["decision"]) == ("done", "keep")
    assert str(reload(task.item).next_review_date) == "2099-12-31"
    assert_error(api.post(f"/cleanup-tasks/{task.pk}/withdraw", {"reason": "x"}), 409, "task_closed")


def test_cleanup_update_needs_the_drafter_role_too(world):
    task = _cleanup_task(world)
    api = Api(world.publisher)
    assert_error(api.post(f"/cleanup-tasks/{task.pk}/update", {"data": {"summary": "更新"}}), 403,
                 "permission_denied")
    Membership.objects.create(user=world.publisher, agency=world.dept, role=Role.DRAFTER)
    assert_error(api.post(f"/cleanup-tasks/{task.pk}/update", {"data": {"status": "draft"}}), 400,
                 field="data.status")
    body = api.post(f"/cleanup-tasks/{task.pk}/update", {"data": {"summary": "更新联系方式"}, "note": "清理"}).json()
    assert body["decision"] == "update" and reload(task.item).status == "draft"


@pytest.mark.parametrize("info_type,offline", [(InfoType.GENERAL, True), (InfoType.NORMATIVE_DOCUMENT, False)])
def test_cleanup_invalid(world, info_type, offline):
    task = _cleanup_task(world, info_type=info_type)
    api = Api(world.publisher)
    assert_error(api.post(f"/cleanup-tasks/{task.pk}/invalid", {"validity": "amended", "comment": "x"}), 400,
                 field="validity")
    body = api.post(f"/cleanup-tasks/{task.pk}/invalid", {"validity": "repealed", "comment": "已废止"}).json()
    assert body["decision"] == "invalid"
    item = reload(task.item)
    assert (item.validity, item.online) == ("repealed", not offline)


def test_campaign_start_progress_and_read(world):
    published(world)
    published(world, title="第二份")
    office = Api(world.office)
    assert_error(office.post("/campaigns", {"name": "", "agency": world.dept.pk}), 400, field="name")
    assert_error(office.post("/campaigns", {"name": "清理", "agency": world.dept.pk, "topic": 99999}), 400,
                 field="topic")
    assert_error(office.post("/campaigns", {"name": "清理", "agency": 99999}), 400, field="agency")
    response = office.post("/campaigns", {"name": "2026年专项清理", "agency": world.dept.pk,
                                          "published_before": str(timezone.localdate().replace(year=2099))})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["progress"]["total"] == 2 and body["progress"]["open"] == 2 and len(body["tasks"]) == 2
    assert Api(world.publisher).get(f"/campaigns/{body['id']}").json()["name"] == "2026年专项清理"
    assert [c["id"] for c in Api(world.publisher).get("/campaigns").json()["results"]] == [body["id"]]
    assert_error(Api(world.drafter).get(f"/campaigns/{body['id']}"), 404, "not_found")
    assert CleanupTask.objects.filter(campaign_id=body["id"]).count() == 2
