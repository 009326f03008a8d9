"""Property-based test of the review engine: random people of the world do random actions on random items;
after every step the promises must hold.

Promises (checked independently of workflow.review_state and workflow.permissions, from the raw rows):
  1. nothing is approved, scheduled or published, and nothing is online, without a complete approval chain
     for that exact revision: every required step of the round has a non-voided approval on the revision's
     hash (proofreading approvals may sit on the revision's proofreading lineage back to the submitted one);
  2. the drafter (and whoever submitted the round) never approved a step;
  3. nobody approved two of the three reviews (初审/复审/终审) of one round, unless the round's policy allows;
  4. nobody approved a step of a text they wrote or changed since the item was last published (drafts and
     edits: no step; proofreading corrections: no step but proofreading unless the round allows it; masking:
     only the secrecy review), and 三校 was done by three different people unless the round allows it;
  and every approval was made by someone holding the step's role in the item's agency (or its parent where
  the agency allows parent review); every publication by a publisher of that agency.

The database is rolled back to a savepoint between examples."""
import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from audit.models import AuditRecord
from audit.verify import verify_chain
from core.errors import ShenfaError
from core.models import Membership, Role
from publishing.actions import publish_item, withdraw_item
from tests.factories import approve_all, draft, make_user
from workflow import actions, permissions
from workflow.models import Information, InfoType, ItemStatus, ReviewPolicy, ReviewRound, Revision, StepDecision
from workflow.models.review import PROOF_STEPS, STEP_ROLE, THREE_REVIEWS, Step

pytestmark = pytest.mark.django_db

PEOPLE = ["drafter", "drafter2", "proof1", "proof2", "proof3", "first", "second", "final", "secrecy", "legal",
          "publisher", "office", "auditor", "other_first", "multi", "drafter_first", "proof_second", "proof_secrecy"]
# People holding several roles in the department (the security review's case: a drafter who is also 初审人).
SEVERAL_ROLES = {
    "drafter_first": (Role.DRAFTER, Role.FIRST_REVIEWER),
    "proof_second": (Role.PROOFREADER, Role.SECOND_REVIEWER),
    "proof_secrecy": (Role.PROOFREADER, Role.SECRECY_REVIEWER, Role.FINAL_REVIEWER),
}
BODIES = [
    "<p>现将2024年政务公开工作要点印发给你们，请结合实际认真贯彻落实。</p>",
    "<p>经研究，决定对以下项目予以公示，公示期为7天。</p>",
    "<p>联系人：张三，联系电话：13812345678。</p>",  # the privacy pre-check flags it
]
INFO_TYPES = [InfoType.GENERAL, InfoType.LIST_PUBLICITY, InfoType.ADMIN_FEE]
SECRECY = [
    {"result": "disclosable"},
    {"result": "disclosable", "override_ground": "经本人同意公开（条例第十五条）"},
    {"result": "not_disclosable", "ground": "process_info"},
    {"result": "partial"},
]


REACHED = set()  # statuses seen during the examples: the exploration must get items published


def add_people_with_several_roles(world):
    for name, roles in SEVERAL_ROLES.items():
        world.people[name] = make_user(name, world.dept, *roles)


def add_policies(world):
    # 名单公示: a short tiered policy; 行政事业性收费: 三审 by whoever, the policy relaxes separation.
    ReviewPolicy.objects.create(name="名单公示（简易）", agency=world.dept, info_type=InfoType.LIST_PUBLICITY,
                                steps=["proof_1", "first_review", "second_review", "secrecy_review"])
    ReviewPolicy.objects.create(name="收费目录（可兼审）", agency=world.dept, info_type=InfoType.ADMIN_FEE,
                                steps=["proof_1", "proof_2", "first_review", "second_review", "final_review",
                                       "secrecy_review"],
                                allow_same_reviewer=True, allow_same_proofreader=True, allow_proofreader_review=True)


# --- independent checks of the promises ---------------------------------------------------------------

