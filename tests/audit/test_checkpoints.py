"""Signed checkpoints outside the database: a forgery made with the key, or a deleted tail, contradicts them."""
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from audit import checkpoints, hashing
from audit import log as audit
from audit.keys import keyring
from audit.models import GENESIS_HASH, LEGACY_CHAIN, SYSTEM_CHAIN, AuditChain, AuditRecord, chain_for
from audit.verify import verify_chain
from core import tick
from tests.audit.conftest import tamper
from tests.factories import draft

pytestmark = pytest.mark.django_db


def _chain(world, n):
    with transaction.atomic():
        for i in range(n):
            audit.record(action="test.action", agency=world.dept, comment=f"第{i + 1}条")
    return list(AuditRecord.objects.filter(chain=chain_for(world.dept.pk)).order_by("chain_seq"))


def _rechain_with_key(recs, start):
    """An insider with the key: re-link and re-sign every record from `start` on, and move the head back."""
    key = keyring().get("test")
    prev = recs[start - 1].hash if start else GENESIS_HASH
    for pos, rec in enumerate(recs[start:], start=start + 1):
        rec.chain_seq, rec.prev_hash = pos, prev
        rec.hash = hashing.sign(key, hashing.message(rec.hashed_values()))
        tamper("UPDATE audit_auditrecord SET chain_seq = %s, prev_hash = %s, hash = %s, comment = %s WHERE id = %s",
               [pos, prev, rec.hash, rec.comment, rec.pk])
        prev = rec.hash
    last = recs[-1]
    tamper("UPDATE audit_auditchain SET count = %s, last_hash = %s, last_seq = %s WHERE chain = %s",
           [len(recs), last.hash, last.seq, last.chain])


def test_checkpoint_is_signed_and_written_outside_the_database(world, checkpoint_file):
    recs = _chain(world, 3)
    payload = checkpoints.write_checkpoint()
    line = checkpoint_file.read_text(encoding="utf-8").strip()
    assert json.loads(line) == payload
    assert payload["heads"][recs[0].chain] == [3, recs[-1].hash] and payload["key_id"] == "test"
    cp = AuditRecord.objects.get(chain=SYSTEM_CHAIN, action="audit.checkpoint")
    assert payload["heads"][SYSTEM_CHAIN] == [cp.chain_seq, cp.hash]
    # nothing moved: no second checkpoint unless forced
    assert checkpoints.write_checkpoint() is None
    assert checkpoints.write_checkpoint(force=True) is not None
    assert verify_chain().ok and verify_chain().checkpoints == 4  # 2 records + 2 file lines


def test_forged_checkpoint_line_is_reported(world, checkpoint_file):
    _chain(world, 2)
    checkpoints.write_checkpoint()
    body = json.loads(checkpoint_file.read_text(encoding="utf-8"))
    body["heads"][chain_for(world.dept.pk)][0] = 1
    checkpoint_file.write_text(json.dumps(body, ensure_ascii=False) + "\n", encoding="utf-8")
    result = verify_chain()
    assert not result.ok and "签名不符" in result.message


def test_issue16_attack_rewrite_16_delete_3_rehash_with_the_key_contradicts_the_checkpoint(world, checkpoint_file):
    # given: 20 records and a checkpoint written outside the database
    recs = _chain(world, 20)
    checkpoints.write_checkpoint()
    # when: an insider who also has the key rewrites record 16, deletes record 3 and re-signs everything after
    # (the head and the in-database checkpoint record are rewritten too: here the system chain is left alone,
    # which would also betray it)
    tamper("DELETE FROM audit_auditrecord WHERE id = %s", [recs[2].pk])
    recs[15].comment = "伪造的审核意见"
    remaining = recs[:2] + recs[3:]
    _rechain_with_key(remaining, 2)
    # then: every link and keyed hash holds, but the checkpoints do not
    result = verify_chain()
    assert not result.ok
    assert result.checkpoint, result.message
    assert any("检查点文件第 1 行" in p.checkpoint for p in result.problems)
    assert any("数据库检查点记录" in p.checkpoint for p in result.problems)


def test_issue16_attack_without_the_key_is_detected_even_without_checkpoints(world):
    recs = _chain(world, 20)
    tamper("DELETE FROM audit_auditrecord WHERE id = %s", [recs[2].pk])
    remaining = recs[:2] + recs[3:]
    remaining[14].comment = "伪造的审核意见"
    prev = remaining[1].hash
    for pos, rec in enumerate(remaining[2:], start=3):
        rec.chain_seq, rec.prev_hash = pos, prev
        rec.hash = hashing.sign(b"a-guessed-key-0123456789abcdef", hashing.message(rec.hashed_values()))
        tamper("UPDATE audit_auditrecord SET chain_seq = %s, prev_hash = %s, hash = %s, comment = %s WHERE id = %s",
               [pos, prev, rec.hash, rec.comment, rec.pk])
        prev = rec.hash
    result = verify_chain(checkpoint_file="")
    assert not result.ok and result.chain_seq == 3 and "篡改" in result.message


def test_deleted_tail_is_detected_against_the_last_checkpoint(world, checkpoint_file, capsys):
    # given
    recs = _chain(world, 5)
    checkpoints.write_checkpoint()
    # when: the last two records are deleted and the head is set back to record 3 (past the trigger)
    tamper("DELETE FROM audit_auditrecord WHERE id IN (%s, %s)", [recs[3].pk, recs[4].pk])
    tamper("UPDATE audit_auditchain SET count = 3, last_hash = %s, last_seq = %s WHERE chain = %s",
           [recs[2].hash, recs[2].seq, recs[2].chain])
    # then: the chain itself is consistent, the checkpoints say it had 5 records
    result = verify_chain()
    assert not result.ok and "末尾记录缺失" in result.message and "实际只有 3 条" in result.message
    assert result.checkpoint
    with pytest.raises(SystemExit):
        call_command("verify_audit", workers=1)
    assert "检查点文件第 1 行" in capsys.readouterr().err


