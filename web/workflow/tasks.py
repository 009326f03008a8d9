"""The task page (/tasks/<task_pk>/) of reviewers, proofreaders, the secrecy reviewer and the publisher,
and the entry points viewflow's task URLs resolve to (they hand over to that page)."""
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from viewflow.workflow.status import STATUS

from core.errors import ShenfaError
from web.workflow.forms import CommentForm, ProofreadForm, PublishForm, RejectForm, ReturnForm, SecrecyForm
from workflow import actions, permissions
from workflow.actions.prescan import scan_findings
from workflow.diffs import revision_diff
from workflow.models import Information
from workflow.models.review import PROOF_STEPS, Step
from workflow.permissions import OPEN_STATUSES

from .common import is_overdue_item, review_task, task_overdue_before
from .inbox import step_label
from .items import opinions_of


def _task_page(request, task, *, error=None, forms=None, status=None):
    """Render the task page; `forms` replaces the blank forms with bound ones that carry errors."""
    if error is not None:
        messages.error(request, error.message)
        status = status or error.status
    rnd = task.process.review_round
    item = Information.objects.select_related("agency", "drafter", "current_revision", "topic", "facet").get(
        pk=rnd.item_id)
    step = task.data.get("step")
    revision = item.current_revision
    is_open = task.status in OPEN_STATUSES
    is_current = is_open and (step == "publish" or step == rnd.current_step)
    expected = {"expected_hash": revision.content_hash}
    forms = forms or {}
    context = {
        "task": task, "item": item, "round": rnd, "step": step, "step_label": step_label(step),
        "revision": revision, "is_open": is_open, "is_current": is_current,
        "is_owner": task.owner_id == request.user.pk,
        "can_claim": is_open and task.owner_id is None and task.status == STATUS.NEW,
        "overdue": is_open and task.created < task_overdue_before(),
        "item_overdue": is_overdue_item(item),
        "diff": revision_diff(revision),
        "opinions": opinions_of(item),
        "findings": scan_findings(revision),
        "attachments": revision.attachments.select_related("blob"),
        "steps": [{"code": s, "label": Step(s).label, "done": i < rnd.position, "current": i == rnd.position}
                  for i, s in enumerate(rnd.steps)],
        "is_publish": step == "publish",
        "is_proof": step in PROOF_STEPS,
        "is_secrecy": step == Step.SECRECY_REVIEW,
    }
    if step == "publish":
        context["publish_form"] = forms.get("publish") or PublishForm()
    else:
        approve_cls = SecrecyForm if step == Step.SECRECY_REVIEW else CommentForm
        context["approve_form"] = forms.get("approve") or approve_cls(initial=expected)
        if step in PROOF_STEPS:
            context["proofread_form"] = forms.get("proofread") or ProofreadForm(
                initial={**expected, "body": item.body})
        context["reject_form"] = forms.get("reject") or RejectForm()
        earlier = rnd.steps[: rnd.position]
        if earlier:
            context["return_form"] = forms.get("return") or ReturnForm(steps=earlier)
    return render(request, "workflow/task.html", context, status=status or 200)


@login_required
def task_detail(request, task_pk):
    task = review_task(request.user, task_pk)
    return _task_page(request, task)


def _done(request, task, text):
    messages.success(request, text)
    return redirect("workflow:inbox")


@login_required
@require_POST
def task_claim(request, task_pk):
    task = review_task(request.user, task_pk)
    try:
        actions.claim_task(actor=request.user, task=task)
    except ShenfaError as exc:
        return _task_page(request, task, error=exc)
    messages.success(request, "已认领该任务")
    return redirect("workflow:task", task_pk=task.pk)


@login_required
@require_POST
def task_unclaim(request, task_pk):
    task = review_task(request.user, task_pk)
    try:
        actions.unclaim_task(actor=request.user, task=task)
    except ShenfaError as exc:
        return _task_page(request, task, error=exc)
    return _done(request, task, "已放回待认领队列")


@login_required
@require_POST
def task_approve(request, task_pk):
    """Approve the revision the page showed (its hash travels back as expected_hash)."""
    task = review_task(request.user, task_pk)
    secrecy = task.data.get("step") == Step.SECRECY_REVIEW
    form = (SecrecyForm if secrecy else CommentForm)(request.POST)
    if not form.is_valid():
        return _task_page(request, task, forms={"approve": form}, status=400)
    try:
        actions.approve_step(actor=request.user, task=task, comment=form.cleaned_data["comment"],
                             expected_hash=form.cleaned_data["expected_hash"],
                             secrecy=form.secrecy() if secrecy else None)
    except ShenfaError as exc:
        form.add_action_error(exc)
        return _task_page(request, task, error=exc, forms={"approve": form})
    if secrecy and form.cleaned_data["result"] == "not_disclosable":
        return _done(request, task, "已作出不予公开决定")
    return _done(request, task, f"已通过“{step_label(task.data.get('step'))}”")


