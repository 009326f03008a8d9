"""Helpers for the publishing tests: items driven through the real review and publishing actions."""
import pytest
from django.db import connection

from audit.models import AuditRecord
from publishing.actions import publish_item
from tests.factories import approve_all, draft, reload
from workflow import actions
from workflow.models import Category

# Every person of the test world (tests/factories.build_world), plus anonymous (None).
EVERYONE = ["drafter", "drafter2", "proof1", "proof2", "proof3", "first", "second", "final", "secrecy", "legal",
            "publisher", "office", "auditor", "handler", "other_first", "multi", None]


def person(world, name):
    return world.people[name] if name else None


def approved(world, **data):
    """An item that passed every review step and waits for its publisher."""
    item = draft(world, **data)
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item)
    return reload(item)


def published(world, **data):
    item = approved(world, **data)
    publish_item(actor=world.publisher, item=item)
    return reload(item)


def audit_actions(item=None, since=0):
    qs = AuditRecord.objects.filter(seq__gt=since).order_by("seq")
    if item is not None:
        qs = qs.filter(item=item)
    return list(qs.values_list("action", flat=True))


def last_seq():
    rec = AuditRecord.objects.order_by("-seq").first()
    return rec.seq if rec else 0


def pg_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (real row locks between parallel connections)")


@pytest.fixture
def topics(db):
    return {
        "综合政务": Category.objects.create(kind=Category.Kind.TOPIC, name="综合政务", cleanup_interval_days=180),
        "民政": Category.objects.create(kind=Category.Kind.TOPIC, name="民政、扶贫、救灾"),
        "政策文件": Category.objects.create(kind=Category.Kind.FACET, name="政策文件"),
        "名单公示": Category.objects.create(kind=Category.Kind.FACET, name="公示公告"),
    }
