"""State machines of cleanup (谁公开、谁清理): the only code that changes CleanupTask.status and
CleanupCampaign.status (protected viewflow.fsm fields). Callers ask before acting (core.fsm.allowed)."""
from viewflow import fsm

from .models import CleanupCampaign, CleanupTask

T = CleanupTask.Status
C = CleanupCampaign.Status


def _campaign_has_no_open_task(lifecycle):
    open_left = lifecycle.campaign.tasks.filter(status=T.OPEN).exists()
    return fsm.State.CONDITION(not open_left, "专项行动中仍有待处理的清理任务")


class CleanupTaskLifecycle:
    state = fsm.State(T, default=T.OPEN)

    def __init__(self, task: CleanupTask):
        self.task = task

    @state.setter()
    def _set_status(self, value):
        self.task.__dict__["status"] = value

    @state.getter()
    def _get_status(self):
        return self.task.status

    @state.transition(source=T.OPEN, target=T.DONE, label="处理")
    def decide(self):
        """The publisher decided: keep, update, withdraw or mark invalid."""

    @state.transition(source=T.OPEN, target=T.CLOSED, label="关闭")
    def close(self):
        """The item went offline: nothing is left to decide."""


class CampaignLifecycle:
    state = fsm.State(C, default=C.RUNNING)

    def __init__(self, campaign: CleanupCampaign):
        self.campaign = campaign

    @state.setter()
    def _set_status(self, value):
        self.campaign.__dict__["status"] = value

    @state.getter()
    def _get_status(self):
        return self.campaign.status

    @state.transition(source=C.RUNNING, target=C.COMPLETED, label="完成", conditions=[_campaign_has_no_open_task])
    def complete(self):
        """Every task of the campaign is done or closed."""