def test_deleted_system_tail_is_detected_by_the_file_only(world, checkpoint_file):
    _chain(world, 2)
    checkpoints.write_checkpoint()
    cp = AuditRecord.objects.get(chain=SYSTEM_CHAIN, action="audit.checkpoint")
    tamper("DELETE FROM audit_auditrecord WHERE id = %s", [cp.pk])
    tamper("DELETE FROM audit_auditchain WHERE chain = %s", [SYSTEM_CHAIN])
    result = verify_chain()
    assert not result.ok and "检查点文件第 1 行" in result.checkpoint


def test_tick_writes_a_checkpoint_when_due(world, checkpoint_file):
    _chain(world, 1)
    now = timezone.now()
    assert tick.run_all(now)["audit"] == {"checkpoint": 1}
    assert tick.run_all(now)["audit"] == {"checkpoint": 0}           # not due yet
    with transaction.atomic():
        audit.record(action="test.more", agency=world.dept)
    assert tick.run_all(now + timedelta(minutes=61))["audit"] == {"checkpoint": 1}
    assert len(checkpoint_file.read_text().splitlines()) == 2


def test_checkpoint_command(world, checkpoint_file, capsys):
    _chain(world, 1)
    call_command("audit_checkpoint")
    assert "已写入检查点" in capsys.readouterr().out
    call_command("audit_checkpoint")
    assert "没有变化" in capsys.readouterr().out


def test_latest_for_gives_the_checkpoint_a_report_cites(world, checkpoint_file):
    recs = _chain(world, 2)
    assert checkpoints.latest_for(world.dept) is None
    checkpoints.write_checkpoint()
    cp = checkpoints.latest_for(world.dept)
    assert (cp.chain, cp.count, cp.last_hash) == (recs[0].chain, 2, recs[-1].hash)
    assert "审计检查点" in cp.label() and "共 2 条" in cp.label()
    assert checkpoints.latest_for(world.dept, at=timezone.now() - timedelta(days=1)) is None
    assert checkpoints.latest_for(None).chain == SYSTEM_CHAIN


def test_legacy_chain_verifies_and_is_sealed_by_the_first_checkpoint(world, checkpoint_file):
    # given: two records of the old single chain (unkeyed SHA-256), as migration 0006 leaves them
    prev = GENESIS_HASH
    with transaction.atomic():
        for pos in (1, 2):
            rec = AuditRecord(seq=10**9 + pos, chain=LEGACY_CHAIN, chain_seq=pos, key_id="", created_at=timezone.now(),
                              action="old.action", actor_name="系统", data={"n": pos}, prev_hash=prev)
            rec.hash = hashing.legacy_hash(rec.legacy_canonical())
            rec.save(force_insert=True)
            prev = rec.hash
        AuditChain.objects.create(chain=LEGACY_CHAIN, count=2, last_hash=prev, last_seq=10**9 + 2, closed=True)
    assert verify_chain().ok
    checkpoints.write_checkpoint()
    # when: someone rewrites a legacy record and recomputes the (unkeyed) hashes
    first = AuditRecord.objects.get(chain=LEGACY_CHAIN, chain_seq=1)
    first.comment = "改写的旧记录"
    h1 = hashing.legacy_hash(first.legacy_canonical())
    second = AuditRecord.objects.get(chain=LEGACY_CHAIN, chain_seq=2)
    second.prev_hash = h1
    h2 = hashing.legacy_hash(second.legacy_canonical())
    tamper("UPDATE audit_auditrecord SET comment = %s, hash = %s WHERE id = %s", [first.comment, h1, first.pk])
    tamper("UPDATE audit_auditrecord SET prev_hash = %s, hash = %s WHERE id = %s", [h1, h2, second.pk])
    tamper("UPDATE audit_auditchain SET last_hash = %s WHERE chain = %s", [h2, LEGACY_CHAIN])
    # then
    result = verify_chain()
    assert not result.ok and result.checkpoint


def test_appending_to_the_closed_legacy_chain_is_refused(world):
    from django.db import DatabaseError

    with transaction.atomic():
        AuditChain.objects.create(chain=LEGACY_CHAIN, count=0, closed=True)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditChain.objects.filter(chain=LEGACY_CHAIN).update(count=1, last_seq=1)


def test_draft_records_go_to_the_agency_chain(world):
    item = draft(world)
    assert set(AuditRecord.objects.filter(item=item).values_list("chain", flat=True)) == {chain_for(item.agency_id)}


def test_many_checkpoints_are_bounded_and_the_latest_still_catches_a_deleted_tail(world, checkpoint_file):
    from audit import verify

    recs = _chain(world, 1)
    for _ in range(7):
        with transaction.atomic():
            recs.append(audit.record(action="test.more", agency=world.dept))
        checkpoints.write_checkpoint()
    old = verify.MAX_CHECKPOINTS_PER_CHAIN
    verify.MAX_CHECKPOINTS_PER_CHAIN = 2
    try:
        assert verify_chain().ok
        tamper("DELETE FROM audit_auditrecord WHERE id = %s", [recs[-1].pk])
        tamper("UPDATE audit_auditchain SET count = %s, last_hash = %s, last_seq = %s WHERE chain = %s",
               [len(recs) - 1, recs[-2].hash, recs[-2].seq, recs[-2].chain])
        result = verify_chain()
        assert not result.ok and "末尾记录缺失" in result.message
    finally:
        verify.MAX_CHECKPOINTS_PER_CHAIN = old
