"""Drafting: create and edit items (each change a new immutable revision), and submit them for review."""
import hashlib
import os
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from audit import log as audit
from core.conf import shenfa_setting
from core.errors import InvalidInput, NotAllowedInState, deny
from core.models import Agency, Role
from core.sanitize import clean_html

from .. import notify, permissions, policies
from ..models import (
    Attachment,
    AttachmentBlob,
    Category,
    Information,
    InfoType,
    ItemStatus,
    ReviewPolicy,
    ReviewRound,
    Revision,
)
from . import activations
from .common import lock_item, transition
from .prescan import scan_revision


@dataclass
class NewAttachment:
    name: str
    data: bytes
    content_type: str = ""


EDITABLE_FIELDS = (
    "title", "doc_number", "info_type", "topic", "facet", "created_date", "summary", "body", "carrier",
    "channel", "channels", "disclosure_mode", "scope", "scope_audience", "display_days", "fee_amount",
    "needs_interpretation", "interprets",
)
EDITABLE_STATES = (ItemStatus.DRAFT, ItemStatus.RETURNED)


def validate_attachment(att: NewAttachment):
    name = os.path.basename(att.name or "").strip()
    if not name:
        raise InvalidInput("附件缺少文件名", en="Attachment has no file name", field="attachments")
    if len(name) > Attachment._meta.get_field("name").max_length:
        raise InvalidInput(f"附件文件名过长（最多 {Attachment._meta.get_field('name').max_length} 个字符）",
                           en="Attachment file name too long", field="attachments")
    ext = os.path.splitext(name)[1].lower()
    allowed = shenfa_setting("ATTACHMENT_EXTENSIONS")
    if ext not in allowed:
        raise InvalidInput(f"附件“{name}”的类型不允许上传，允许的类型：{'、'.join(allowed)}",
                           en=f"File type {ext or '(none)'} is not allowed", field="attachments")
    limit = shenfa_setting("ATTACHMENT_MAX_BYTES")
    if len(att.data) > limit:
        raise InvalidInput(f"附件“{name}”超过大小限制（{limit // (1024 * 1024)} MB）",
                           en=f"Attachment larger than {limit} bytes", field="attachments")
    if len(att.data) == 0:
        raise InvalidInput(f"附件“{name}”是空文件", en="Empty attachment", field="attachments")
    return name


def store_blob(att: NewAttachment) -> AttachmentBlob:
    digest = hashlib.sha256(att.data).hexdigest()
    blob = AttachmentBlob.objects.filter(pk=digest).first()
    if blob is None:
        blob = AttachmentBlob(sha256=digest, size=len(att.data), content_type=att.content_type[:120])
        blob.file.save(f"{digest[:2]}/{digest}", ContentFile(att.data), save=False)
        blob.save(force_insert=True)
    return blob


def _converts(name, value) -> bool:
    try:
        Information._meta.get_field(name).to_python(value)
    except (TypeError, ValueError):
        return False
    except ValidationError:
        pass
    return True


STRIPPED_FIELDS = ("title", "doc_number", "summary", "scope_audience")


def _check_reference(name, value, agency_id):
    """Refuse a category or policy reference that does not exist (or is of the wrong kind), in Chinese.

    A policy document of another agency answers exactly like a missing one: the answer must not tell
    whether an item the drafter may not see exists."""
    pk = getattr(value, "pk", value)
    label = Information._meta.get_field(name).verbose_name
    if isinstance(pk, bool) or not isinstance(pk, (int, str)) or not str(pk).isdigit():
        raise InvalidInput(f"{label}：数据类型不正确", en=f"Wrongly typed value for {name}", field=name)
    if name == "interprets":
        exists = Information.objects.filter(pk=pk, agency_id=agency_id).exists()
    else:
        exists = Category.objects.filter(pk=pk, kind=Category.Kind.TOPIC if name == "topic" else
                                         Category.Kind.FACET).exists()
    if not exists:
        raise InvalidInput(f"{label}：所选项不存在", en=f"No such {name}", field=name)


