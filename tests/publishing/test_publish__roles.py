"""Publish, schedule and withdraw for every person of the world; exact audit names."""
import datetime

import pytest
from django.utils import timezone

from core.errors import InvalidInput, NotAllowedForYou, NotAllowedInState
from publishing.actions import publish_item, withdraw_item
from tests.factories import EVERYONE, approved, audit_actions, last_seq, person, published, reload


@pytest.mark.parametrize("when", ["now", "scheduled"])
def test_publish_and_schedule(world, when):
    item = approved(world)
    at = timezone.now() + datetime.timedelta(days=1) if when == "scheduled" else None
    seq = last_seq()
    for who in EVERYONE:  # everybody but the agency's publisher is refused, nothing is stored
        if who == "publisher":
            continue
        with pytest.raises(NotAllowedForYou):
            publish_item(actor=person(world, who), item=item, at=at)
        assert reload(item).status == "approved" and audit_actions(since=seq) == [], who
    publish_item(actor=world.publisher, item=item, at=at)
    expected = "publishing.item.schedule" if at else "publishing.item.publish"
    assert audit_actions(since=seq) == [expected]
    assert reload(item).status == ("scheduled" if at else "published")


def test_withdraw(world):
    item = published(world)
    seq = last_seq()
    for who in EVERYONE:
        if who == "publisher":
            continue
        with pytest.raises(NotAllowedForYou):
            withdraw_item(actor=person(world, who), item=item, reason="内容有误")
        assert reload(item).online and audit_actions(since=seq) == [], who
    withdraw_item(actor=world.publisher, item=item, reason="内容有误")
    assert audit_actions(since=seq) == ["publishing.item.withdraw"]
    item = reload(item)
    assert not item.online and item.status == "withdrawn" and item.offline_reason == "内容有误"


def test_withdraw_needs_a_reason_and_an_online_item(world):
    item = published(world)
    with pytest.raises(InvalidInput):
        withdraw_item(actor=world.publisher, item=item, reason=" ")
    withdraw_item(actor=world.publisher, item=item, reason="内容有误")
    with pytest.raises(NotAllowedInState):
        withdraw_item(actor=world.publisher, item=item, reason="再次撤回")


def test_publishing_twice_is_refused(world):
    item = published(world)
    seq = last_seq()
    with pytest.raises(NotAllowedInState):
        publish_item(actor=world.publisher, item=item)
    assert audit_actions(since=seq) == []
