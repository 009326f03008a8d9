"""Organisation queries: which agencies a person holds which roles in, and the agencies below or above.

Every permission policy of the apps above (review, publishing, requests, audit) is built on these, so
"the agencies where this user is an auditor, with everything below them" is written once."""
from __future__ import annotations

from collections.abc import Iterable

from django.db.models import FilteredRelation, Q

from .models import Agency, Membership

ROLE_CACHE_ATTR = "_shenfa_roles"
CHILD_ROLE_CACHE_ATTR = "_shenfa_child_roles"


def _load_roles(user) -> None:
    """Read the user's memberships in active agencies and, in the same statement, the direct children of those
    agencies that let their parent review; cache both on the user object (one query per request)."""
    own: dict[int, set[str]] = {}
    via_parent: dict[int, set[str]] = {}
    rows = (
        Membership.objects.filter(user=user, agency__is_active=True)
        .annotate(reviewed_child=FilteredRelation("agency__children",
                                                  condition=Q(agency__children__parent_may_review=True)))
        .values_list("agency_id", "role", "reviewed_child__id")
    )
    for agency_id, role, child_id in rows:
        own.setdefault(agency_id, set()).add(role)
        if child_id is not None:
            via_parent.setdefault(child_id, set()).add(role)
    setattr(user, ROLE_CACHE_ATTR, own)
    setattr(user, CHILD_ROLE_CACHE_ATTR, via_parent)


def roles_by_agency(user) -> dict[int, set[str]]:
    """{agency_id: {role, ...}} for the user's memberships in active agencies (cached on the user object)."""
    if user is None or not user.is_authenticated:
        return {}
    if getattr(user, ROLE_CACHE_ATTR, None) is None:
        _load_roles(user)
    return getattr(user, ROLE_CACHE_ATTR)


def roles_in_reviewed_children(user) -> dict[int, set[str]]:
    """{child agency_id: {role, ...}}: the roles the user holds in the parent of each agency that lets its
    parent review (cached with roles_by_agency)."""
    if user is None or not user.is_authenticated:
        return {}
    if getattr(user, CHILD_ROLE_CACHE_ATTR, None) is None:
        _load_roles(user)
    return getattr(user, CHILD_ROLE_CACHE_ATTR)


def forget_roles(user) -> None:
    """Drop the cached roles (after a membership change in the same request or test)."""
    if user is not None:
        user.__dict__.pop(ROLE_CACHE_ATTR, None)
        user.__dict__.pop(CHILD_ROLE_CACHE_ATTR, None)


def descendant_ids(agency_ids: Iterable[int]) -> set[int]:
    """The given agencies and every agency below them (cycle-safe)."""
    return Agency.descendants_of(agency_ids)


def ancestor_ids(agency: Agency) -> list[int]:
    """The agency and every agency above it, nearest first (cycle-safe)."""
    ids, seen, current = [], set(), agency
    while current is not None and current.pk not in seen:
        ids.append(current.pk)
        seen.add(current.pk)
        current = current.parent
    return ids


def agencies_with_role(user, *roles: str, descendants: bool = False, parent_review: bool = False) -> set[int]:
    """Agencies where the user holds any of `roles`.

    descendants: add every agency below them (auditors and the disclosure office look after their
    sub-agencies). parent_review: add their direct children that let the parent review their items."""
    wanted = set(roles)
    own = {a for a, held in roles_by_agency(user).items() if held & wanted}
    if not own:
        return set()
    if descendants:
        return descendant_ids(own)
    if parent_review:
        return own | {a for a, held in roles_in_reviewed_children(user).items() if held & wanted}
    return own


def has_role_for(user, agency: Agency, role: str) -> bool:
    """The user holds `role` in the agency, or in its parent where the agency allows parent review."""
    roles = roles_by_agency(user)
    return any(role in roles.get(a, ()) for a in agency.acting_agency_ids())


def has_role_at_or_above(user, agency: Agency, role: str) -> bool:
    """The user holds `role` in the agency or in any agency above it."""
    roles = roles_by_agency(user)
    return any(role in roles.get(a, ()) for a in ancestor_ids(agency))
