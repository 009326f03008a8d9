"""Pieces every review-engine action uses: the item row lock and the lifecycle transitions."""
from core import fsm
from core.locking import lock

from ..lifecycle import lifecycle
from ..models import Information


def lock_item(item) -> Information:
    """Lock the item's row (with its agency and current revision) and return it fresh.

    Every action on an item locks its row first (then the task, then the audit head): one order, so two
    people acting on the same item serialise instead of deadlocking or both winning."""
    return lock(Information, item.pk, related=("agency", "current_revision"))


def transition(item, name: str) -> None:
    """Run lifecycle transition `name`; a refusal is a state error carrying the transition's reason."""
    fsm.run(lifecycle(item), name, state_label=item.get_status_display())