def lineage(revision, rnd):
    """Hashes the proofreading approvals of `rnd` may carry for `revision`; None if not derived from the round."""
    hashes, rev, only_proofreads = {revision.content_hash}, revision, True
    while rev.pk != rnd.submitted_revision_id:
        if rev.kind != Revision.Kind.PROOFREAD:
            only_proofreads = False
        if rev.parent_id is None:
            return None
        rev = Revision.objects.get(pk=rev.parent_id)
        hashes.add(rev.content_hash)
    return hashes if only_proofreads else {revision.content_hash}


def chain_complete(rnd, revision):
    allowed = lineage(revision, rnd)
    if allowed is None:
        return False
    approvals = list(rnd.decisions.filter(decision=StepDecision.Decision.APPROVE, voided=False))
    for step in rnd.steps:
        ok = any(d.step == step and (d.revision_hash == revision.content_hash
                                     or (step in PROOF_STEPS and d.revision_hash in allowed)) for d in approvals)
        if not ok:
            return False
    return True


def holds_role(user_id, agency, role):
    agencies = [agency.pk] + ([agency.parent_id] if agency.parent_may_review and agency.parent_id else [])
    return Membership.objects.filter(user_id=user_id, agency_id__in=agencies, role=role).exists()


def published_hashes(item):
    return set(AuditRecord.objects.filter(action="publishing.item.publish", item_id=item.pk)
               .values_list("revision_hash", flat=True))


def authorship(revision, published):
    """(created_by, kind) of the revisions behind `revision`, back to the last one that was published."""
    found, rev = set(), revision
    while rev is not None and rev.content_hash not in published:
        found.add((rev.created_by_id, rev.kind))
        rev = Revision.objects.filter(pk=rev.parent_id).first() if rev.parent_id else None
    return found


def check_authorship(item, rnd, decisions):
    published = published_hashes(item)
    for d in decisions:
        if d.decision != StepDecision.Decision.APPROVE:
            continue
        for author, kind in authorship(d.revision, published):
            if author != d.actor_id:
                continue
            assert kind not in (Revision.Kind.DRAFT, Revision.Kind.UPDATE), \
                f"promise 4: user {d.actor_id} approved {d.step} of item {item.pk}, whose text they wrote"
            assert kind != Revision.Kind.PROOFREAD or d.step in PROOF_STEPS or rnd.allow_proofreader_review, \
                f"promise 4: user {d.actor_id} approved {d.step} of item {item.pk} after correcting its text"
            assert kind != Revision.Kind.MASK or d.step == Step.SECRECY_REVIEW, \
                f"promise 4: user {d.actor_id} approved {d.step} of item {item.pk} after masking its text"
    if not rnd.allow_same_proofreader:
        proofreaders = [d.actor_id for d in decisions if d.decision == StepDecision.Decision.APPROVE
                        and not d.voided and d.step in PROOF_STEPS]
        assert len(proofreaders) == len(set(proofreaders)), \
            f"promise 4: one person did two of the proofreadings of item {item.pk}: {proofreaders}"


