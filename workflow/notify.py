"""Call sites for notices to people (issue 13 item 3 builds the notices app and its channels).

Each function here is called once per event, on commit, by the action that causes it, with ids only (the
handler reloads what it needs). Until the notices app is connected they log the event; the drafter
already sees a masked item in the inbox (web.workflow.inbox.masked_items) and in the audit trail
(workflow.secrecy.mask). To connect: call the notices app from the body of each function."""
import logging

logger = logging.getLogger("shenfa.notify")


def item_masked(*, item_id: int, revision_number: int, actor_id: int, drafter_id: int, counts: dict) -> None:
    """The secrecy reviewer masked the item: tell its drafter which revision and how many values."""
    logger.info("item %s masked as revision %s by user %s; drafter %s to be told (%s)", item_id, revision_number,
                actor_id, drafter_id, counts)
