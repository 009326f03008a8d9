"""Issue 16 finding 8 (data): the agency hierarchy refuses cycles, and nothing loops on a cycle written anyway."""
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, connection, transaction

from core import org
from core.models import Agency
from tests.factories import draft
from tests.hang_guard import hang_guard
from workflow.actions import policy_for, submit_item

pytestmark = pytest.mark.django_db


def test_clean_refuses_making_an_agency_its_own_ancestor(world):
    world.gov.parent = world.dept
    with pytest.raises(ValidationError, match="成环"):
        world.gov.full_clean()
    world.dept.parent = world.dept
    with pytest.raises(ValidationError, match="成环"):
        world.dept.full_clean()


def test_admin_form_refuses_a_cycle(world, admin_client):
    resp = admin_client.post(f"/admin/core/agency/{world.gov.pk}/change/", {
        "code": world.gov.code, "name": world.gov.name, "kind": world.gov.kind, "parent": world.dept.pk,
        "is_active": "on"})
    assert resp.status_code == 200 and "成环" in resp.content.decode()
    assert Agency.objects.get(pk=world.gov.pk).parent_id is None


@pytest.mark.parametrize("child_is_self", [True, False])
def test_database_refuses_a_cycle_written_past_validation(world, child_is_self):
    new_parent = world.gov if child_is_self else world.dept
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        Agency.objects.filter(pk=world.gov.pk).update(parent=new_parent)
    assert Agency.objects.get(pk=world.gov.pk).parent_id is None
    # a legitimate move still works
    Agency.objects.filter(pk=world.other.pk).update(parent=world.gov)


def _write_cycle(world):
    """Force a cycle gov -> dept -> gov (the trigger dropped, as a careless restore might)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = replica")  # triggers off (needs a superuser)
            cur.execute("UPDATE core_agency SET parent_id = %s WHERE id = %s", [world.dept.pk, world.gov.pk])
            cur.execute("SET session_replication_role = origin")
        else:
            cur.execute("DROP TRIGGER IF EXISTS core_agency_no_cycle_update")
            cur.execute("UPDATE core_agency SET parent_id = %s WHERE id = %s", [world.dept.pk, world.gov.pk])


@hang_guard(60)
def test_lookups_terminate_on_a_cyclic_hierarchy(world):
    item = draft(world)
    _write_cycle(world)
    dept = Agency.objects.get(pk=world.dept.pk)
    assert set(dept.descendant_ids()) == {world.gov.pk, world.dept.pk}
    assert org.ancestor_ids(dept) == [world.dept.pk, world.gov.pk]
    item.refresh_from_db()
    assert policy_for(item)[0]  # the default policy, found without looping
    submit_item(actor=world.drafter, item=item)
