"""The item lifecycle as a viewflow.fsm state machine. The only code that changes Information.status.

Permissions for who may trigger a transition live in workflow.permissions; conditions here are the
state-level preconditions (e.g. "every required step approved this exact revision")."""
from viewflow import fsm

from .models import Information
from .models import ItemStatus as S
from .review_state import interpretation_block, round_is_complete


def _approval_complete(lifecycle):
    return fsm.State.CONDITION(round_is_complete(lifecycle.item), "审核步骤未全部通过当前版本")


def _interpretation_ready(lifecycle):
    reason = interpretation_block(lifecycle.item)
    return fsm.State.CONDITION(reason is None, reason or "")


class ItemLifecycle:
    state = fsm.State(S, default=S.DRAFT)

    def __init__(self, item: Information):
        self.item = item

    @state.setter()
    def _set_status(self, value):
        # Bypasses the field's own guard only here: this class is the single place of change.
        self.item.__dict__["status"] = value

    @state.getter()
    def _get_status(self):
        return self.item.status

    @state.transition(source=[S.DRAFT, S.RETURNED], target=S.IN_REVIEW, label="提交审核", permission=None)
    def submit(self):
        """Send the current revision to review."""

    @state.transition(source=S.IN_REVIEW, target=S.RETURNED, label="退回修改", permission=None)
    def reject(self):
        """Return the item to its drafter."""

    @state.transition(source=S.IN_REVIEW, target=S.APPROVED, label="审核通过",
                      conditions=[_approval_complete, _interpretation_ready], permission=None)
    def approve(self):
        """All steps approved the current revision."""

    @state.transition(source=S.IN_REVIEW, target=S.NOT_DISCLOSED, label="不予公开", permission=None)
    def refuse_disclosure(self):
        """The secrecy review decided the item is not to be disclosed."""

    @state.transition(source=S.APPROVED, target=S.SCHEDULED, label="定时发布",
                      conditions=[_approval_complete], permission=None)
    def schedule(self):
        """Publish automatically at item.publish_at."""

    @state.transition(source=S.SCHEDULED, target=S.APPROVED, label="取消定时", permission=None)
    def unschedule(self):
        """Cancel a scheduled publication."""

    @state.transition(source=[S.APPROVED, S.SCHEDULED], target=S.PUBLISHED, label="发布",
                      conditions=[_approval_complete], permission=None)
    def publish(self):
        """Put the approved revision online."""

    @state.transition(source=S.PUBLISHED, target=S.WITHDRAWN, label="撤回", permission=None)
    def withdraw(self):
        """Take the item offline, keeping it and its history."""

    @state.transition(source=S.PUBLISHED, target=S.EXPIRED, label="到期下线", permission=None)
    def expire(self):
        """The display period ended."""

    @state.transition(source=[S.PUBLISHED, S.WITHDRAWN, S.EXPIRED], target=S.DRAFT, label="更新",
                      permission=None)
    def start_update(self):
        """Start a new version of a published item; it needs a full review again."""

    @state.transition(source=[S.APPROVED], target=S.DRAFT, label="修改", permission=None)
    def reopen(self):
        """Editing an approved but unpublished item voids its approvals."""


def lifecycle(item: Information) -> ItemLifecycle:
    return ItemLifecycle(item)
