"""Promise 4: the audit trail is a keyed hash chain per agency; verify_audit finds edited, deleted, re-hashed rows."""
import hashlib

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from audit import hashing
from audit import log as audit
from audit.models import GENESIS_HASH, SYSTEM_CHAIN, AuditChain, AuditRecord, chain_for
from audit.verify import verify_chain
from tests.audit.conftest import tamper
from tests.factories import draft

pytestmark = pytest.mark.django_db


def _records(world, n=3):
    for i in range(n):
        draft(world, title=f"信息{i}")
    return list(AuditRecord.objects.filter(chain=chain_for(world.dept.pk)).order_by("chain_seq"))


def test_chain_links_each_record_to_the_previous_of_its_agency(world):
    recs = _records(world)
    assert recs[0].prev_hash == GENESIS_HASH and recs[0].chain_seq == 1
    for prev, rec in zip(recs, recs[1:], strict=False):
        assert rec.prev_hash == prev.hash
        assert rec.chain_seq == prev.chain_seq + 1 and rec.seq > prev.seq
        assert rec.key_id == "test"
    head = AuditChain.objects.get(chain=recs[0].chain)
    assert (head.count, head.last_hash, head.last_seq) == (len(recs), recs[-1].hash, recs[-1].seq)
    result = verify_chain()
    assert result.ok and result.checked == AuditRecord.objects.count()


def test_agencies_and_the_system_have_separate_chains(world):
    draft(world)
    with transaction.atomic():
        other = audit.record(action="test.other", agency=world.other)
        system = audit.record(action="test.system")
    assert other.chain == chain_for(world.other.pk) and other.chain_seq == 1 and other.prev_hash == GENESIS_HASH
    assert system.chain == SYSTEM_CHAIN
    assert AuditRecord.objects.filter(chain=chain_for(world.dept.pk)).exists()
    assert verify_chain().chains >= 3


def test_the_hash_is_keyed(world):
    rec = _records(world, 1)[0]
    # not a plain SHA-256 of anything an attacker can compute from the row
    assert rec.hash != hashlib.sha256(hashing.message(rec.hashed_values())).hexdigest()
    assert rec.hash == hashing.sign(b"test-audit-key-not-a-secret-0123456789", hashing.message(rec.hashed_values()))


def test_edited_record_is_reported_with_its_position(world, capsys):
    recs = _records(world)
    tamper("UPDATE audit_auditrecord SET comment = %s WHERE id = %s", ["篡改", recs[1].pk])
    result = verify_chain()
    assert not result.ok and result.seq == recs[1].seq and result.chain_seq == 2 and "篡改" in result.message
    with pytest.raises(SystemExit) as exc:
        call_command("verify_audit")
    assert exc.value.code == 1
    assert "第 2 条" in capsys.readouterr().err


def test_deleted_record_in_the_middle_is_reported(world):
    recs = _records(world)
    tamper("DELETE FROM audit_auditrecord WHERE id = %s", [recs[1].pk])
    result = verify_chain()
    assert not result.ok and result.chain_seq == 2 and "缺失" in result.message


def test_deleted_last_record_is_reported(world):
    recs = _records(world)
    tamper("DELETE FROM audit_auditrecord WHERE id = %s", [recs[-1].pk])
    result = verify_chain()
    assert not result.ok and "末尾" in result.message


def test_rehash_without_the_key_is_detected(world):
    # the attack of issue 16: rewrite a record and re-hash it (and everything after) with plain SHA-256
    recs = _records(world)
    prev = recs[0].hash
    for rec in recs[1:]:
        rec.comment = "伪造并重算哈希" if rec.pk == recs[1].pk else rec.comment
        rec.prev_hash = prev
        new_hash = hashlib.sha256(hashing.message(rec.hashed_values())).hexdigest()
        tamper("UPDATE audit_auditrecord SET comment = %s, prev_hash = %s, hash = %s WHERE id = %s",
               [rec.comment, prev, new_hash, rec.pk])
        prev = new_hash
    tamper("UPDATE audit_auditchain SET last_hash = %s WHERE chain = %s", [prev, recs[0].chain])
    result = verify_chain()
    assert not result.ok and result.chain_seq == 2 and "篡改" in result.message


def test_unkeyed_record_outside_the_legacy_chain_is_refused(world):
    recs = _records(world)
    rec = recs[-1]
    rec.key_id = ""
    tamper("UPDATE audit_auditrecord SET key_id = '', hash = %s WHERE id = %s",
           [hashing.legacy_hash(rec.legacy_canonical()), rec.pk])
    result = verify_chain()
    assert not result.ok and "没有密钥签名" in result.message


def test_verify_command_succeeds_on_intact_chain(world, capsys):
    _records(world)
    call_command("verify_audit", workers=1)
    assert "完整" in capsys.readouterr().out


def test_record_outside_a_transaction_is_refused(transactional_db):
    with pytest.raises(RuntimeError):
        audit.record(action="test.outside")


def test_rolled_back_action_leaves_no_record(world):
    before = AuditRecord.objects.count()
    with pytest.raises(ZeroDivisionError):
        with transaction.atomic():
            audit.record(action="test.rollback")
            raise ZeroDivisionError
    assert AuditRecord.objects.count() == before
    assert verify_chain().ok


def test_missing_key_is_reported_not_accepted(world, settings):
    _records(world, 1)
    settings.SHENFA = {**settings.SHENFA, "AUDIT_KEYS": {"new": "another-key-0123456789abcdef"}}
    result = verify_chain()
    assert not result.ok and "未配置" in result.message


def test_key_rotation_keeps_old_records_verifiable(world, settings):
    # given: records signed with the old key
    _records(world, 2)
    # when: a new key becomes current, the old one stays in the ring
    settings.SHENFA = {**settings.SHENFA, "AUDIT_KEYS": {"test": "test-audit-key-not-a-secret-0123456789",
                                                         "k2027": "new-key-of-2027-0123456789abcdef"},
                       "AUDIT_KEY_ID": "k2027"}
    with transaction.atomic():
        rec = audit.record(action="test.after_rotation", agency=world.dept)
    # then
    assert rec.key_id == "k2027"
    assert verify_chain().ok


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgres_refuses_update_delete_and_truncate(world):
    from django.db import DatabaseError

    _records(world, 1)
    for sql in ("UPDATE audit_auditrecord SET comment = 'x'", "DELETE FROM audit_auditrecord",
                "TRUNCATE audit_auditrecord CASCADE", "TRUNCATE audit_auditchain"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's deferred FK checks would block TRUNCATE first
            cur.execute(sql)
    assert verify_chain().ok


def test_chain_heads_only_move_forward(world):
    from django.db import DatabaseError

    recs = _records(world, 2)
    chain = recs[0].chain
    refused = [
        ("UPDATE audit_auditchain SET count = 1, last_hash = %s, last_seq = %s WHERE chain = %s",
         [recs[0].hash, recs[0].seq, chain]),                                  # roll back to an earlier record
        ("UPDATE audit_auditchain SET count = 3, last_hash = %s, last_seq = last_seq + 1 WHERE chain = %s",
         ["f" * 64, chain]),                                                   # forward to a record that is not there
        ("DELETE FROM audit_auditchain WHERE chain = %s", [chain]),
        ("UPDATE audit_auditrecord SET comment = 'x' WHERE id = %s", [recs[0].pk]),
        ("DELETE FROM audit_auditrecord WHERE id = %s", [recs[0].pk]),
    ]
    for sql, params in refused:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, params)
    assert verify_chain().ok