def check_promises():
    for item in Information.objects.select_related("agency", "current_revision", "published_revision"):
        rounds = list(item.rounds.order_by("number"))
        if item.status in (ItemStatus.APPROVED, ItemStatus.SCHEDULED, ItemStatus.PUBLISHED):
            assert rounds and chain_complete(rounds[-1], item.current_revision), \
                f"promise 1: item {item.pk} is {item.status} without a complete chain on its current revision"
        if item.online or item.status == ItemStatus.PUBLISHED:
            assert item.published_revision is not None
            assert any(chain_complete(r, item.published_revision) for r in rounds), \
                f"promise 1: item {item.pk} is online without a complete chain on its published revision"
            assert holds_role(item.published_by_id, item.agency, Role.PUBLISHER), \
                f"item {item.pk} published by someone who is not its agency's publisher"
        for rnd in rounds:
            decisions = list(rnd.decisions.exclude(decision=StepDecision.Decision.RETURN))
            for d in decisions:
                if d.decision in (StepDecision.Decision.APPROVE, StepDecision.Decision.NOT_DISCLOSE):
                    assert d.actor_id not in (item.drafter_id, rnd.submitted_by_id), \
                        f"promise 2: the drafter/submitter approved {d.step} of item {item.pk}"
                assert holds_role(d.actor_id, item.agency, STEP_ROLE[d.step]), \
                    f"user {d.actor_id} decided {d.step} of item {item.pk} without the role in its agency"
            if not rnd.allow_same_reviewer:
                reviews = {}
                for d in decisions:
                    if d.decision == StepDecision.Decision.APPROVE and not d.voided and d.step in THREE_REVIEWS:
                        reviews.setdefault(d.actor_id, set()).add(d.step)
                assert all(len(steps) <= 1 for steps in reviews.values()), \
                    f"promise 3: one person approved two of the three reviews of item {item.pk}: {reviews}"
            check_authorship(item, rnd, decisions)


