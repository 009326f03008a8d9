"""Request pages: list, register, detail (deadline explanation + timeline + action forms), actions, overdue.

Thin views: shape input with a form, call the action, render. Every rule lives in disclosure.actions."""
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.models import AuditRecord
from core.conf import shenfa_setting
from core.errors import InvalidInput, NotAllowedForYou, ShenfaError
from disclosure import actions, letters, online, permissions
from disclosure.codes import LetterKind, Outcome
from disclosure.imports import import_appeals, import_applications, template_csv, template_xlsx
from disclosure.letters import DEFAULTS, PLACEHOLDERS
from disclosure.models import CLOCK_RUNNING, Application, AppStatus, ExtensionStatus, Letter, LetterTemplate, Pause
from disclosure.templates_admin import save_letter_template, template_agencies

from ..errors import add_form_error, not_found
from ..templatetags.shenfa import action_label
from . import forms


def _visible_application(user, pk) -> Application:
    """The application if the user may read it; 404 alike for a missing one and another agency's."""
    app = permissions.visible_applications(user).select_related("agency", "registered_by").filter(pk=pk).first()
    if app is None:
        raise not_found()
    return app


@login_required
def application_list(request):
    """Applications the user may read, newest first; filter by status and text."""
    qs = permissions.visible_applications(request.user).select_related("agency")
    status, q = request.GET.get("status", ""), request.GET.get("q", "").strip()
    if status in AppStatus.values:
        qs = qs.filter(status=status)
    elif status == "open":
        qs = qs.open()
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(applicant_name__icontains=q) | Q(content__icontains=q))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "disclosure/list.html", {
        "page": page, "statuses": AppStatus.choices, "status": status, "q": q, "today": timezone.localdate(),
        "can_register": permissions.handler_agencies(request.user).exists(),
        "pending_online": online.submissions_for(request.user).filter(status="submitted").select_related("agency"),
    })


@login_required
def register(request):
    """Register a new application (有申请必登记)."""
    agencies = list(permissions.handler_agencies(request.user))
    if not agencies:
        raise NotAllowedForYou("您没有依申请公开经办人角色，不能登记申请", en="Request handler role required")
    form = forms.RegisterForm(request.POST or None, agencies=agencies,
                              initial={"received_date": timezone.localdate()})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        agency = next(a for a in agencies if str(a.pk) == data.pop("agency"))
        try:
            app = actions.register_application(actor=request.user, agency=agency, data=data)
        except ShenfaError as exc:
            add_form_error(form, exc)
            status = exc.status
        else:
            messages.success(request, f"已登记：{app.number}，答复截止日 {app.due_date:%Y年%m月%d日}")
            return redirect("disclosure:detail", pk=app.pk)
    elif request.method == "POST":
        status = 400
    return render(request, "disclosure/register.html", {"form": form}, status=status)


ACTION_LABELS = {
    "disclosure.application.register": "登记申请",
    "disclosure.application.request_supplement": "告知补正",
    "disclosure.application.receive_supplement": "收到补正，重新起算",
    "disclosure.application.close_no_supplement": "逾期未补正，不再处理",
    "disclosure.application.consult_start": "征求意见（期限中止）",
    "disclosure.application.consult_end": "收到意见（期限恢复）",
    "disclosure.application.request_extension": "申请延期",
    "disclosure.application.approve_extension": "批准延期",
    "disclosure.application.reject_extension": "不批准延期",
    "disclosure.application.fee_notice": "发出收费通知",
    "disclosure.application.fee_paid": "缴费",
    "disclosure.application.close_fee_unpaid": "逾期未缴费，不再处理",
    "disclosure.application.deadline_recompute": "节假日安排变更，期限重算",
    "disclosure.application.remind_due_soon": "临期提醒",
    "disclosure.application.remind_overdue": "超期提醒",
    "disclosure.reply.draft": "起草答复书",
    "disclosure.reply.legal_approve": "合法性审查通过",
    "disclosure.reply.legal_return": "合法性审查退回",
    "disclosure.reply.sign_off": "签发",
    "disclosure.reply.sign_return": "签发退回",
    "disclosure.reply.deliver": "送达归档",
    "disclosure.application.excessive_ask": "要求说明理由（条例第三十五条）",
    "disclosure.application.excessive_decide": "第三十五条处理决定",
    "disclosure.application.import": "由台账导入",
}


def _timeline(app):
    records = list(AuditRecord.objects.filter(subject_type="disclosure.application", subject_id=str(app.pk))
                   .order_by("seq"))
    for r in records:
        r.label = ACTION_LABELS.get(r.action, "") or action_label(r.action)
        r.from_label = status_label(r.from_state)
        r.to_label = status_label(r.to_state)
    return records


