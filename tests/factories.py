"""Test data builders: agencies, one person per role, items driven through the real actions."""
import datetime
import itertools
from dataclasses import dataclass, field
from datetime import date

import factory
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from factory.django import DjangoModelFactory
from freezegun import freeze_time

from audit.models import AuditRecord
from core.models import Agency, Membership, Role
from disclosure import actions as disclosure_actions
from disclosure.codes import ApplicantType
from disclosure.models import Application
from publishing import actions as pub
from publishing.actions import publish_item
from workflow import actions
from workflow.models.review import STEP_ROLE

User = get_user_model()
PASSWORD = "pass12345!"

SAMPLE_BODY = (
    "<p>为深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，进一步提升政务公开质效，"
    "现将2024年政务公开工作要点印发给你们，请结合实际认真贯彻落实。</p>"
)


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"11341700TEST{n:06d}")
    name = factory.Sequence(lambda n: f"测试机构{n}")
    kind = Agency.Kind.DEPARTMENT


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyAttribute(lambda o: o.username)
    password = factory.django.Password(PASSWORD)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.DRAFTER


def make_user(username, agency=None, *roles, name=None):
    """A person holding `roles` in `agency` (each a Membership)."""
    user = UserFactory(username=username, first_name=name or username)
    for role in roles:
        MembershipFactory(user=user, agency=agency, role=role)
    return user


@dataclass
class World:
    gov: Agency
    dept: Agency
    other: Agency
    people: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.people[name]
        except KeyError:
            raise AttributeError(name) from None


def build_world():
    gov = AgencyFactory(code="11341700MB1234567X", name="宿州市人民政府", kind=Agency.Kind.GOVERNMENT)
    dept = AgencyFactory(code="11341702000111222F", name="宿州市埇桥区人民政府办公室", parent=gov)
    other = AgencyFactory(code="000014349", name="淮北市人民政府办公室")
    w = World(gov=gov, dept=dept, other=other)
    p = w.people
    p["drafter"] = make_user("drafter", dept, Role.DRAFTER, name="张起草")
    p["drafter2"] = make_user("drafter2", dept, Role.DRAFTER, name="李起草")
    p["proof1"] = make_user("proof1", dept, Role.PROOFREADER, name="王一校")
    p["proof2"] = make_user("proof2", dept, Role.PROOFREADER, name="赵二校")
    p["proof3"] = make_user("proof3", dept, Role.PROOFREADER, name="钱三校")
    p["first"] = make_user("first", dept, Role.FIRST_REVIEWER, name="孙初审")
    p["second"] = make_user("second", dept, Role.SECOND_REVIEWER, name="周复审")
    p["final"] = make_user("final", dept, Role.FINAL_REVIEWER, name="吴终审")
    p["secrecy"] = make_user("secrecy", dept, Role.SECRECY_REVIEWER, name="郑保密")
    p["legal"] = make_user("legal", dept, Role.LEGAL_REVIEWER, name="冯法审")
    p["publisher"] = make_user("publisher", dept, Role.PUBLISHER, name="陈发布")
    p["office"] = make_user("office", gov, Role.OFFICE_ADMIN, Role.OFFICE_HEAD, name="褚公开办")
    p["auditor"] = make_user("auditor", gov, Role.AUDITOR, name="卫审计")
    p["handler"] = make_user("handler", dept, Role.REQUEST_HANDLER, name="蒋经办")
    # Same roles, wrong agency.
    p["other_first"] = make_user("other_first", other, *dict.fromkeys(STEP_ROLE.values()), Role.PUBLISHER,
                                 Role.DRAFTER, name="沈外单位")
    # Holds every review role in dept: separation of duties must stop them doing two reviews.
    p["multi"] = make_user("multi", dept, Role.FIRST_REVIEWER, Role.SECOND_REVIEWER, Role.FINAL_REVIEWER,
                           name="韩多角色")
    return w


