from .catalogue import Category, WordingRule  # noqa: F401
from .items import (  # noqa: F401
    Attachment,
    AttachmentBlob,
    AttachmentScan,
    CodeListField,
    DisclosureMode,
    Information,
    InfoType,
    ItemStatus,
    Revision,
    ScanStatus,
    Scope,
    Validity,
)
from .review import ReviewPolicy, ReviewRound, SecrecyResult, Step, StepDecision, WithholdGround  # noqa: F401