class ReviewMachine(RuleBasedStateMachine):
    world = None  # set by the test
    items = Bundle("items")

    def __init__(self):
        super().__init__()
        self.sid = transaction.savepoint()
        self.rejected = 0

    def teardown(self):
        try:
            result = verify_chain()
            assert result.ok, result.message
        finally:
            transaction.savepoint_rollback(self.sid)

    # helpers
    def person(self, name):
        return self.world.people[name]

    def attempt(self, fn):
        try:
            return fn()
        except ShenfaError as exc:
            assert exc.message and exc.status in (400, 403, 409)
            self.rejected += 1
            return None

    @staticmethod
    def item(pk):
        return Information.objects.get(pk=pk)

    # every example starts with an approved item and one under review, made by the usual people
    @initialize(target=items, info_type=st.sampled_from(INFO_TYPES))
    def approved_item(self, info_type):
        item = draft(self.world, info_type=info_type)
        actions.submit_item(actor=self.world.drafter, item=item)
        approve_all(self.world, item)
        assert self.item(item.pk).status == ItemStatus.APPROVED
        return item.pk

    @initialize(target=items, stop=st.sampled_from(["proof_2", "first_review", "second_review", "secrecy_review"]))
    def item_in_review(self, stop):
        item = draft(self.world, title="关于2024年度困难群众救助名单的公示")
        actions.submit_item(actor=self.world.drafter, item=item)
        approve_all(self.world, item, stop_before=stop)
        return item.pk

    # rules
    @rule(target=items, who=st.sampled_from(["drafter", "drafter", "drafter2", "other_first", "first",
                                             "drafter_first"]),
          info_type=st.sampled_from(INFO_TYPES), body=st.sampled_from(BODIES), other_agency=st.booleans())
    def create(self, who, info_type, body, other_agency):
        agency = self.world.other if other_agency else self.world.dept
        item = self.attempt(lambda: actions.create_item(
            actor=self.person(who), agency=agency,
            data={"title": "关于公布2024年度名单的通知", "info_type": info_type, "body": body}))
        return item.pk if item else multiple()

    @rule(pk=items, who=st.sampled_from(["drafter", "drafter2", "other_first", "proof1", "drafter_first",
                                         "drafter_first"]),
          body=st.sampled_from(BODIES))
    def edit(self, pk, who, body):
        self.attempt(lambda: actions.edit_item(actor=self.person(who), item=self.item(pk), data={"body": body}))

    @rule(pk=items, who=st.sampled_from(["drafter", "drafter2", "other_first", "first", "drafter_first"]))
    def submit(self, pk, who):
        self.attempt(lambda: actions.submit_item(actor=self.person(who), item=self.item(pk)))

    @rule(pk=items, who=st.sampled_from(PEOPLE))
    def claim(self, pk, who):
        task = actions.open_task_for(self.item(pk))
        if task is not None:
            self.attempt(lambda: actions.claim_task(actor=self.person(who), task=task))

    @rule(pk=items, who=st.sampled_from(PEOPLE))
    def unclaim(self, pk, who):
        task = actions.open_task_for(self.item(pk))
        if task is not None:
            self.attempt(lambda: actions.unclaim_task(actor=self.person(who), task=task))

    @rule(pk=items, who=st.sampled_from(PEOPLE), secrecy=st.sampled_from(SECRECY))
    def approve_by_anyone(self, pk, who, secrecy):
        task = actions.open_task_for(self.item(pk))
        if task is not None and task.data.get("step") != "publish":
            self.attempt(lambda: actions.approve_step(actor=self.person(who), task=task, comment="同意",
                                                      secrecy=secrecy))

    @rule(pk=items, data=st.data(), secrecy=st.sampled_from(SECRECY))
    def approve_by_someone_eligible(self, pk, data, secrecy):
        # Moves items along: the actor is drawn from those the inbox offers the task to.
        task = actions.open_task_for(self.item(pk))
        if task is None or task.data.get("step") == "publish":
            return
        eligible = [n for n in PEOPLE if permissions.task_denial(self.person(n), task) is None]
        if not eligible:
            return
        who = data.draw(st.sampled_from(eligible))
        self.attempt(lambda: actions.approve_step(actor=self.person(who), task=task, secrecy=secrecy))

    @rule(pk=items, data=st.data(), rounds=st.integers(min_value=1, max_value=8))
    def advance(self, pk, data, rounds):
        # Several steps in a row by eligible people, so that examples reach approval and publication.
        for _ in range(rounds):
            task = actions.open_task_for(self.item(pk))
            if task is None or task.data.get("step") == "publish":
                return
            eligible = [n for n in PEOPLE if permissions.task_denial(self.person(n), task) is None]
            if not eligible:
                return
            who = data.draw(st.sampled_from(eligible))
            secrecy = data.draw(st.sampled_from(SECRECY[:2] * 3 + SECRECY[2:]))
            if self.attempt(lambda: actions.approve_step(actor=self.person(who), task=task,  # noqa: B023
                                                         secrecy=secrecy)) is None:  # noqa: B023
                return

    @rule(pk=items, who=st.sampled_from(["proof1", "proof2", "proof3", "first", "drafter", "proof_second",
                                         "proof_secrecy"]),
          body=st.sampled_from(BODIES))
    def proofread(self, pk, who, body):
        task = actions.open_task_for(self.item(pk))
        if task is not None and task.data.get("step") != "publish":
            self.attempt(lambda: actions.proofread_step(actor=self.person(who), task=task, data={"body": body}))

    @rule(pk=items, who=st.sampled_from(["secrecy", "proof_secrecy", "first"]))
    def mask(self, pk, who):
        task = actions.open_task_for(self.item(pk))
        if task is not None and task.data.get("step") != "publish":
            self.attempt(lambda: actions.mask_item(actor=self.person(who), task=task, comment="脱敏"))

    @rule(pk=items, who=st.sampled_from(PEOPLE))
    def reject(self, pk, who):
        task = actions.open_task_for(self.item(pk))
        if task is not None and task.data.get("step") != "publish":
            self.attempt(lambda: actions.reject_step(actor=self.person(who), task=task, reason="请修改"))

    @rule(pk=items, who=st.sampled_from(PEOPLE), to_step=st.sampled_from(["proof_1", "first_review"]))
    def send_back(self, pk, who, to_step):
        task = actions.open_task_for(self.item(pk))
        if task is not None and task.data.get("step") != "publish":
            self.attempt(lambda: actions.return_step(actor=self.person(who), task=task, to_step=to_step,
                                                     reason="请重新审核"))

    @rule(pk=items, who=st.sampled_from(["publisher", "publisher", "publisher", "other_first", "final", "drafter"]),
          later=st.sampled_from([False, False, False, True]))
    def publish(self, pk, who, later):
        at = timezone.now() + timezone.timedelta(days=1) if later else None
        self.attempt(lambda: publish_item(actor=self.person(who), item=self.item(pk), at=at))

    # Hypothesis labels sampled_from choices by hash(), which for rule objects is their address: the
    # exploration differs between processes. This rule keeps publication likely in every exploration.
    @rule(later=st.sampled_from([False, False, True]))
    def publish_an_approved_item(self, later):
        pk = Information.objects.filter(status=ItemStatus.APPROVED).values_list("pk", flat=True).first()
        if pk is not None:
            at = timezone.now() + timezone.timedelta(days=1) if later else None
            self.attempt(lambda: publish_item(actor=self.person("publisher"), item=self.item(pk), at=at))

    @rule(pk=items, who=st.sampled_from(["publisher", "other_first"]))
    def withdraw(self, pk, who):
        self.attempt(lambda: withdraw_item(actor=self.person(who), item=self.item(pk), reason="撤回"))

    @invariant()
    def promises_hold(self):
        check_promises()
        REACHED.update(Information.objects.values_list("status", flat=True))
        REACHED.update(f"online:{o}" for o in Information.objects.values_list("online", flat=True))


