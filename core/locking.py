"""Row locks taken by actions before they check state (STYLE.md: lock, then check, then change).

One order everywhere: the subject row first (item, application, case), then its dependants (task,
round), and the audit chain head last, so two people acting on the same subject serialise instead of
deadlocking or both winning."""
from django.db import connection


def lock(model, pk, *, related=(), of=("self",)):
    """SELECT ... FOR UPDATE the row `pk` of `model` (with `related` joined) and return it.

    `of=("self",)` locks only this table's row: PostgreSQL refuses FOR UPDATE on the nullable side of an
    outer join, which select_related of a nullable foreign key produces."""
    if not connection.in_atomic_block:
        raise RuntimeError("lock() must run inside the action's transaction")
    qs = model.objects.select_for_update(of=of)
    if related:
        qs = qs.select_related(*related)
    return qs.get(pk=pk)
