"""保密审查 at its step: the secrecy reviewer's decision, and masking (脱敏) as a new revision.

The decision records: disclosable / partly disclosable (on a masked revision) / not disclosable with its
ground from 条例 Art. 14-16, plus the disclosure mode and scope. A pre-check finding blocks approval unless
the text is masked (a new revision) or the reviewer records the legal ground for publishing it anyway."""
from django.db import transaction
from django.utils import timezone

from audit import log as audit
from core.errors import InvalidInput, NotAllowedInState
from core.models import Role
from privacy import mask_text
from privacy.maskers import can_mask

from .. import notify
from ..models import DisclosureMode, ReviewRound, Revision, Scope, SecrecyResult, StepDecision, WithholdGround
from ..models.review import Step
from . import activations
from .common import transition
from .drafting import NewAttachment, make_revision
from .prescan import is_pending, mask_file, options_for, scan_findings
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

    scan = revision.scan or {}
    if is_pending(revision):
        raise NotAllowedInState("保密预检尚未完成（预检中），请稍后刷新再作决定",
                                en="The privacy pre-check is still running", code="prescan_pending")
    findings = scan_findings(revision)
    blocking = [f for f in findings if f.get("severity") != "warn"]
    warnings = [f for f in findings if f.get("severity") == "warn"]
    override = (decision.get("override_ground") or "").strip()
    if scan.get("blocking", bool(blocking)) and not override:
        count = len(blocking) if not scan.get("truncated") else scan.get("total", len(blocking))
        raise InvalidInput(
            f"保密预检发现 {count} 处须处理的问题（个人隐私、密级标志、严重错敏词或无法完成的预检），"
            "须先脱敏或改正，或填写依法公开的依据后再通过",
            en=f"The privacy pre-check found {count} blocking issue(s): mask or correct them, or give the legal ground",
            field="override_ground",
        )
    if warnings and not decision.get("acknowledge_warnings"):
        raise InvalidInput(f"保密预检有 {len(warnings)} 处提示（如模板占位文字、已更名的机构名称），"
                           "请核对后勾选“已核对提示”", en="Acknowledge the pre-check's warnings",
                           field="acknowledge_warnings")
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
               "scope_audience": item.scope_audience, "findings": scan.get("total", len(findings)),
               "warnings_acknowledged": len(warnings)}
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
        options = options_for(item.agency)
        old = item.current_revision
        if is_pending(old):
            raise NotAllowedInState("保密预检尚未完成（预检中），请稍后再脱敏", en="The pre-check is still running",
                                    code="prescan_pending")
        flagged = {(f.get("location") or {}).get("source") for f in scan_findings(old)
                   if f.get("severity") != "warn"} - {"body", "title", None}
        stuck = sorted(n for n in flagged if not can_mask(n))
        if stuck:
            raise InvalidInput(f"附件“{'、'.join(stuck)}”无法自动脱敏，请退回起草人上传脱敏后的文件",
                               en="Some flagged attachments cannot be masked automatically", field="attachments")
        body, body_count = mask_text(item.body or "", sensitive_words=options["sensitive_words"],
                                     public_values=options["public_values"])
        replaced, counts = [], {"body": body_count}
        for att in old.attachments.select_related("blob"):
            if not can_mask(att.name):
                continue
            # in a child process under the pre-check's limits: a hostile file cannot stall the server
            result = mask_file(att.blob, att.name, options)
            if not result.get("ok"):
                raise InvalidInput(result.get("error") or f"附件“{att.name}”不能自动脱敏",
                                   en=f"Cannot mask {att.name}", field="attachments")
            if result.get("count"):
                replaced.append(NewAttachment(att.name, result["data"], att.blob.content_type))
                counts[att.name] = result["count"]
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
        # the drafter is told after commit (notices.events.notify; a rolled-back masking tells nobody)
        notify.item_masked(item, actor=actor, revision_number=rev.number, counts=counts)
        notify.task_changed(item)
        return rev
