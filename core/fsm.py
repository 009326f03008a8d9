"""Helpers around viewflow.fsm used by every state machine of the apps (item, round, reply, cleanup...).

Callers ask a transition before acting (`allowed`), and `run` turns a refusal into the engine's state
error with the transition's own reason, in Chinese for people and English for the API."""
from viewflow.fsm import TransitionNotAllowed

from .errors import NotAllowedInState


def allowed(machine, name: str) -> bool:
    """Whether transition `name` of `machine` may run now (source state and conditions)."""
    return getattr(machine, name).can_proceed()


def run(machine, name: str, *, state_label: str = "", code: str | None = None):
    """Run transition `name` of `machine`; a refusal becomes NotAllowedInState with the reason."""
    try:
        return getattr(machine, name)()
    except TransitionNotAllowed as exc:
        reason = getattr(exc, "unmet_message", "") or (
            f"当前状态“{state_label}”下不能执行此操作" if state_label else "当前状态下不能执行此操作")
        raise NotAllowedInState(reason, en=f"Transition {name} is not allowed in this state", code=code) from exc
