from .catalogue import Category  # noqa: F401
from .items import (  # noqa: F401
    Attachment,
    AttachmentBlob,
    DisclosureMode,
    Information,
    InfoType,
    ItemStatus,
    Revision,
    Scope,
    Validity,
)
from .review import ReviewPolicy, ReviewRound, SecrecyResult, Step, StepDecision, WithholdGround  # noqa: F401
