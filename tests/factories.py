"""Test data builders: agencies, one person per role, items driven through the real actions."""
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from core.models import Agency, Membership, Role
from workflow import actions
from workflow.models.review import STEP_ROLE

User = get_user_model()

SAMPLE_BODY = (
    "<p>为深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，进一步提升政务公开质效，"
    "现将2024年政务公开工作要点印发给你们，请结合实际认真贯彻落实。</p>"
)


def make_user(username, agency=None, *roles, name=None):
    user = User.objects.create_user(username=username, password="pass12345!", first_name=name or username)
    for role in roles:
        Membership.objects.create(user=user, agency=agency, role=role)
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
    gov = Agency.objects.create(code="11341700MB1234567X", name="宿州市人民政府", kind=Agency.Kind.GOVERNMENT)
    dept = Agency.objects.create(code="11341702000111222F", name="宿州市埇桥区人民政府办公室", parent=gov)
    other = Agency.objects.create(code="000014349", name="淮北市人民政府办公室")
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
    p["other_first"] = make_user("other_first", other, *[r for r in set(STEP_ROLE.values())], Role.PUBLISHER,
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