def status_label(code):
    """The Chinese name of an application status code ('' stays '')."""
    try:
        return AppStatus(code).label if code else ""
    except ValueError:
        return code


# action name -> (form class, call(user, app, data), success message)
ACTIONS = {
    "supplement": (forms.SupplementRequestForm, lambda u, a, d: actions.request_supplement(
        actor=u, application=a, **d), "已告知补正"),
    "supplement_received": (forms.SupplementReceivedForm, lambda u, a, d: actions.receive_supplement(
        actor=u, application=a, **d), "已登记补正，答复期限重新计算"),
    "consult": (forms.ConsultationForm, lambda u, a, d: actions.start_consultation(
        actor=u, application=a, **d), "已登记征求意见，期间不计入答复期限"),
    "consult_end": (forms.ConsultationEndForm, lambda u, a, d: actions.end_consultation(
        actor=u, pause=get_object_or_404(Pause, pk=d.pop("pause"), application=a), **d), "已登记收到意见"),
    "extension": (forms.ExtensionForm, lambda u, a, d: actions.request_extension(
        actor=u, application=a, **d), "已提交延期申请，待公开办负责人批准"),
    "extension_decide": (forms.DecisionForm, lambda u, a, d: actions.decide_extension(
        actor=u, application=a, approve=d["decision"] == "approve", comment=d["comment"]), "已处理延期申请"),
    "fee_notice": (forms.FeeNoticeForm, lambda u, a, d: actions.issue_fee_notice(
        actor=u, application=a, **d), "已发出收费通知"),
    "fee_paid": (forms.FeePaidForm, lambda u, a, d: actions.record_fee_payment(
        actor=u, application=a, **d), "已登记缴费"),
    "reply": (forms.ReplyForm, lambda u, a, d: actions.draft_reply(
        actor=u, application=a, **d), "答复书已提交合法性审查"),
    "legal": (forms.DecisionForm, lambda u, a, d: actions.legal_review(
        actor=u, application=a, approve=d["decision"] == "approve", comment=d["comment"]), "已完成合法性审查"),
    "sign": (forms.DecisionForm, lambda u, a, d: actions.sign_reply(
        actor=u, application=a, approve=d["decision"] == "approve", comment=d["comment"]), "已处理签发"),
    "deliver": (forms.DeliveryForm, lambda u, a, d: actions.deliver_reply(
        actor=u, application=a, **d), "已送达并归档，申请办结"),
    "excessive": (forms.ExcessiveForm, lambda u, a, d: actions.mark_excessive(
        actor=u, application=a, **d), "已要求申请人说明理由，期间不计入答复期限"),
    "excessive_decide": (forms.ExcessiveDecisionForm, lambda u, a, d: actions.decide_excessive(
        actor=u, application=a, reasonable=d.pop("decision") == "later", **d), "已作出第三十五条处理决定"),
}


def _available(user, app):
    """Which action forms to show this user now (the actions check again when called)."""
    handler = permissions.handle_denial(user, app.agency) is None
    legal = permissions.legal_denial(user, app) is None
    head = permissions.head_denial(user, app) is None
    s = app.status
    running = s in CLOCK_RUNNING
    show = {
        "supplement": handler and s == AppStatus.PROCESSING and not app.supplement_requested_date,
        "supplement_received": handler and s == AppStatus.AWAITING_SUPPLEMENT,
        "consult": handler and s == AppStatus.PROCESSING,
        "consult_end": handler and app.pauses.filter(ended__isnull=True).exclude(kind=Pause.Kind.FEE).exists(),
        "extension": handler and running and app.extension_status in ("", ExtensionStatus.REJECTED),
        "extension_decide": head and running and app.extension_status == ExtensionStatus.REQUESTED,
        "fee_notice": handler and s == AppStatus.PROCESSING and not app.fee_notice_date,
        "fee_paid": handler and s == AppStatus.AWAITING_FEE,
        "reply": handler and s == AppStatus.PROCESSING,
        "legal": legal and s == AppStatus.LEGAL_REVIEW,
        "sign": head and s == AppStatus.SIGN_OFF,
        "deliver": handler and s == AppStatus.TO_DELIVER,
        "excessive": handler and s == AppStatus.PROCESSING and not app.excessive_decision,
        "excessive_decide": handler and s == AppStatus.AWAITING_EXPLANATION,
    }
    return [name for name, ok in show.items() if ok]


ACTION_TITLES = {
    "supplement": "告知补正", "supplement_received": "登记收到补正", "consult": "征求意见",
    "consult_end": "登记收到意见", "extension": "申请延期", "extension_decide": "批准延期",
    "fee_notice": "发出收费通知", "fee_paid": "登记缴费", "reply": "起草答复书", "legal": "合法性审查",
    "sign": "签发", "deliver": "送达归档",
    "excessive": "申请数量、频次明显超过合理范围（条例第三十五条）", "excessive_decide": "第三十五条处理",
}


