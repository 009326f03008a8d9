"""Which review policy applies (分级审核): the most specific active policy wins, in this order:
(agency, type) > (agency, any type) > (ancestor agency, type) > (ancestor, any type) > ... >
(all agencies, type) > (all agencies, any type) > the shipped default (三审三校 + 保密审查).

One rule, used by submission (actions.policy_for), the policy editor (which policy wins, what a policy
covers) and the API's policy lookup."""
from __future__ import annotations

from dataclasses import dataclass

from core import org
from core.conf import shenfa_setting
from core.models import Agency

from .models import InfoType, ReviewPolicy
from .models.review import DEFAULT_STEPS, Step

DEFAULT_NAME = "三审三校（默认）"


@dataclass(frozen=True)
class Effective:
    name: str
    steps: list[str]
    allow_same_reviewer: bool
    policy: ReviewPolicy | None  # None: the shipped default

    @property
    def step_labels(self) -> list[str]:
        return [str(Step(s).label) if s in Step.values else s for s in self.steps]


def _pick(policies, chain, info_type):
    by_key = {(p.agency_id, p.info_type): p for p in policies}
    for agency_id in chain:
        for kind in (info_type, ""):
            if (agency_id, kind) in by_key:
                return by_key[(agency_id, kind)]
    return None


def _default() -> Effective:
    return Effective(DEFAULT_NAME, [s.value for s in DEFAULT_STEPS], shenfa_setting("ALLOW_SAME_REVIEWER"), None)


def effective(agency: Agency | None, info_type: str, *, policies=None) -> Effective:
    """The policy that applies to an item of `info_type` drafted in `agency`."""
    if policies is None:
        policies = list(ReviewPolicy.objects.filter(is_active=True))
    chain = (org.ancestor_ids(agency) if agency is not None else []) + [None]
    p = _pick(policies, chain, info_type or "")
    if p is None:
        return _default()
    return Effective(p.name, list(p.steps), p.allow_same_reviewer, p)


def coverage(policy: ReviewPolicy, *, limit: int = 500) -> list[tuple[Agency, str]]:
    """(agency, info type label) pairs for which `policy` is the one that wins, active agencies only."""
    if not policy.is_active or policy.pk is None:
        return []
    policies = list(ReviewPolicy.objects.filter(is_active=True))
    agencies = {a.pk: a for a in Agency.objects.filter(is_active=True).order_by("name")}
    if policy.agency_id is not None:
        candidates = [agencies[pk] for pk in Agency.descendants_of([policy.agency_id]) if pk in agencies]
    else:
        candidates = list(agencies.values())
    types = [policy.info_type] if policy.info_type else list(InfoType.values)
    rows = []
    for agency in sorted(candidates, key=lambda a: a.name):
        chain = org.ancestor_ids(agency) + [None]
        for kind in types:
            if _pick(policies, chain, kind) == policy:
                rows.append((agency, str(InfoType(kind).label)))
                if len(rows) >= limit:
                    return rows
    return rows
