"""verify_audit detects an edited row and a deleted row; PostgreSQL refuses both at the database level."""
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from audit.models import AuditRecord
from audit.verify import verify_chain
from tests.factories import draft
from workflow import actions


@pytest.fixture
def chain(world):
    item = draft(world)
    actions.edit_item(actor=world.drafter, item=item, data={"summary": "改"})
    actions.submit_item(actor=world.drafter, item=item)
    assert AuditRecord.objects.count() == 3
    return item


def _tamper(sql, params):
    on_pg = connection.vendor == "postgresql"
    with connection.cursor() as cur:
        if on_pg:
            # Deferred foreign-key checks of this test's transaction must fire before ALTER TABLE.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("ALTER TABLE audit_auditrecord DISABLE TRIGGER audit_append_only")
        cur.execute(sql, params)
        if on_pg:
            cur.execute("ALTER TABLE audit_auditrecord ENABLE TRIGGER audit_append_only")


def test_intact_chain_verifies(chain):
    result = verify_chain()
    assert result.ok and result.checked == 3
    call_command("verify_audit")


def test_edited_row_is_detected(chain):
    _tamper("UPDATE audit_auditrecord SET comment = %s WHERE seq = %s", ["悄悄修改", 2])
    result = verify_chain()
    assert not result.ok and result.seq == 2 and "篡改" in result.message
    with pytest.raises(SystemExit) as exc:
        call_command("verify_audit")
    assert exc.value.code == 1


def test_deleted_row_is_detected(chain):
    _tamper("DELETE FROM audit_auditrecord WHERE seq = %s", [2])
    result = verify_chain()
    assert not result.ok and result.seq == 2 and "缺失" in result.message


def test_deleted_last_row_is_detected(chain):
    _tamper("DELETE FROM audit_auditrecord WHERE seq = %s", [3])
    result = verify_chain()
    assert not result.ok and "末尾" in result.message


def test_postgres_refuses_update_and_delete(chain):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    for sql in ("UPDATE audit_auditrecord SET comment = 'x' WHERE seq = 1", "DELETE FROM audit_auditrecord"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(sql)
    assert verify_chain().ok
