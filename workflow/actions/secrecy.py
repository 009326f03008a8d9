"""保密审查 at its step: the secrecy reviewer's decision, and masking (脱敏) as a new revision.

The decision records: disclosable / partly disclosable (on a masked revision) / not disclosable with its
ground from 条例 Art. 14-16, plus the disclosure mode and scope. A pre-check finding blocks approval unless
the text is masked (a new revision) or the reviewer records the legal ground for publishing it anyway."""
from django.db import transaction
from django.utils import timezone

from audit import log as audit
from core.errors import InvalidInput
from core.models import Role
from privacy import mask_text
from privacy.maskers import MaskError, can_mask, mask_attachment

from ..models import DisclosureMode, ReviewRound, Revision, Scope, SecrecyResult, StepDecision, WithholdGround
from ..models.review import Step
from . import activations
from .common import transition
from .drafting import NewAttachment, make_revision
from .prescan import scan_findings
from .steps import advance, prepare_step, record_approval, void_stale
from .tasks import auto_claim


def decide_secrecy(*, actor, task, item, rnd, comment: str, decision: dict) -> StepDecision:
    """Record the secrecy decision on the current revision (called by workflow.actions.approve_step)."""
    result = decision.get("result") or SecrecyResult.DISCLOSABLE
    if result not in SecrecyResult.values:
        raise InvalidInput("请选择保密审查结论", en="result must be one of " + ", ".join(SecrecyResult.values),
                           field="result")
    revision = item.current_revision
    if result == SecrecyResult.NOT_DISCLOSABLE:
        ground = decision.get("ground")
        if ground not in WithholdGround.values:
            raise InvalidInput("决定不予公开须选择条例第十四至十六条规定的理由", en="A withholding ground is required",
                               field="ground")
        auto_claim(actor, task, item)
        record = StepDecision.objects.create(
            round=rnd, step=Step.SECRECY_REVIEW, actor=actor, decision=StepDecision.Decision.NOT_DISCLOSE,
            revision=revision, revision_hash=revision.content_hash, comment=comment,
            details={"result": result, "ground": ground},
        )
        from_state = item.status
        transition(item, "refuse_disclosure")
        item.save()
        rnd.status = ReviewRound.Status.NOT_DISCLOSED
        rnd.finished_at = timezone.now()
        rnd.save()
        audit.record(action="workflow.secrecy.decide", actor=actor, role=Role.SECRECY_REVIEWER, item=item,
                     revision_hash=revision.content_hash, from_state=from_state, to_state=item.status,
                     comment=comment, data={"result": result, "ground": ground, "round": rnd.number})
        activations.complete(task)
        return record

    findings = scan_findings(revision)
    override = (decision.get("override_ground") or "").strip()
    if findings and not override:
        raise InvalidInput(
            f"保密预检发现 {len(findings)} 处疑似个人隐私或密级标志，须先脱敏处理，或填写依法公开的依据后再通过",
            en=f"The privacy pre-check found {len(findings)} issue(s): mask them or give the legal ground",
            field="override_ground",
        )
    if result == SecrecyResult.PARTIAL and revision.kind != Revision.Kind.MASK:
        raise InvalidInput("部分公开须在脱敏后的版本上作出决定", en="Partial disclosure needs a masked revision",
                           field="result")
    mode = decision.get("disclosure_mode") or item.disclosure_mode
    scope = decision.get("scope") or item.scope
    if mode not in DisclosureMode.values or scope not in Scope.values:
        raise InvalidInput("公开方式或公开范围无效", en="Invalid disclosure mode or scope", field="scope")
    if (mode, scope) != (item.disclosure_mode, item.scope):
        raise InvalidInput(
            "保密审查确定的公开方式或范围与拟公开的不一致，请退回起草人修改后重新审核",
            en="Mode/scope differ from the proposal: return the item to the drafter", field="scope",
        )
    details = {"result": result, "disclosure_mode": mode, "scope": scope,
               "scope_audience": item.scope_audience, "findings": len(findings)}
    if override:
        details["override_ground"] = override
    return record_approval(actor=actor, task=task, item=item, rnd=rnd, step=Step.SECRECY_REVIEW, comment=comment,
                            details=details, action="workflow.secrecy.decide")


def mask_item(*, actor, task, expected_hash: str | None = None, comment: str = "") -> Revision:
    """Mask personal data (ID numbers, phones, bank cards, e-mail, addresses, names beside them) in the body
    and attachments as a new revision, at the secrecy step. Every approval of the old text is void: the
    masked text is reviewed again from the first step (一事一审)."""
    with transaction.atomic():
        item, rnd, task, step = prepare_step(actor, task, expected_hash)
        if step != Step.SECRECY_REVIEW:
            raise InvalidInput("只有保密审查步骤可以脱敏", en="Masking happens at the secrecy review", field="step")
        words = item.agency.sensitive_word_list()
        old = item.current_revision
        flagged = {(f.get("location") or {}).get("source") for f in scan_findings(old)
                   if f.get("severity") != "warn"} - {"body", "title", None}
        stuck = sorted(n for n in flagged if not can_mask(n))
        if stuck:
            raise InvalidInput(f"附件“{'、'.join(stuck)}”无法自动脱敏，请退回起草人上传脱敏后的文件",
                               en="Some flagged attachments cannot be masked automatically", field="attachments")
        body, body_count = mask_text(item.body or "", sensitive_words=words)
        replaced, counts = [], {"body": body_count}
        for att in old.attachments.select_related("blob"):
            with att.blob.file.open("rb") as fh:
                data = fh.read()
            try:
                masked, n = mask_attachment(att.name, data, words) if can_mask(att.name) else (data, 0)
            except MaskError as exc:
                raise InvalidInput(str(exc), en=f"Cannot mask {att.name}", field="attachments") from exc
            if n:
                replaced.append(NewAttachment(att.name, masked, att.blob.content_type))
                counts[att.name] = n
        if not sum(counts.values()):
            raise InvalidInput("没有可以自动脱敏的内容（密级标志和敏感词须人工处理或退回起草人）",
                               en="Nothing to mask automatically", field="mask")
        auto_claim(actor, task, item)
        item.body = body
        rev = make_revision(item, actor=actor, kind=Revision.Kind.MASK, note=comment or "保密审查脱敏",
                             add=replaced)
        item.save()
        voided = void_stale(rnd, item, reason="保密审查脱敏产生新版本")
        audit.record(action="workflow.secrecy.mask", actor=actor, role=Role.SECRECY_REVIEWER, item=item,
                     revision_hash=rev.content_hash, from_state=item.status, to_state=item.status, comment=comment,
                     data={"revision": rev.number, "parent_hash": old.content_hash, "masked": counts,
                           "voided_decisions": voided, "round": rnd.number})
        advance(item, rnd)
        activations.complete(task)
        return rev
