"""Cleanup tasks and campaigns change state only through their declared transitions."""
import pytest
from viewflow.fsm import TransitionNotAllowed

from core import fsm
from publishing.actions import open_due_cleanup, withdraw_item
from publishing.lifecycle import CampaignLifecycle, CleanupTaskLifecycle
from publishing.models import CleanupCampaign, CleanupTask
from tests.factories import published, reload


def test_statuses_are_protected_fields(world):
    item = published(world)
    task = open_due_cleanup(item=item, today=item.next_review_date)
    with pytest.raises(AttributeError):
        task.status = CleanupTask.Status.DONE
    campaign = CleanupCampaign.objects.create(name="清理", agency=world.dept, started_by=world.office)
    with pytest.raises(AttributeError):
        campaign.status = CleanupCampaign.Status.COMPLETED


def test_transitions_declare_their_sources_and_conditions(world):
    item = published(world)
    task = open_due_cleanup(item=item, today=item.next_review_date)
    campaign = CleanupCampaign.objects.create(name="清理", agency=world.dept, started_by=world.office)
    CleanupTask.objects.filter(pk=task.pk).update(campaign=campaign)
    # a campaign with an open task cannot complete; the reason is the transition's own
    assert not fsm.allowed(CampaignLifecycle(campaign), "complete")
    with pytest.raises(TransitionNotAllowed):
        CampaignLifecycle(campaign).complete()
    # the item going offline closes the task, which completes the campaign
    withdraw_item(actor=world.publisher, item=item, reason="已过时效")
    assert reload(task).status == CleanupTask.Status.CLOSED
    assert reload(campaign).status == CleanupCampaign.Status.COMPLETED
    assert not fsm.allowed(CleanupTaskLifecycle(reload(task)), "decide")