def test_review_promises_hold_under_random_actions(world):
    add_people_with_several_roles(world)
    add_policies(world)
    machine = type("Machine", (ReviewMachine,), {"world": world})
    REACHED.clear()
    run_state_machine_as_test(machine, settings=settings(
        max_examples=50, stateful_step_count=20, deadline=None, database=None, derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]))
    # the examples explored the interesting states, not only refusals
    print(sorted(REACHED))
    assert {ItemStatus.IN_REVIEW, ItemStatus.APPROVED, ItemStatus.PUBLISHED, "online:True"} <= REACHED, REACHED


def test_promise_checks_detect_a_broken_chain(world):
    """The invariant is not vacuous: an approval made on another text does not count."""
    item = draft(world)
    actions.submit_item(actor=world.drafter, item=item)
    approve_all(world, item)
    check_promises()
    rnd = ReviewRound.objects.get(item=item)
    StepDecision.objects.filter(round=rnd, step="final_review").update(revision_hash="f" * 64)
    with pytest.raises(AssertionError, match="promise 1"):
        check_promises()
    StepDecision.objects.filter(round=rnd, step="final_review").update(revision_hash=item.current_revision.content_hash,
                                                                       actor=world.first)
    with pytest.raises(AssertionError, match="without the role|promise 3"):
        check_promises()
    StepDecision.objects.filter(round=rnd, step="final_review").update(actor=world.drafter)
    with pytest.raises(AssertionError, match="promise 2"):
        check_promises()


def test_promise_checks_detect_an_author_approving_their_own_text(world):
    add_people_with_several_roles(world)
    item = draft(world)
    actions.edit_item(actor=world.drafter_first, item=item, data={"body": "<p>兼职人员改写的正文。</p>"})
    actions.submit_item(actor=world.drafter, item=Information.objects.get(pk=item.pk))
    approve_all(world, item)
    check_promises()
    rnd = ReviewRound.objects.get(item=item)
    StepDecision.objects.filter(round=rnd, step="first_review").update(actor=world.drafter_first)
    with pytest.raises(AssertionError, match="promise 4.*whose text they wrote"):
        check_promises()
    StepDecision.objects.filter(round=rnd, step="first_review").update(actor=world.first)
    StepDecision.objects.filter(round=rnd, step="proof_2").update(actor=world.proof1)
    with pytest.raises(AssertionError, match="promise 4.*proofreadings"):
        check_promises()


@pytest.mark.slow
def test_the_long_run_command_reports_what_it_checked():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "manage.py", "fuzz_state_machine", "--settings=project.settings.test", "--sequences", "2",
         "--steps", "5", "--seed", "3"], cwd=root, env=dict(os.environ), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "2 sequences run" in result.stdout and "all promises held" in result.stdout
    assert "audit chains verified: 2" in result.stdout