@login_required
@require_POST
def task_proofread(request, task_pk):
    """A proofreader's corrections become a new revision, which they approve."""
    task = review_task(request.user, task_pk)
    form = ProofreadForm(request.POST)
    if not form.is_valid():
        return _task_page(request, task, forms={"proofread": form}, status=400)
    try:
        actions.proofread_step(actor=request.user, task=task, data={"body": form.cleaned_data["body"]},
                               comment=form.cleaned_data["comment"], expected_hash=form.cleaned_data["expected_hash"])
    except ShenfaError as exc:
        form.add_action_error(exc)
        return _task_page(request, task, error=exc, forms={"proofread": form})
    return _done(request, task, f"已保存校对修改并通过“{step_label(task.data.get('step'))}”")


@login_required
@require_POST
def task_reject(request, task_pk):
    task = review_task(request.user, task_pk)
    form = RejectForm(request.POST)
    form.is_valid()
    try:
        actions.reject_step(actor=request.user, task=task, reason=form.cleaned_data.get("reason", ""))
    except ShenfaError as exc:
        form.add_action_error(exc)
        return _task_page(request, task, error=exc, forms={"reject": form})
    return _done(request, task, "已退回起草人修改")


@login_required
@require_POST
def task_mask(request, task_pk):
    """保密审查: mask personal data as a new revision (it is then reviewed again from the first step)."""
    task = review_task(request.user, task_pk)
    try:
        rev = actions.mask_item(actor=request.user, task=task, expected_hash=request.POST.get("expected_hash") or None,
                                comment=request.POST.get("comment", "")[:500])
    except ShenfaError as exc:
        return _task_page(request, task, error=exc)
    return _done(request, task, f"已脱敏并生成第{rev.number}版，脱敏后的版本将从第一个审核步骤重新审核")


@login_required
@require_POST
def task_return(request, task_pk):
    task = review_task(request.user, task_pk)
    rnd = task.process.review_round
    form = ReturnForm(request.POST, steps=rnd.steps)
    if not form.is_valid():
        return _task_page(request, task, forms={"return": form}, status=400)
    try:
        actions.return_step(actor=request.user, task=task, to_step=form.cleaned_data["to_step"],
                            reason=form.cleaned_data.get("reason", ""))
    except ShenfaError as exc:
        form.add_action_error(exc)
        return _task_page(request, task, error=exc, forms={"return": form})
    return _done(request, task, f"已退回至“{Step(form.cleaned_data['to_step']).label}”")


BATCH_HASH = re.compile(r"^[0-9a-f]{64}$")


@login_required
@require_POST
def task_batch_approve(request):
    """批量审核: approve the ticked tasks of one step; each bound to the hash its inbox row showed."""
    ids = request.POST.getlist("task")
    if not ids or len(ids) > actions.BATCH_MAX or not all(i.isdigit() and len(i) < 12 for i in ids):
        messages.error(request, f"请选择 1 至 {actions.BATCH_MAX} 项任务后再批量同意")
        return redirect("workflow:inbox")
    comment = request.POST.get("comment", "").strip()[:2000]
    found = {str(t.pk): t for t in permissions.eligible_tasks(request.user).filter(pk__in=ids)}
    pairs, missing = [], []
    for task_id in dict.fromkeys(ids):
        task = found.get(task_id)
        if task is None:
            missing.append(actions.BatchOutcome(int(task_id), False, "任务不存在或您无权处理", "not_found"))
            continue
        expected = request.POST.get(f"hash_{task_id}", "")
        pairs.append((task, expected if BATCH_HASH.match(expected) else None))
    try:
        outcomes = actions.approve_steps(actor=request.user, tasks=pairs, comment=comment) if pairs else []
    except ShenfaError as exc:
        messages.error(request, exc.message)
        return redirect("workflow:inbox")
    tasks = {t.pk: t for t, _hash in pairs}
    items = Information.objects.in_bulk([t.data.get("item") for t in tasks.values()])
    rows = [{"outcome": o, "item": items.get(tasks[o.task_id].data.get("item")) if o.task_id in tasks else None,
             "step": step_label(tasks[o.task_id].data.get("step")) if o.task_id in tasks else ""}
            for o in outcomes + missing]
    approved = sum(1 for o in outcomes if o.ok)
    return render(request, "workflow/batch_result.html", {"rows": rows, "approved": approved,
                                                          "failed": len(rows) - approved})