def _detail_context(request, app, bound=None):
    today = timezone.localdate()
    available = _available(request.user, app)
    # One form at a time: the action chosen (?action=), the one just submitted, or the only one there is.
    chosen = bound[0] if bound else request.GET.get("action")
    if chosen not in available:
        chosen = available[0] if len(available) == 1 else None
    action_forms = {}
    for name in available:
        form_class = ACTIONS[name][0]
        if bound and bound[0] == name:
            action_forms[name] = bound[1]
        else:
            initial = {k: today for k in ("requested_date", "received_date", "sent_date", "notice_date",
                                          "paid_date", "delivered_date", "asked_date", "decided_date")}
            action_forms[name] = form_class(initial=initial, prefix=name)
    open_consults = app.pauses.filter(ended__isnull=True).exclude(kind=Pause.Kind.FEE)
    return {
        "app": app, "today": today, "forms": action_forms, "calc": app.deadline_calc, "chosen": chosen,
        "choices": [(name, ACTION_TITLES[name]) for name in available],
        "pauses": app.pauses.all(), "open_consults": open_consults, "replies": app.replies.all(),
        "letters": app.letters.select_related("reply").order_by("pk"),
        "online": getattr(app, "online", None) if online.submissions_for(request.user).filter(
            application=app).exists() else None,
        "timeline": _timeline(app), "overdue": app.status in CLOCK_RUNNING and app.due_date and app.due_date < today,
    }


@login_required
def detail(request, pk):
    """The application: its deadline and how it was computed, pauses, replies, timeline, action forms."""
    app = _visible_application(request.user, pk)
    return render(request, "disclosure/detail.html", _detail_context(request, app))


@login_required
@require_POST
def act(request, pk, action):
    """Run one action from the detail page."""
    app = _visible_application(request.user, pk)
    if action not in ACTIONS:
        raise not_found("未知操作")
    form_class, call, done = ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    status = 400
    if form.is_valid():
        try:
            call(request.user, app, dict(form.cleaned_data))
        except NotAllowedForYou:
            raise
        except ShenfaError as exc:
            add_form_error(form, exc)
            messages.error(request, exc.message)
            status = exc.status
        else:
            messages.success(request, done)
            return redirect("disclosure:detail", pk=app.pk)
    app = Application.objects.select_related("agency", "registered_by").get(pk=app.pk)
    ctx = _detail_context(request, app, bound=(action, form))
    ctx["forms"].setdefault(action, form)
    return render(request, "disclosure/detail.html", ctx, status=status)


@login_required
def overdue(request):
    """The office's list: replies overdue, and replies due within the reminder window."""
    today = timezone.localdate()
    return render(request, "disclosure/overdue.html", {
        "overdue": actions.overdue_for(request.user, today), "due_soon": actions.due_soon_for(request.user, today),
        "today": today,
    })


# --- online applications: the handler's side ----------------------------------------------------------------

def _submission(user, pk):
    found = online.submissions_for(user).select_related("agency", "application").filter(pk=pk).first()
    if found is None:
        raise not_found()
    return found


@login_required
def online_detail(request, pk):
    """An online application: the Art. 29 data, the identity document, and "confirm receipt" (条例第三十一条)."""
    submission = _submission(request.user, pk)
    form = forms.ConfirmReceiptForm(request.POST or None, initial={"received_date": timezone.localdate()})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                app = online.confirm_receipt(actor=request.user, online=submission,
                                             received_date=form.cleaned_data["received_date"])
            except NotAllowedForYou:
                raise
            except ShenfaError as exc:
                add_form_error(form, exc)
                status = exc.status
            else:
                messages.success(request, f"已确认收到并登记：{app.number}，答复截止日 {app.due_date:%Y年%m月%d日}")
                return redirect("disclosure:detail", pk=app.pk)
    return render(request, "disclosure/online_detail.html", {"online": submission, "form": form}, status=status)


@login_required
def online_id_document(request, pk):
    """The identity document, to the agency's request handlers only (never in an export)."""
    submission = _submission(request.user, pk)
    response = FileResponse(submission.id_document.open("rb"), as_attachment=True,
                            filename=submission.id_document_name or "id-document")
    response["Cache-Control"] = "no-store"
    return response


