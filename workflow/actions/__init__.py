"""Business actions of the review engine. Views, the API, commands and the scheduler call these.

Every action: keyword-only, actor passed in, atomic; locks the item row before it checks state; writes
its audit record(s) in the same transaction; runs side effects only on commit.

    drafting     create_item, edit_item, submit_item (and the review policy that applies)
    tasks        claim_task, unclaim_task, reassign_task
    review       approve_step (approve_steps: several of one step), proofread_step, reject_step, return_step
    secrecy      the secrecy decision (through approve_step) and mask_item
    prescan      the privacy pre-check of every revision
    activations  the only module that drives viewflow activations
"""
from .activations import open_task_for
from .drafting import (
    EDITABLE_FIELDS,
    NewAttachment,
    create_item,
    edit_item,
    policy_for,
    separation_relaxations_for,
    submit_item,
)
from .review import BATCH_MAX, BatchOutcome, approve_step, approve_steps, proofread_step, reject_step, return_step
from .secrecy import mask_item
from .tasks import claim_task, reassign_task, unclaim_task

__all__ = [
    "BATCH_MAX", "EDITABLE_FIELDS", "BatchOutcome", "NewAttachment", "approve_step", "approve_steps", "claim_task",
    "create_item", "edit_item", "mask_item",
    "open_task_for", "policy_for", "proofread_step", "reassign_task", "reject_step", "return_step",
    "separation_relaxations_for", "submit_item", "unclaim_task",
]