def apply_fields(item, data):
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise InvalidInput(f"不能修改字段“{field}”", en=f"Unknown or read-only field: {field}", field=field)
    for name, value in data.items():
        if name == "body":
            value = clean_html(value or "")
        elif isinstance(value, str) and name in STRIPPED_FIELDS:
            value = value.strip()
        if name in ("topic", "facet", "interprets") and value not in (None, ""):
            _check_reference(name, value, item.agency_id)
            if not hasattr(value, "pk"):
                setattr(item, f"{name}_id", value)
                continue
        setattr(item, name, value)
    # 拟公开方式: several may be chosen (channels); channel stays the first of them for older readers.
    if "channels" in data and isinstance(item.channels, list) and item.channels:
        item.channel = item.channels[0]
    elif "channel" in data and "channels" not in data:
        item.channels = [item.channel]  # a caller that knows one channel means that one
    try:
        item.full_clean(exclude=["drafter", "agency", "current_revision", "published_revision", "status"],
                        validate_unique=False)
    except ValidationError as exc:
        errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        field = next(iter(errors))
        label = Information._meta.get_field(field).verbose_name if field != "__all__" else ""
        raise InvalidInput(f"{label}：{errors[field][0]}" if label else errors[field][0],
                           en=f"Invalid value for {field}", field=field, errors=errors) from exc
    except (TypeError, ValueError) as exc:
        # A wrongly typed value (e.g. a number for a date) makes Django's to_python raise TypeError.
        field = next((n for n in data if not _converts(n, data[n])), "__all__")
        label = Information._meta.get_field(field).verbose_name if field != "__all__" else "输入"
        raise InvalidInput(f"{label}：数据类型不正确", en=f"Wrongly typed value for {field}", field=field) from exc
    if item.interprets_id and not Information.objects.filter(pk=item.interprets_id, agency=item.agency_id).exists():
        raise InvalidInput("只能关联本机构的政策文件", en="The interpreted policy must belong to the same agency",
                           field="interprets")
    if item.interprets_id and item.info_type != InfoType.INTERPRETATION:
        raise InvalidInput("只有“政策解读”类信息可以关联所解读的政策文件", en="Only interpretations link a policy",
                           field="interprets")
    if item.scope == "limited" and not item.scope_audience:
        raise InvalidInput("限定范围公开须填写公开对象", en="Limited scope needs an audience", field="scope_audience")


