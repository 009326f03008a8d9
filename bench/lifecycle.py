"""The one place where the benchmarks drive a complete Shenfa item lifecycle through the engine.

bench/run.py and bench/compare.py (through bench/compare_worker.py) call `shenfa_lifecycle` and nothing else of
the engine's actions. When the engine's module paths or action signatures change, adapt this module only.
"""
from __future__ import annotations

#: The review steps of each benchmarked lifecycle. 7 is the shipped default policy (三审三校 + 保密审查, no
#: ReviewPolicy row); 3 is 初审/复审/终审 through a ReviewPolicy of the agency (the issue's 3-step figure; note that
#: the system check workflow.E003 flags a policy without 保密审查, so it lives only in the benchmark database).
STEPS = {
    7: None,
    3: ["first_review", "second_review", "final_review"],
}

#: Who approves which step: (user name suffix, role name on workflow.models.Role).
_STEP_PEOPLE = {
    "proof_1": ("proof1", "PROOFREADER"), "proof_2": ("proof2", "PROOFREADER"),
    "proof_3": ("proof3", "PROOFREADER"), "first_review": ("first", "FIRST_REVIEWER"),
    "second_review": ("second", "SECOND_REVIEWER"), "final_review": ("final", "FINAL_REVIEWER"),
    "secrecy_review": ("secrecy", "SECRECY_REVIEWER"),
}

BODY = ("<p>为深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，进一步提升政务公开质效，"
        "现将2025年政务公开工作要点印发给你们，请结合实际认真贯彻落实。</p>")


def shenfa_lifecycle(steps: int = 7):
    """Prepare an agency with one person per step (and its policy); return run(i) doing one whole lifecycle.

    run(i) creates an item, submits it, has each step's reviewer claim and approve it (the secrecy reviewer
    decides "disclosable"), then the publisher publishes it; it returns the published item. Each action gets a
    fresh copy of its actor, as each request loads its user (bench.measure.request_user). Preparation is
    idempotent (get_or_create), so it may be called in every process that uses the same database.
    """
    from django.contrib.auth import get_user_model

    from bench.measure import request_user
    from core.models import Agency, Membership, Role
    from publishing.actions import publish_item
    from workflow import actions
    from workflow.models import ReviewPolicy
    from workflow.models.review import DEFAULT_STEPS

    if steps not in STEPS:
        raise ValueError(f"no benchmark policy with {steps} steps (have {sorted(STEPS)})")
    policy_steps = STEPS[steps]
    step_codes = policy_steps or [s.value for s in DEFAULT_STEPS]
    assert len(step_codes) == steps, step_codes

    # A top-level agency per policy, so that no policy of a parent applies.
    agency, _ = Agency.objects.get_or_create(code=f"LIFECYCLE000000000{steps}",
                                             defaults={"name": f"基准测试局（{steps}步）"})
    if policy_steps:
        ReviewPolicy.objects.get_or_create(agency=agency, info_type="", is_active=True,
                                           defaults={"name": f"基准{steps}步审核", "steps": policy_steps})
    else:
        assert not ReviewPolicy.objects.filter(agency=agency).exists()

    User = get_user_model()

    def person(name, role):
        user, _ = User.objects.get_or_create(username=f"life_{name}", defaults={"first_name": name})
        Membership.objects.get_or_create(user=user, agency=agency, role=role)
        return user

    drafter = person("drafter", Role.DRAFTER)
    publisher = person("publisher", Role.PUBLISHER)
    step_people = {code: person(_STEP_PEOPLE[code][0], getattr(Role, _STEP_PEOPLE[code][1])) for code in step_codes}

    def run(i):
        item = actions.create_item(actor=request_user(drafter), agency=agency,
                                   data={"title": f"关于印发2025年政务公开工作要点的通知（{i}）", "body": BODY})
        actions.submit_item(actor=request_user(drafter), item=item)
        approved = 0
        while True:
            task = actions.open_task_for(item)
            step = task.data["step"]
            if step == "publish":
                break
            actions.claim_task(actor=request_user(step_people[step]), task=task)
            actions.approve_step(actor=request_user(step_people[step]), task=task, comment="同意",
                                 secrecy={"result": "disclosable"} if step == "secrecy_review" else None)
            approved += 1
        publish_item(actor=request_user(publisher), item=item)
        if approved != steps:
            raise AssertionError(f"lifecycle approved {approved} steps, expected {steps}")
        return item

    return run