STEP_ACTOR = {
    "proof_1": "proof1", "proof_2": "proof2", "proof_3": "proof3", "first_review": "first",
    "second_review": "second", "final_review": "final", "secrecy_review": "secrecy", "legal_review": "legal",
}


def draft(world, **data):
    data.setdefault("title", "关于印发2024年政务公开工作要点的通知")
    data.setdefault("doc_number", "宿政办发〔2024〕5号")
    data.setdefault("body", SAMPLE_BODY)
    return actions.create_item(actor=world.drafter, agency=world.dept, data=data)


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def approve_all(world, item, *, stop_before=None):
    """Approve every open step of the item's current round with the default actors."""
    while True:
        task = actions.open_task_for(item)
        if task is None or task.data.get("step") == "publish":
            return task
        step = task.data["step"]
        if step == stop_before:
            return task
        actor = world.people[STEP_ACTOR[step]]
        actions.claim_task(actor=actor, task=task)
        actions.approve_step(actor=actor, task=task, comment="同意",
                             secrecy={"result": "disclosable"} if step == "secrecy_review" else None)


# --- publishing: items driven through the real review and publishing actions ---------------------------

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


# --- reports: items published at given moments, applications as the requests desk records them ------------

_numbers = itertools.count(1)


def publish_at(world, when, *, agency=None, drafter=None, publisher=None, **data):
    """Draft, review and publish an item with the clock frozen at `when` (ISO string with offset)."""
    with freeze_time(when):
        drafter = drafter or world.drafter
        if agency is not None and agency != world.dept:
            item = actions.create_item(actor=drafter, agency=agency, data={"body": "<p>正文</p>", **data})
        else:
            item = draft(world, **data)
        actions.submit_item(actor=drafter, item=item)
        approve_all(world, item) if agency in (None, world.dept) else _approve_other(world, item)
        pub.publish_item(actor=publisher or world.publisher, item=reload(item))
    return reload(item)


def _approve_other(world, item):
    """world.other_first holds every role in the other agency but may do only one of the three reviews;
    the fast policy has one review plus secrecy."""
    while True:
        task = actions.open_task_for(item)
        if task is None or task.data.get("step") == "publish":
            return
        actions.claim_task(actor=world.other_first, task=task)
        step = task.data["step"]
        actions.approve_step(actor=world.other_first, task=task, comment="同意",
                             secrecy={"result": "disclosable"} if step == "secrecy_review" else None)


def make_application(agency, user, *, applicant_type, received, replied=None, outcome="", fee=0, fee_paid=None):
    """One registered application (disclosure.Application) as the requests desk records it."""
    n = next(_numbers)
    return Application.objects.create(
        agency=agency, number=f"YSQ-T-{n:05d}", applicant_type=applicant_type, applicant_name=f"申请人{n}",
        channel="online", received_date=date.fromisoformat(received), content="申请公开2024年政务公开工作要点",
        outcome=outcome, replied_date=date.fromisoformat(replied) if replied else None, registered_by=user,
        reply_working_days=20, clock_start=date.fromisoformat(received), fee_amount=fee,
        fee_paid_date=date.fromisoformat(fee_paid) if fee_paid else None,
    )


# --- disclosure on request ------------------------------------------------------------------------------

D = datetime.date

# Seed 002 (八): 依申请公开 — real wording of a request for a government document.
SAMPLE_CONTENT = "申请公开《宿州市2024年政务公开工作要点》及其起草说明、征求意见情况汇总。"


def register(world, received=D(2026, 3, 2), **data):
    """Register an application as the request handler, with time frozen on the receipt day."""
    data.setdefault("applicant_type", ApplicantType.NATURAL_PERSON)
    data.setdefault("applicant_name", "王某某")
    data.setdefault("channel", "online")
    data.setdefault("content", SAMPLE_CONTENT)
    data["received_date"] = received
    with freeze_time(str(data.pop("today", received))):
        return disclosure_actions.register_application(actor=world.handler, agency=world.dept, data=data)
