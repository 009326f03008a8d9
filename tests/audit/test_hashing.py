"""The signed message is the same in Python (writing) and PostgreSQL (verifying); keys come from outside the DB."""
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from audit import hashing
from audit import log as audit
from audit.keys import keyring
from audit.models import AuditRecord
from audit.verify import verify_chain

pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**15, 10**15) | st.text(max_size=12).filter(lambda s: "\x00" not in s)
    | st.floats(allow_nan=False, allow_infinity=False, width=32),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6).filter(lambda s: "\x00" not in s), children, max_size=4),
    max_leaves=12,
)


@pg_only
@pytest.mark.django_db
@settings(max_examples=200, deadline=None)
@given(value=json_values)
def test_jsonb_text_matches_postgresql(value):
    value = hashing.normalise_data(value)
    with connection.cursor() as cur:
        cur.execute("SELECT %s::jsonb::text", [hashing.json.dumps(value)])
        assert cur.fetchone()[0] == hashing.jsonb_text(value)


@pg_only
@pytest.mark.django_db
def test_message_built_by_postgresql_equals_pythons(world):
    with transaction.atomic():
        rec = audit.record(action="test.message", agency=world.dept, comment="含|竖线:和\n换行", actor=world.drafter,
                           data={"b": [1, 2.5, None, True], "aa": {"中文": "值", "x": "\u0001"}}, ip="10.0.0.1")
    with connection.cursor() as cur:
        cur.execute(f"SELECT {hashing.message_sql()} FROM audit_auditrecord WHERE id = %s", [rec.pk])
        assert bytes(cur.fetchone()[0]) == hashing.message(AuditRecord.objects.get(pk=rec.pk).hashed_values())


def test_message_keeps_field_boundaries_unambiguous():
    base = ["a1", 1, 1, None, "x", None, "n", "", None, None, "", "", "", "", "", "a|b", {}, "", "0" * 64, "k"]
    other = list(base)
    other[14], other[15] = "a", "b"  # to_state "a", comment "b" vs comment "a|b"
    from datetime import UTC, datetime
    base[3] = other[3] = datetime(2026, 1, 1, tzinfo=UTC)
    assert hashing.message(base) != hashing.message(other)


def test_keys_from_the_environment_and_a_key_file(settings, tmp_path, monkeypatch):
    key_file = tmp_path / "keys"
    key_file.write_text("# audit keys\nk2025 old-secret-0123456789abcdef\nk2026 new-secret-0123456789abcdef\n")
    settings.SHENFA = {**settings.SHENFA, "AUDIT_KEYS": {}}
    monkeypatch.setenv("SHENFA_AUDIT_KEY_FILE", str(key_file))
    keyring.cache_clear()
    ring = keyring()
    assert ring.current == "k2026" and set(ring.keys) == {"k2025", "k2026"}
    monkeypatch.setenv("SHENFA_AUDIT_KEY", "envkey:env-secret-0123456789abcdef")
    monkeypatch.setenv("SHENFA_AUDIT_KEY_ID", "k2025")
    keyring.cache_clear()
    ring = keyring()
    assert ring.current == "k2025" and ring.get("envkey") == b"env-secret-0123456789abcdef"
    monkeypatch.setenv("SHENFA_AUDIT_KEY", "short:abc")
    keyring.cache_clear()
    with pytest.raises(ImproperlyConfigured):
        keyring()
    monkeypatch.delenv("SHENFA_AUDIT_KEY")
    monkeypatch.delenv("SHENFA_AUDIT_KEY_FILE")
    monkeypatch.delenv("SHENFA_AUDIT_KEY_ID")
    keyring.cache_clear()


@pytest.mark.django_db
def test_no_key_no_record(settings):
    settings.SHENFA = {**settings.SHENFA, "AUDIT_KEYS": {}}
    with pytest.raises(ImproperlyConfigured), transaction.atomic():
        audit.record(action="test.unsigned")


def test_system_check_reports_a_missing_key(settings):
    from audit.apps import check_keys

    settings.SHENFA = {**settings.SHENFA, "AUDIT_KEYS": {}}
    assert [e.id for e in check_keys()] == ["audit.E001", "audit.W001"]


@pg_only
@pytest.mark.django_db(transaction=True)
def test_parallel_verify_on_postgresql(world):
    # committed data (the worker processes have their own connections), several chains, one split in segments

    with transaction.atomic():
        for i in range(30):
            audit.record(action="test.parallel", agency=(world.dept, world.other, world.gov)[i % 3])
    result = verify_chain(workers=2, segment=7)
    assert result.ok, result.message
    assert result.workers == 2 and result.checked == AuditRecord.objects.count()
    rec = AuditRecord.objects.filter(agency=world.other).order_by("chain_seq")[8]
    with connection.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
        cur.execute("UPDATE audit_auditrecord SET comment = 'x' WHERE id = %s", [rec.pk])
        cur.execute("SET session_replication_role = origin")
    result = verify_chain(workers=2, segment=7)
    assert not result.ok and result.chain_seq == rec.chain_seq and result.chain == rec.chain


@pg_only
@pytest.mark.django_db
@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=20).filter(lambda s: "\x00" not in s), data=st.dictionaries(
    st.text(max_size=5).filter(lambda s: "\x00" not in s), json_values, max_size=3))
def test_any_record_message_is_the_same_in_postgresql(text, data):
    with transaction.atomic():
        rec = audit.record(action="test.any", comment=text, role=text[:40], ip=text[:45], data=data)
    with connection.cursor() as cur:
        cur.execute(f"SELECT {hashing.message_sql()} FROM audit_auditrecord WHERE id = %s", [rec.pk])
        assert bytes(cur.fetchone()[0]) == hashing.message(rec.hashed_values())