def make_revision(item, *, actor, kind, note="", add=(), remove=(), parent=None) -> Revision | None:
    """Freeze the item's working copy (plus attachment changes) as a new revision, if anything changed."""
    parent = parent if parent is not None else item.current_revision
    attachments = {}
    if parent is not None:
        attachments = {a.name: a.blob for a in parent.attachments.select_related("blob")}
    for name in remove:
        if name not in attachments:
            raise InvalidInput(f"附件“{name}”不存在", en=f"No attachment named {name}", field="attachments")
        attachments.pop(name)
    for att in add:
        name = validate_attachment(att)
        attachments[name] = store_blob(att)
    metadata = item.published_metadata()
    content_hash = Revision.compute_hash(
        body=item.body, metadata=metadata, attachments=[(n, b.sha256) for n, b in attachments.items()]
    )
    if parent is not None and parent.content_hash == content_hash:
        return None
    number = (item.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    rev = Revision.objects.create(
        item=item, number=number, kind=kind, body=item.body, metadata=metadata, content_hash=content_hash,
        parent=parent, note=note, created_by=actor,
    )
    Attachment.objects.bulk_create([Attachment(revision=rev, name=n, blob=b) for n, b in attachments.items()])
    item.current_revision = rev
    scan_revision(rev)
    return rev


def has_text(body) -> bool:
    """True if the (sanitised) HTML body has visible text, not just empty paragraphs."""
    return bool(re.sub(r"(<[^>]*>|&nbsp;|\s|\u3000)+", "", body or ""))


def find_policy(item) -> ReviewPolicy | None:
    """The most specific active review policy row for the item (agency chain first, then global), or None."""
    return policies.effective(item.agency, item.info_type).policy


def policy_for(item) -> tuple[str, list[str], bool]:
    """(name, steps, allow_same_reviewer) of the item's review policy, or of the default 三审三校."""
    chosen = policies.effective(item.agency, item.info_type)
    return chosen.name, chosen.steps, chosen.allow_same_reviewer


def separation_relaxations_for(item, policy=None) -> dict:
    """The policy's relaxations of separation of duties beyond the three reviews (frozen onto each round)."""
    p = policy or find_policy(item)
    if p is not None:
        return {"allow_same_proofreader": p.allow_same_proofreader,
                "allow_proofreader_review": p.allow_proofreader_review}
    return {"allow_same_proofreader": shenfa_setting("ALLOW_SAME_PROOFREADER"),
            "allow_proofreader_review": shenfa_setting("ALLOW_PROOFREADER_REVIEW")}


# --- drafting -----------------------------------------------------------------------------------

@transaction.atomic
def create_item(*, actor, agency: Agency, data: dict, attachments=()) -> Information:
    """Create a draft item with its first revision."""
    deny(permissions.create_denial(actor, agency))
    data = dict(data)
    data.setdefault("created_date", timezone.localdate())
    item = Information(agency=agency, drafter=actor)
    apply_fields(item, data)
    item.save()
    rev = make_revision(item, actor=actor, kind=Revision.Kind.DRAFT, note="创建", add=attachments)
    item.save(update_fields=["current_revision"])
    audit.record(action="workflow.item.create", actor=actor, role=Role.DRAFTER, item=item,
                 revision_hash=rev.content_hash, to_state=item.status, data={"revision": rev.number})
    return item


@transaction.atomic
def edit_item(*, actor, item: Information, data: dict | None = None, add_attachments=(), remove_attachments=(),
              note: str = "", expected_hash: str | None = None) -> Revision | None:
    """Save a drafter's changes as a new revision. Editing an approved item voids its approvals."""
    item = lock_item(item)
    deny(permissions.edit_denial(actor, item))
    if expected_hash and item.current_revision and item.current_revision.content_hash != expected_hash:
        raise NotAllowedInState("该信息已被他人修改，请刷新后在最新版本上修改", en="Stale revision",
                                code="stale_revision")
    from_state = item.status
    if item.status == ItemStatus.APPROVED:
        transition(item, "reopen")
        ReviewRound.objects.filter(item=item, status=ReviewRound.Status.APPROVED).update(
            status=ReviewRound.Status.CANCELLED, finished_at=timezone.now())
        activations.cancel_rounds_of(item)
    elif item.status in (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN, ItemStatus.EXPIRED):
        transition(item, "start_update")
    elif item.status not in EDITABLE_STATES:
        raise NotAllowedInState(f"当前状态“{item.get_status_display()}”下不能修改，请等待审核结束或由审核人退回",
                                en=f"Cannot edit in state {item.status}")
    apply_fields(item, data or {})
    kind = Revision.Kind.UPDATE if from_state in (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN,
                                                  ItemStatus.EXPIRED) else Revision.Kind.DRAFT
    rev = make_revision(item, actor=actor, kind=kind, note=note, add=add_attachments, remove=remove_attachments)
    item.save()
    if rev is None and from_state == item.status:
        return None  # nothing changed: no revision, no audit noise
    audit.record(action="workflow.item.edit", actor=actor, role=Role.DRAFTER, item=item,
                 revision_hash=item.current_revision.content_hash, from_state=from_state, to_state=item.status,
                 comment=note, data={"revision": item.current_revision.number,
                                     "changed_fields": sorted((data or {}).keys())})
    return rev


@transaction.atomic
def submit_item(*, actor, item: Information) -> ReviewRound:
    """Submit the current revision for review under the item's review policy (一事一审)."""
    item = lock_item(item)
    deny(permissions.edit_denial(actor, item))
    if item.current_revision is None:
        raise NotAllowedInState("信息没有可提交的版本", en="Nothing to submit")
    if not has_text(item.body) and not item.current_revision.attachments.exists():
        raise InvalidInput("正文和附件不能同时为空", en="Body or an attachment is required", field="body")
    from_state = item.status
    transition(item, "submit")
    chosen = policies.effective(item.agency, item.info_type)
    name, steps = chosen.name, chosen.steps
    number = (item.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    rnd = ReviewRound.objects.create(
        item=item, number=number, submitted_revision=item.current_revision, submitted_by=actor,
        policy_name=name, steps=steps, allow_same_reviewer=chosen.allow_same_reviewer,
        **separation_relaxations_for(item, chosen.policy),
    )
    item.save()
    audit.record(action="workflow.item.submit", actor=actor, role=Role.DRAFTER, item=item,
                 revision_hash=item.current_revision.content_hash, from_state=from_state, to_state=item.status,
                 data={"round": number, "policy": name, "steps": steps})
    activations.start_round(rnd)
    notify.task_changed(item)
    return rnd
