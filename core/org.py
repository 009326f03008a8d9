"""Organisation queries: which agencies a person holds which roles in, and the agencies below or above.

Every permission policy of the apps above (review, publishing, requests, audit) is built on these, so
"the agencies where this user is an auditor, with everything below them" is written once."""
from __future__ import annotations

from collections.abc import Iterable

from .models import Agency, Membership

ROLE_CACHE_ATTR = "_shenfa_roles"


def roles_by_agency(user) -> dict[int, set[str]]:
    """{agency_id: {role, ...}} for the user's memberships in active agencies (cached on the user object)."""
    if user is None or not user.is_authenticated:
        return {}
    cache = getattr(user, ROLE_CACHE_ATTR, None)
    if cache is None:
        cache = {}
        rows = Membership.objects.filter(user=user, agency__is_active=True).values_list("agency_id", "role")
        for agency_id, role in rows:
            cache.setdefault(agency_id, set()).add(role)
        setattr(user, ROLE_CACHE_ATTR, cache)
    return cache


def forget_roles(user) -> None:
    """Drop the cached roles (after a membership change in the same request or test)."""
    if user is not None:
        user.__dict__.pop(ROLE_CACHE_ATTR, None)


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
        children = Agency.objects.filter(parent_id__in=own, parent_may_review=True).values_list("pk", flat=True)
        return own | set(children)
    return own


def has_role_for(user, agency: Agency, role: str) -> bool:
    """The user holds `role` in the agency, or in its parent where the agency allows parent review."""
    roles = roles_by_agency(user)
    return any(role in roles.get(a, ()) for a in agency.acting_agency_ids())


def has_role_at_or_above(user, agency: Agency, role: str) -> bool:
    """The user holds `role` in the agency or in any agency above it."""
    roles = roles_by_agency(user)
    return any(role in roles.get(a, ()) for a in ancestor_ids(agency))