@login_required
def letter_file(request, pk, fmt):
    """A letter's PDF or DOCX, to those who may read the application."""
    letter = Letter.objects.filter(pk=pk, application__in=permissions.visible_applications(request.user)).first()
    if letter is None or fmt not in ("pdf", "docx"):
        raise not_found()
    field = letter.pdf if fmt == "pdf" else letter.docx
    if not field:
        raise not_found("文书正在生成，请稍后刷新")
    return FileResponse(field.open("rb"), as_attachment=True,
                        filename=f"{letter.doc_number or letter.title}.{fmt}".replace("/", "_"))


@login_required
def letter_preview(request, pk):
    """A letter as HTML (a draft before sign-off has no 文号 yet)."""
    letter = Letter.objects.filter(pk=pk, application__in=permissions.visible_applications(request.user)).first()
    if letter is None:
        raise not_found()
    return HttpResponse(letters.render_html(letter))


# --- letter templates ----------------------------------------------------------------------------------------

@login_required
def template_list(request):
    """The office's letter templates: each outcome of table 三 and each notice, its own wording or the default."""
    agencies = list(template_agencies(request.user))
    if not agencies:
        raise NotAllowedForYou("只有政务公开办负责人或管理员可以编辑文书模板", en="Office role required")
    agency = next((a for a in agencies if str(a.pk) == request.GET.get("agency")), agencies[0])
    own = {t.key: t for t in LetterTemplate.objects.filter(agency=agency)}
    rows = [{"key": key, "title": (own[key].title if key in own else d[1]), "own": key in own,
             "label": _template_label(key)} for key, d in DEFAULTS.items()]
    return render(request, "disclosure/templates.html", {"agencies": agencies, "agency": agency, "rows": rows})


def _template_label(key):
    if key == letters.REMEDIES:
        return "救济途径（附于答复书）"
    if key in Outcome.values:
        return "答复书：" + Outcome(key).label
    return LetterKind(key).label


@login_required
def template_edit(request, agency_id, key):
    agencies = list(template_agencies(request.user))
    agency = next((a for a in agencies if a.pk == agency_id), None)
    if agency is None or key not in DEFAULTS:
        raise not_found()
    title, basis, body, prefix = letters.template_for(agency, key)
    form = forms.LetterTemplateForm(request.POST or None, initial={"title": title, "basis": basis, "body": body,
                                                                   "number_prefix": prefix})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                save_letter_template(actor=request.user, agency=agency, key=key, data=form.cleaned_data)
            except NotAllowedForYou:
                raise
            except ShenfaError as exc:
                add_form_error(form, exc)
                status = exc.status
            else:
                messages.success(request, "模板已保存")
                return redirect(f"{reverse('disclosure:templates')}?agency={agency.pk}")
    return render(request, "disclosure/template_edit.html", {
        "form": form, "agency": agency, "label": _template_label(key), "placeholders": PLACEHOLDERS}, status=status)


# --- ledger import ------------------------------------------------------------------------------------------

@login_required
def import_page(request):
    """Download the templates; upload a filled ledger (all or nothing, every bad row listed)."""
    agencies = list(permissions.handler_agencies(request.user) | template_agencies(request.user))
    if not agencies:
        raise NotAllowedForYou("只有依申请公开经办人或政务公开办管理员可以导入台账", en="Role required")
    form = forms.ImportForm(request.POST or None, request.FILES or None, agencies=agencies)
    status, problems = 200, []
    if request.method == "POST":
        status = 400
        if form.is_valid():
            agency = next(a for a in agencies if str(a.pk) == form.cleaned_data["agency"])
            upload = form.cleaned_data["file"]
            limit = shenfa_setting("IMPORT_MAX_BYTES")
            call = import_applications if form.cleaned_data["kind"] == "applications" else import_appeals
            try:
                if upload.size > limit:
                    raise InvalidInput(f"文件超过 {limit // (1024 * 1024)} MB", en="File too large", field="file")
                batch = call(actor=request.user, agency=agency, content=upload.read(), file_name=upload.name)
            except NotAllowedForYou:
                raise
            except ShenfaError as exc:
                form.add_error("file" if exc.field == "file" else None, exc.message.split("：", 1)[0])
                problems = exc.errors.get("rows", [])
                status = exc.status
            else:
                messages.success(request, f"已导入 {batch.rows} 行（文件 SHA-256 {batch.sha256}）")
                return redirect("disclosure:import")
    return render(request, "disclosure/import.html", {"form": form, "problems": problems}, status=status)


@login_required
def import_template(request, kind, fmt):
    """The empty template with the Chinese headers (XLSX or CSV)."""
    if kind not in ("applications", "appeals") or fmt not in ("xlsx", "csv"):
        raise not_found()
    body = template_xlsx(kind) if fmt == "xlsx" else template_csv(kind)
    ctype = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
             else "text/csv; charset=utf-8")
    name = {"applications": "依申请公开登记台账", "appeals": "复议诉讼案件台账"}[kind]
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{fmt}"
    return response
