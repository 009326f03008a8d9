"""Derived review facts. Pure reads: which approvals still hold for the item's current revision."""
from .models import ItemStatus, ReviewRound, Revision, StepDecision
from .models.review import PROOF_STEPS


def latest_round(item):
    return item.rounds.order_by("-number").first()


def proof_lineage_hashes(item, rnd):
    """Hashes of the current revision and its ancestors back to the submitted one, provided that every
    revision after the submitted one was a proofreading correction made in this round.

    Proofreading rounds are cumulative (一校 → 二校 → 三校 each correct the text), so a later
    proofreader's correction does not void an earlier proofreading approval; it does void every other
    step's approval, which must match the exact current hash."""
    current = item.current_revision
    if current is None:
        return set()
    hashes = {current.content_hash}
    rev = current
    while rev.pk != rnd.submitted_revision_id:
        if rev.kind != Revision.Kind.PROOFREAD or rev.parent_id is None:
            return {current.content_hash}
        rev = rev.parent
        hashes.add(rev.content_hash)
    return hashes


def valid_approvals(item, rnd=None):
    """Map step -> the approval that still holds for the item's current revision."""
    rnd = rnd or latest_round(item)
    if rnd is None or item.current_revision is None:
        return {}
    current_hash = item.current_revision.content_hash
    lineage = proof_lineage_hashes(item, rnd)
    result = {}
    for d in rnd.decisions.filter(decision=StepDecision.Decision.APPROVE, voided=False).order_by("pk"):
        ok = d.revision_hash == current_hash or (d.step in PROOF_STEPS and d.revision_hash in lineage)
        if ok and d.step in rnd.steps:
            result[d.step] = d
    return result


def round_is_complete(item) -> bool:
    """Promise 1: every required step approved the exact revision that would be published."""
    rnd = latest_round(item)
    if rnd is None or rnd.status not in (ReviewRound.Status.RUNNING, ReviewRound.Status.APPROVED,
                                         ReviewRound.Status.PUBLISHED):
        return False
    if item.current_revision_id != rnd.submitted_revision_id and not _derived_in_round(item, rnd):
        return False
    approvals = valid_approvals(item, rnd)
    return all(step in approvals for step in rnd.steps)


def _derived_in_round(item, rnd) -> bool:
    rev = item.current_revision
    while rev is not None and rev.pk != rnd.submitted_revision_id:
        rev = rev.parent
    return rev is not None


def first_unapproved_position(item, rnd) -> int:
    approvals = valid_approvals(item, rnd)
    for pos, step in enumerate(rnd.steps):
        if step not in approvals:
            return pos
    return len(rnd.steps)


def interpretation_block(item):
    """三同步: a policy document that needs an interpretation waits until one is approved too."""
    if not item.needs_interpretation:
        return None
    ready = item.interpretations.filter(
        status__in=[ItemStatus.APPROVED, ItemStatus.SCHEDULED, ItemStatus.PUBLISHED]
    ).exists()
    if ready:
        return None
    return "该政策文件需要政策解读，解读稿审核通过后方可通过（三同步）"
