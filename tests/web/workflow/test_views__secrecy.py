"""The secrecy reviewer's task page: findings shown, one-click masking, other people refused."""
import pytest

from tests.factories import approve_all, reload
from tests.workflow.test_secrecy__decision import ID1, list_item
from workflow import actions
from workflow.models import ReviewPolicy, Revision

pytestmark = pytest.mark.django_db


@pytest.fixture
def secrecy_task(world):
    ReviewPolicy.objects.create(name="名单两审", steps=["first_review", "secrecy_review"])
    item = list_item(world)
    actions.submit_item(actor=world.drafter, item=item)
    return item, approve_all(world, item, stop_before="secrecy_review")


def test_page_shows_findings_and_masks(client, world, secrecy_task):
    item, task = secrecy_task
    client.force_login(world.secrecy)
    page = client.get(f"/tasks/{task.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "一键脱敏" in html and ID1 not in html
    resp = client.post(f"/tasks/{task.pk}/mask/", {"expected_hash": item.current_revision.content_hash})
    assert resp.status_code == 302
    assert reload(item).current_revision.kind == Revision.Kind.MASK


@pytest.mark.parametrize("name", ["first", "drafter", "other_first", "publisher"])
def test_others_cannot_mask(client, world, secrecy_task, name):
    item, task = secrecy_task
    client.force_login(world.people[name])
    resp = client.post(f"/tasks/{task.pk}/mask/", {})
    assert resp.status_code in (403, 404, 409)
    assert reload(item).current_revision.kind == Revision.Kind.DRAFT
