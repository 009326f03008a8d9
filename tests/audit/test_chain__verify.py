"""Promise 4: the audit trail is a hash chain; verify_audit finds an edited or deleted row."""
import pytest
from django.core.management import call_command
from django.db import connection, transaction

from audit import log as audit
from audit.models import AuditRecord
from audit.verify import verify_chain
from tests.factories import draft

pytestmark = pytest.mark.django_db


def _raw(sql, params=()):
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # A superuser session may skip triggers: simulates someone with direct database access.
            cur.execute("SET session_replication_role = replica")
        cur.execute(sql, params)
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = origin")


def _records(world, n=3):
    for i in range(n):
        draft(world, title=f"信息{i}")
    return list(AuditRecord.objects.order_by("seq"))


def test_chain_links_each_record_to_the_previous(world):
    recs = _records(world)
    assert recs[0].prev_hash == "0" * 64
    for prev, rec in zip(recs, recs[1:]):
        assert rec.prev_hash == prev.hash
        assert rec.seq == prev.seq + 1
    result = verify_chain()
    assert result.ok and result.checked == len(recs)


def test_edited_record_is_reported_with_its_position(world, capsys):
    recs = _records(world)
    _raw("UPDATE audit_auditrecord SET comment = %s WHERE seq = %s", ["篡改", recs[1].seq])
    result = verify_chain()
    assert not result.ok and result.seq == recs[1].seq and "篡改" in result.message
    with pytest.raises(SystemExit) as exc:
        call_command("verify_audit")
    assert exc.value.code == 1
    assert f"第 {recs[1].seq} 条" in capsys.readouterr().err


def test_deleted_record_in_the_middle_is_reported(world):
    recs = _records(world)
    _raw("DELETE FROM audit_auditrecord WHERE seq = %s", [recs[1].seq])
    result = verify_chain()
    assert not result.ok and result.seq == recs[1].seq and "缺失" in result.message


def test_deleted_last_record_is_reported(world):
    recs = _records(world)
    _raw("DELETE FROM audit_auditrecord WHERE seq = %s", [recs[-1].seq])
    result = verify_chain()
    assert not result.ok and "末尾" in result.message


def test_rehashed_forgery_breaks_the_next_link(world):
    recs = _records(world)
    forged = AuditRecord.objects.get(seq=recs[1].seq)
    forged.comment = "伪造并重算哈希"
    new_hash = forged.compute_hash()
    _raw("UPDATE audit_auditrecord SET comment = %s, hash = %s WHERE seq = %s", [forged.comment, new_hash, forged.seq])
    result = verify_chain()
    assert not result.ok and result.seq == recs[2].seq


def test_verify_command_succeeds_on_intact_chain(world, capsys):
    _records(world)
    call_command("verify_audit")
    assert "完整" in capsys.readouterr().out


def test_record_outside_a_transaction_is_refused(transactional_db):
    with pytest.raises(RuntimeError):
        audit.record(action="test.outside")


def test_rolled_back_action_leaves_no_record(world):
    before = AuditRecord.objects.count()
    with pytest.raises(ZeroDivisionError):
        with transaction.atomic():
            audit.record(action="test.rollback")
            1 / 0
    assert AuditRecord.objects.count() == before
    assert verify_chain().ok


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgres_refuses_update_and_delete(world):
    from django.db import DatabaseError

    _records(world, 1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.update(comment="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.all().delete()
