"""Item pages: list, create, edit, submit, the item page with its audit timeline, a revision's diff,
attachments, publish / withdraw, and the printable review sheet (审核单)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from audit.models import AuditRecord
from core import org
from core.conf import shenfa_setting
from core.errors import NotAllowedForYou, ShenfaError, deny
from core.models import Agency, Role
from core.uploads import refused_uploads
from publishing.actions import publish_item, withdraw_item
from web.workflow.forms import ItemFilterForm, ItemForm, PublishForm, WithdrawForm
from workflow import actions, permissions
from workflow.actions.imports import import_docx
from workflow.actions.prescan import scan_findings
from workflow.diffs import revision_diff
from workflow.models import Attachment, ItemStatus, ReviewRound, Revision, StepDecision
from workflow.review_state import latest_round

from .common import is_overdue_item, overdue_items, visible_item

EDIT_STATES = (ItemStatus.DRAFT, ItemStatus.RETURNED, ItemStatus.APPROVED, ItemStatus.PUBLISHED,
               ItemStatus.WITHDRAWN, ItemStatus.EXPIRED)


# --- list -------------------------------------------------------------------------------------------

@login_required
def item_list(request):
    """Items the user may read (permissions.visible_items), filtered."""
    visible = permissions.visible_items(request.user)
    agencies = Agency.objects.filter(pk__in=visible.values("agency_id").distinct())
    form = ItemFilterForm(request.GET or None, agencies=agencies)
    qs = visible.select_related("agency", "drafter")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(Q(title__icontains=data["q"]) | Q(doc_number__icontains=data["q"])
                           | Q(index_number__icontains=data["q"]))
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["info_type"]:
            qs = qs.filter(info_type=data["info_type"])
        if data["agency"]:
            qs = qs.filter(agency_id=data["agency"])
        if data["mine"]:
            qs = qs.filter(drafter=request.user)
        if data["overdue"]:
            qs = overdue_items(qs)
    page = Paginator(qs.order_by("-updated_at"), 50).get_page(request.GET.get("page"))
    rows = [{"item": i, "overdue": is_overdue_item(i)} for i in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "workflow/item_list.html", {"form": form, "page": page, "rows": rows,
                                                        "query": query.urlencode()})


# --- create / edit / submit ---------------------------------------------------------------------------

def _limits():
    return {"extensions": "、".join(shenfa_setting("ATTACHMENT_EXTENSIONS")),
            "max_mb": shenfa_setting("ATTACHMENT_MAX_BYTES") // (1024 * 1024)}


def _drafting_agencies(user):
    ids = [a for a, roles in org.roles_by_agency(user).items() if Role.DRAFTER in roles]
    return list(Agency.objects.filter(pk__in=ids, is_active=True))


def _with_import(form, data, attachments, *, note=""):
    """Put a Word document chosen on the form in place of the typed body; its images join the attachments."""
    upload = form.imported_file()
    if upload is None:
        return data, attachments, note
    name, raw = upload
    imported = import_docx(name=name, data=raw)
    data = {**data, "body": imported.html}
    note = "；".join(x for x in (note, f"正文由 Word 文档“{name}”导入") if x)
    return data, [*attachments, *imported.images], note


@login_required
def item_create(request):
    """New draft: all catalogue fields, body and attachments; create_item checks everything."""
    agencies = _drafting_agencies(request.user)
    if not agencies:
        raise NotAllowedForYou("您没有起草人角色，不能起草信息", en="Drafter role required")
    agency = agencies[0]
    if len(agencies) > 1:
        wanted = request.POST.get("agency") or request.GET.get("agency")
        agency = next((a for a in agencies if str(a.pk) == wanted), agencies[0])
    status = 200
    if request.method == "POST":
        form = ItemForm(request.POST, request.FILES, agency=agency, refused_uploads=refused_uploads(request))
        if form.is_valid():
            try:
                data, attachments, _note = _with_import(form, form.action_data(), form.new_attachments())
                item = actions.create_item(actor=request.user, agency=agency, data=data, attachments=attachments)
            except ShenfaError as exc:
                form.add_action_error(exc)
                status = exc.status
            else:
                messages.success(request, f"已保存草稿“{item.title}”（第1版）")
                return redirect("workflow:item", pk=item.pk)
        else:
            status = 400
    else:
        form = ItemForm(agency=agency)
    return render(request, "workflow/item_form.html", {
        "form": form, "agency": agency, "agencies": agencies, "item": None, "limits": _limits(),
    }, status=status)


def _rejection(item):
    """The decision that sent the item back to its drafter, if that is its current state."""
    if item.status != ItemStatus.RETURNED:
        return None
    return (StepDecision.objects.filter(round__item=item, decision=StepDecision.Decision.REJECT)
            .select_related("actor", "round").order_by("-pk").first())


@login_required
def item_edit(request, pk):
    """Edit a draft (or start a new version of an approved or published item)."""
    item = visible_item(request.user, pk)
    deny(permissions.edit_denial(request.user, item))
    status = 200
    if request.method == "POST":
        form = ItemForm(request.POST, request.FILES, agency=item.agency, item=item,
                        initial=ItemForm.initial_for(item), refused_uploads=refused_uploads(request))
        if form.is_valid():
            try:
                data, attachments, note = _with_import(form, form.action_data(), form.new_attachments(),
                                                       note=form.cleaned_data.get("note", ""))
                rev = actions.edit_item(
                    actor=request.user, item=item, data=data, add_attachments=attachments,
                    remove_attachments=form.cleaned_data.get("remove_attachments") or [],
                    note=note, expected_hash=form.cleaned_data.get("expected_hash"),
                )
            except ShenfaError as exc:
                form.add_action_error(exc)
                status = exc.status
            else:
                if rev is None:
                    messages.info(request, "内容没有变化，未生成新版本")
                else:
                    messages.success(request, f"已保存为第{rev.number}版")
                return redirect("workflow:item", pk=item.pk)
        else:
            status = 400
    else:
        form = ItemForm(agency=item.agency, item=item, initial=ItemForm.initial_for(item))
    if item.status not in EDIT_STATES and request.method == "GET":
        messages.warning(request, f"当前状态“{item.get_status_display()}”下不能修改，请等待审核结束或由审核人退回")
    return render(request, "workflow/item_form.html", {
        "form": form, "agency": item.agency, "item": item, "limits": _limits(), "rejection": _rejection(item),
        "attachments": item.current_revision.attachments.select_related("blob") if item.current_revision else [],
    }, status=status)


@login_required
@require_POST
def item_submit(request, pk):
    item = visible_item(request.user, pk)
    try:
        rnd = actions.submit_item(actor=request.user, item=item)
    except ShenfaError as exc:
        return item_page(request, item, error=exc)
    messages.success(request, f"已提交审核（第{rnd.number}轮：{rnd.policy_name}）")
    return redirect("workflow:item", pk=item.pk)


# --- publish / withdraw -------------------------------------------------------------------------------

@login_required
@require_POST
def item_publish(request, pk):
    item = visible_item(request.user, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return item_page(request, item, publish_form=form, status=400)
    try:
        item = publish_item(actor=request.user, item=item, at=form.cleaned_data.get("at"))
    except ShenfaError as exc:
        form.add_action_error(exc)
        return item_page(request, item, error=exc, publish_form=form)
    if item.status == ItemStatus.SCHEDULED:
        messages.success(request, f"已设定定时发布：{item.publish_at:%Y-%m-%d %H:%M}")
    else:
        messages.success(request, f"已发布，索引号 {item.index_number}")
    return redirect("workflow:item", pk=item.pk)


@login_required
@require_POST
def item_withdraw(request, pk):
    item = visible_item(request.user, pk)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        item = withdraw_item(actor=request.user, item=item, reason=form.cleaned_data.get("reason", ""))
    except ShenfaError as exc:
        form.add_action_error(exc)
        return item_page(request, item, error=exc, withdraw_form=form)
    messages.success(request, "已取消定时发布" if item.status == ItemStatus.APPROVED else "已撤回，信息已下线")
    return redirect("workflow:item", pk=item.pk)


# --- item page ------------------------------------------------------------------------------------

def opinions_of(item):
    """Every reviewer decision on the item, all rounds, oldest first."""
    return (StepDecision.objects.filter(round__item=item)
            .select_related("actor", "round", "revision").order_by("round__number", "pk"))


def item_page(request, item, *, error=None, publish_form=None, withdraw_form=None, status=None):
    user = request.user
    if error is not None:
        messages.error(request, error.message)
        status = status or error.status
    rnd = latest_round(item)
    open_task = actions.open_task_for(item)
    can_act_on_task = bool(open_task and permissions.task_denial(user, open_task) is None)
    may_edit = permissions.edit_denial(user, item) is None
    may_publish = permissions.publish_denial(user, item) is None
    context = {
        "item": item,
        "overdue": is_overdue_item(item),
        "round": rnd,
        "open_task": open_task,
        "can_act_on_task": can_act_on_task,
        "revisions": item.revisions.select_related("created_by").order_by("-number"),
        "attachments": item.current_revision.attachments.select_related("blob") if item.current_revision else [],
        "records": AuditRecord.objects.filter(item=item).select_related("actor").order_by("seq"),
        "opinions": opinions_of(item),
        "rejection": _rejection(item),
        "findings": scan_findings(item.current_revision),
        "revision": item.current_revision,
        "may_edit": may_edit and item.status in EDIT_STATES,
        "may_submit": may_edit and item.status in (ItemStatus.DRAFT, ItemStatus.RETURNED),
        "may_publish": may_publish and item.status == ItemStatus.APPROVED,
        "may_withdraw": may_publish and (item.online or item.status == ItemStatus.SCHEDULED),
        "publish_form": publish_form or PublishForm(),
        "withdraw_form": withdraw_form or WithdrawForm(),
    }
    return render(request, "workflow/item_detail.html", context, status=status or 200)


@login_required
def item_detail(request, pk):
    return item_page(request, visible_item(request.user, pk))


@login_required
def revision_detail(request, pk, number):
    """One revision and what changed against the last reviewed revision before it."""
    item = visible_item(request.user, pk)
    revision = get_object_or_404(Revision.objects.select_related("created_by"), item=item, number=number)
    return render(request, "workflow/revision.html", {
        "item": item, "revision": revision, "diff": revision_diff(revision),
        "attachments": revision.attachments.select_related("blob"),
        "findings": scan_findings(revision),
        "decisions": StepDecision.objects.filter(revision=revision).select_related("actor").order_by("pk"),
    })


@login_required
def attachment_download(request, pk, att_pk):
    item = visible_item(request.user, pk)
    att = get_object_or_404(Attachment.objects.select_related("blob"), pk=att_pk, revision__item=item)
    try:
        fh = att.blob.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("附件文件不存在") from exc
    return FileResponse(fh, as_attachment=True, filename=att.name,
                        content_type=att.blob.content_type or "application/octet-stream")


# --- 审核单 ----------------------------------------------------------------------------------------

def _sheet_round(item):
    """The round the sheet documents: the one that approved the published (else current) revision."""
    rounds = item.rounds.order_by("-number")
    for status in (ReviewRound.Status.PUBLISHED, ReviewRound.Status.APPROVED):
        found = rounds.filter(status=status).first()
        if found:
            return found
    return rounds.first()


@login_required
def review_sheet(request, pk):
    """Printable 信息公开保密审查审批表 (or, with ?form=changzhou, the 常州 保密审查单) from the round's decisions."""
    item = visible_item(request.user, pk)
    rnd = _sheet_round(item)
    decisions = {}
    if rnd is not None:
        for d in rnd.decisions.filter(voided=False).select_related("actor").order_by("pk"):
            decisions.setdefault(d.step, []).append(d)
    revision = item.published_revision or item.current_revision
    secrecy = (decisions.get("secrecy_review") or [None])[-1]
    context = {
        "form": "changzhou" if request.GET.get("form") == "changzhou" else "approval",
        "item": item, "round": rnd, "revision": revision,
        "attachments": revision.attachments.all() if revision else [],
        "self_review": [d for s in ("first_review", "second_review", "legal_review") for d in decisions.get(s, [])],
        "editing": [d for s in ("proof_1", "proof_2", "proof_3") for d in decisions.get(s, [])],
        "final": decisions.get("final_review", []),
        "secrecy": secrecy,
        "secrecy_details": (secrecy.details if secrecy else {}),
        "publish_record": AuditRecord.objects.filter(item=item, action="publishing.item.publish")
        .select_related("actor").order_by("-seq").first(),
    }
    return render(request, "workflow/review_sheet.html", context)
