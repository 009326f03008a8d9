"""Validity of normative documents: amended (linked), expired, repealed; each audited; only publishers."""
import pytest

from audit.models import AuditRecord
from core.errors import InvalidInput, NotAllowedForYou, NotAllowedInState
from publishing import catalogue
from publishing.actions import mark_amended, mark_expired, mark_repealed
from tests.factories import EVERYONE, approved, audit_actions, last_seq, person, published, reload


@pytest.fixture
def normative(world):
    return published(world, title="宿州市行政规范性文件管理办法", info_type="normative_document",
                     doc_number="宿政规〔2024〕1号")


@pytest.fixture
def amending(world):
    return published(world, title="关于修改《宿州市行政规范性文件管理办法》的决定", info_type="normative_document",
                     doc_number="宿政规〔2026〕2号")


def test_normative_document_is_valid_on_publication(normative):
    assert normative.validity == "valid"
    assert catalogue.currently_valid().filter(item=normative).exists()


def test_mark_amended_links_the_amending_document(world, normative, amending):
    seq = last_seq()
    mark_amended(actor=world.publisher, item=normative, amended_by=amending, comment="部分条款修改")
    item = reload(normative)
    assert item.validity == "amended" and item.amended_by_id == amending.pk
    assert audit_actions(since=seq) == ["publishing.validity.amend"]
    rec = AuditRecord.objects.filter(seq__gt=seq).order_by("seq").first()
    assert rec.item_id == normative.pk and rec.actor_id == world.publisher.pk
    assert rec.data == {"from_validity": "valid", "to_validity": "amended", "amended_by": amending.pk,
                        "amended_by_index": amending.index_number}
    assert not catalogue.currently_valid().filter(item=normative).exists()
    # repeating the same change is a no-op without audit noise
    mark_amended(actor=world.publisher, item=normative, amended_by=amending)
    assert audit_actions(since=seq) == ["publishing.validity.amend"]


@pytest.mark.parametrize("action,name,label", [(mark_expired, "publishing.validity.expire", "expired"),
                                               (mark_repealed, "publishing.validity.repeal", "repealed")])
def test_expire_and_repeal_are_final_and_audited(world, normative, action, name, label):
    seq = last_seq()
    action(actor=world.publisher, item=normative, comment="宿政〔2026〕9号决定")
    assert reload(normative).validity == label
    assert audit_actions(since=seq) == [name]
    assert not catalogue.currently_valid().filter(item=normative).exists()
    with pytest.raises(NotAllowedInState):
        mark_expired(actor=world.publisher, item=normative, comment="再次")
    with pytest.raises(NotAllowedInState):
        mark_repealed(actor=world.publisher, item=normative, comment="再次")
    assert audit_actions(since=seq) == [name]


def test_bad_input_stores_nothing(world, normative, amending):
    unpublished = approved(world, title="尚未发布的修改决定")
    seq = last_seq()
    with pytest.raises(InvalidInput) as exc:
        mark_expired(actor=world.publisher, item=normative, comment="  ")
    assert exc.value.field == "comment" and "依据" in exc.value.message
    with pytest.raises(InvalidInput):
        mark_amended(actor=world.publisher, item=normative, amended_by=None)
    with pytest.raises(InvalidInput):
        mark_amended(actor=world.publisher, item=normative, amended_by=normative)
    with pytest.raises(InvalidInput):
        mark_amended(actor=world.publisher, item=normative, amended_by=unpublished)
    with pytest.raises(NotAllowedInState):
        mark_repealed(actor=world.publisher, item=unpublished, comment="未发布")
    assert reload(normative).validity == "valid" and audit_actions(since=seq) == []


def test_only_the_agencys_publisher_changes_validity(world, normative, amending):
    seq = last_seq()
    for who in EVERYONE:
        if who == "publisher":
            continue
        actor = person(world, who)
        for call in (
            lambda actor=actor: mark_amended(actor=actor, item=normative, amended_by=amending, comment="修改"),
            lambda actor=actor: mark_expired(actor=actor, item=normative, comment="到期"),
            lambda actor=actor: mark_repealed(actor=actor, item=normative, comment="废止"),
        ):
            with pytest.raises(NotAllowedForYou):
                call()
        assert reload(normative).validity == "valid" and audit_actions(since=seq) == [], who
    mark_amended(actor=world.publisher, item=normative, amended_by=amending, comment="修改")
    mark_repealed(actor=world.publisher, item=normative, comment="废止")
    assert audit_actions(since=seq) == ["publishing.validity.amend", "publishing.validity.repeal"]
