"""Thin views: check permission, call the export / report / action function, render."""
import re
from functools import wraps
from urllib.parse import quote

from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from audit import exports
from audit import log as audit
from audit.permissions import export_agency_ids, export_denial, office_agencies, report_edit_denial
from core.errors import InvalidInput, deny
from core.models import Agency
from disclosure import appeals as appeal_actions
from disclosure.models import AppealCase, Application
from reports import actions as report_actions
from reports import figure_files, sheets
from reports.annual.figures import build_report, drill
from reports.annual.render import context as report_context
from reports.annual.render import render as render_report
from reports.models import AnnualReportText, ExternalFigure, ExternalFigureKind
from workflow import permissions as wp
from workflow.models import Information

from ..errors import not_found
from ..templatetags.shenfa import ACTION_LABELS

MAX_BATCH_SHEETS = 500
MAX_ID = 2 ** 31 - 1


def signed_in(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "/login/")
        return view(request, *args, **kwargs)
    return wrapper


REPORT_YEARS = range(2008, 2101)  # 条例 in force since 2008; the national report format since 2021


def _agency(user, code, year=None):
    """An agency whose records the user may read: 404 alike for an unknown code and another's agency."""
    agency = Agency.objects.filter(code=code).first()
    if agency is None or agency.pk not in export_agency_ids(user) or (year is not None and year not in REPORT_YEARS):
        raise not_found()
    return agency


def report_years(agency_ids) -> list[int]:
    """Years with data for the agencies (items published, applications received), newest first; at least
    last year so a new office still finds its first report."""
    today = timezone.localdate()
    years = {d.year for d in Information.objects.filter(agency_id__in=agency_ids, published_at__isnull=False)
             .dates("published_at", "year")}
    years |= {d.year for d in Application.objects.filter(agency_id__in=agency_ids).dates("received_date", "year")}
    years = {y for y in years if y in REPORT_YEARS and y <= today.year} or {max(today.year - 1, 2021)}
    return sorted(years, reverse=True)


def action_choices():
    """(code, Chinese label) of every audit action, for the 动作 filter; prefixes choose a whole group."""
    groups = [("workflow.review.*", "全部审核动作"), ("workflow.*", "全部审核流程动作"),
              ("publishing.*", "全部发布动作"), ("disclosure.*", "全部依申请公开动作")]
    return groups + sorted(ACTION_LABELS.items(), key=lambda kv: kv[0])


@signed_in
def index(request):
    allowed = export_agency_ids(request.user)
    agencies = Agency.objects.filter(pk__in=allowed).order_by("code")
    editable = set(a.pk for a in agencies if report_edit_denial(request.user, a) is None)
    years = report_years(allowed)
    wanted = request.GET.get("year", "")
    year = int(wanted) if wanted.isdigit() and int(wanted) in years else years[0]
    return render(request, "audit/index.html", {
        "agencies": agencies, "editable": editable, "year": year, "years": years, "may_export": bool(allowed),
        "denial": export_denial(request.user), "action_choices": action_choices(),
    })


def resolve_item_refs(refs, allowed) -> list[int]:
    """Items named the way staff know them, by 索引号 or 文号 (an item id still works for old links)."""
    found = []
    visible = Information.objects.filter(agency_id__in=allowed)
    for ref in refs:
        ref = ref.strip()
        if ref.isdigit() and len(ref) <= 10 and int(ref) <= MAX_ID:
            found.append(int(ref))
            continue
        pks = list(visible.filter(Q(index_number=ref) | Q(doc_number=ref)).values_list("pk", flat=True)[:50])
        if not pks:
            raise InvalidInput(f"找不到索引号或文号为“{ref[:60]}”的信息",
                               en="No item with this index or document number", field="ids")
        found.extend(pks)
    return found


# --- exports --------------------------------------------------------------------------------------

@signed_in
def export(request):
    """Stream the filtered review records as csv / xlsx / jsonl."""
    deny(export_denial(request.user))
    fmt = request.GET.get("format", "csv")
    params = request.GET.copy()
    ref = (params.get("item") or "").strip()
    if ref and not ref.isdigit():
        pks = resolve_item_refs([ref], export_agency_ids(request.user))
        params["item"] = str(pks[0])
    filters = exports.ExportFilter.from_mapping(params)
    qs, _count = exports.start_export(actor=request.user, filters=filters, fmt=fmt)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    name = f"audit-{filters.agency or 'all'}-{stamp}.{fmt}"
    if fmt == "xlsx":
        return FileResponse(exports.xlsx_tempfile(qs), as_attachment=True, filename=name,
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if fmt == "csv":
        response = StreamingHttpResponse(exports.iter_csv_bytes(qs), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(exports.iter_jsonl(qs), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- review sheets --------------------------------------------------------------------------------

def _audit_sheet_export(user, items, fmt):
    with transaction.atomic():
        audit.record(action="audit.export", actor=user, role="", agency=items[0].agency if len(items) == 1 else None,
                     item=items[0] if len(items) == 1 else None,
                     comment=f"打印审核单 {len(items)} 份",
                     data={"kind": "review_sheets", "format": fmt, "items": [i.pk for i in items],
                           "rows": len(items)})


@signed_in
def review_sheet(request, pk):
    """One item's printable review sheet (PDF; ?format=html for the screen)."""
    item = Information.objects.select_related("agency", "drafter").filter(pk=pk).first()
    if item is None or (item.agency_id not in export_agency_ids(request.user)
                        and not wp.visible_items(request.user).filter(pk=pk).exists()):
        raise not_found()
    fmt = request.GET.get("format", "pdf")
    if fmt == "html":
        return HttpResponse(sheets.sheet_html([item]))
    _audit_sheet_export(request.user, [item], "pdf")
    pdf = sheets.sheet_pdf([item])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="review-sheet-{item.pk}.pdf"'
    return response


@signed_in
def review_sheets(request):
    """Many sheets as one PDF or a ZIP of PDFs: ?ids=1,2,3 or ?agency=CODE&from=&to= (published in range)."""
    deny(export_denial(request.user))
    allowed = export_agency_ids(request.user)
    fmt = request.GET.get("format", "pdf")
    if fmt not in ("pdf", "zip"):
        raise InvalidInput("格式只能是 pdf 或 zip", field="format")
    qs = Information.objects.filter(agency_id__in=allowed).select_related("agency", "drafter").order_by("pk")
    ids = [p for p in re.split(r"[,，;；\s]+", request.GET.get("ids", "")) if p.strip()]
    if ids:
        if len(ids) > MAX_BATCH_SHEETS:
            raise InvalidInput(f"一次最多导出 {MAX_BATCH_SHEETS} 份审核单，请缩小范围", field="ids")
        qs = qs.filter(pk__in=resolve_item_refs(ids, allowed))
    else:
        filters = exports.ExportFilter.from_mapping(request.GET)
        if filters.agency:
            agency = _agency(request.user, filters.agency)
            qs = qs.filter(agency_id__in=agency.descendant_ids())
        records = exports.build_queryset(exports.ExportFilter(date_from=filters.date_from, date_to=filters.date_to),
                                         allowed)
        if filters.date_from or filters.date_to:
            qs = qs.filter(pk__in=records.filter(item__isnull=False).values("item_id"))
    items = list(qs[: MAX_BATCH_SHEETS + 1])
    if not items:
        raise InvalidInput("没有符合条件的信息", field="ids")
    if len(items) > MAX_BATCH_SHEETS:
        raise InvalidInput(f"一次最多导出 {MAX_BATCH_SHEETS} 份审核单，请缩小范围", field="ids")
    # Many sheets are rendered in the worker; the job's page shows the progress, then the file.
    job = report_actions.request_review_sheets(actor=request.user, items=items, fmt=fmt)
    return redirect("workflow:job", pk=job.pk)


# --- annual report ---------------------------------------------------------------------------------

def _download(rep, fmt):
    content, ctype, ext = render_report(rep, fmt)
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="annual-report-{rep.agency.code}-{rep.year}.{ext}"'
    return response


@signed_in
def report(request, code, year):
    """The report on screen (figures linked to their lists, checks), or downloaded as ?format=pdf|docx|json|html.

    A report failing a cross-check is shown first (409) with the applications behind it; ?force=1 downloads it
    with its warning box, and an office admin may issue it without the box by giving a reason (report_force)."""
    agency = _agency(request.user, code, year)
    rep = build_report(agency, year)
    fmt = request.GET.get("format", "")
    may_edit = report_edit_denial(request.user, agency) is None
    if fmt:
        if not rep.ok and fmt != "json" and not request.GET.get("force"):
            ctx = report_context(rep, links=True) | {"blocked": fmt, "may_edit": may_edit}
            return render(request, "audit/report.html", ctx, status=409)
        return _download(rep, fmt)
    ctx = report_context(rep, links=True)
    ctx["may_edit"] = may_edit
    return render(request, "audit/report.html", ctx)


@signed_in
def report_force(request, code, year):
    """Issue the document without its warning box: an office admin's decision, with a reason, audited."""
    agency = _agency(request.user, code, year)
    deny(report_edit_denial(request.user, agency))
    if request.method != "POST":
        return redirect("audit:report", code=code, year=year)
    rep = build_report(agency, year)
    fmt = request.POST.get("format", "pdf")
    try:
        rep = report_actions.force_report(actor=request.user, report=rep, fmt=fmt,
                                          reason=request.POST.get("reason", ""))
    except InvalidInput as exc:
        ctx = report_context(rep, links=True) | {"force_error": exc, "may_edit": True,
                                                 "blocked": fmt if fmt in report_actions.FORMATS else "pdf"}
        return render(request, "audit/report.html", ctx, status=400)
    return _download(rep, fmt)


@signed_in
def report_edit(request, code, year):
    agency = _agency(request.user, code, year)
    deny(report_edit_denial(request.user, agency))
    text = AnnualReportText.objects.filter(agency=agency, year=year).first()
    error = None
    if request.method == "POST":
        data = {f: request.POST[f] for f in report_actions.REPORT_TEXT_FIELDS if f in request.POST}
        try:
            report_actions.save_report_text(actor=request.user, agency=agency, year=year, data=data)
            return redirect("audit:report", code=code, year=year)
        except InvalidInput as exc:
            error = exc
            text = AnnualReportText(agency=agency, year=year, **data)
    rep = build_report(agency, year)
    return render(request, "audit/report_edit.html", {"agency": agency, "year": year, "text": text,
                                                      "error": error, "report": rep},
                  status=400 if error else 200)


@signed_in
def report_history(request, code, year):
    """Every saved version of the report's text sections, newest first."""
    agency = _agency(request.user, code, year)
    text = AnnualReportText.objects.filter(agency=agency, year=year).first()
    versions = list(text.versions.select_related("created_by")) if text else []
    return render(request, "audit/report_history.html", {"agency": agency, "year": year, "versions": versions})


# --- table 二 figures from other systems -------------------------------------------------------------------

@signed_in
def report_figures(request, code, year):
    """The table 二 figures of an agency for a year: shown to readers, entered by the office admin."""
    agency = _agency(request.user, code, year)
    may_edit = report_edit_denial(request.user, agency) is None
    error = None
    if request.method == "POST":
        deny(report_edit_denial(request.user, agency))
        figures = {k: {"value": request.POST.get(f"{k}-value", ""), "source": request.POST.get(f"{k}-source", ""),
                       "note": request.POST.get(f"{k}-note", "")} for k in ExternalFigureKind.values}
        try:
            report_actions.save_external_figures(actor=request.user, agency=agency, year=year, figures=figures)
            return redirect("audit:report_figures", code=code, year=year)
        except InvalidInput as exc:
            error = exc
    current = {f.kind: f for f in ExternalFigure.objects.filter(agency=agency, year=year).select_related(
        "updated_by")}
    rows = [{"kind": k, "label": label, "figure": current.get(k),
             "form": {f: request.POST.get(f"{k}-{f}", "") for f in ("value", "source", "note")} if error else None}
            for k, label in ExternalFigureKind.choices]
    scope = ExternalFigure.objects.filter(agency_id__in=agency.descendant_ids(), year=year).exclude(
        agency=agency).select_related("agency")
    return render(request, "audit/report_figures.html", {
        "agency": agency, "year": year, "rows": rows, "may_edit": may_edit, "error": error, "scope": scope,
    }, status=400 if error else 200)


@signed_in
def figures_template(request, fmt):
    """The empty import template (XLSX or CSV) with Chinese headers and an example."""
    content, ctype, name = figure_files.template(fmt)
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@signed_in
def figures_import(request):
    """Import a filled template: all rows or none, every bad row listed."""
    deny(None if office_agencies(request.user) else "只有政务公开办管理员可以导入表二数据")
    result, error = None, None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InvalidInput("请选择要导入的文件", field="file")
            if upload.size > figure_files.MAX_BYTES:
                raise InvalidInput("文件不能超过 5 MB", field="file")
            result = report_actions.import_external_figures(actor=request.user, file_name=upload.name or "",
                                                            data=upload.read())
        except InvalidInput as exc:
            error = exc
    return render(request, "audit/figures_import.html", {"result": result, "error": error},
                  status=400 if error else 200)


@signed_in
def report_drill(request, code, year, key):
    """The items, applications or cases behind one figure."""
    agency = _agency(request.user, code, year)
    column = request.GET.get("col", "")
    try:
        kind, qs = drill(agency, year, key, column)
    except KeyError:
        raise not_found("没有这个统计项") from None
    rows = list(qs.select_related("agency")[:1000]) if qs is not None else []
    return render(request, "audit/drill.html", {"agency": agency, "year": year, "key": key, "column": column,
                                                "kind": kind, "rows": rows, "available": qs is not None,
                                                "count": qs.count() if qs is not None else 0})


# --- appeal cases (table 四) ----------------------------------------------------------------------

def _case_data(post):
    return {f: post.get(f, "") for f in ("kind", "case_number", "applicant", "summary", "filed_date", "result",
                                         "closed_date", "application_id")}


@signed_in
def appeals(request, code):
    agency = _agency(request.user, code)
    may_edit = report_edit_denial(request.user, agency) is None
    error, form = None, {}
    if request.method == "POST":
        deny(report_edit_denial(request.user, agency))
        form = _case_data(request.POST)
        try:
            appeal_actions.create_appeal_case(actor=request.user, agency=agency, data=form)
            return redirect("audit:appeals", code=code)
        except InvalidInput as exc:
            error = exc
    cases = AppealCase.objects.filter(agency_id__in=agency.descendant_ids()).select_related("agency")
    return render(request, "audit/appeals.html", {
        "agency": agency, "cases": cases, "may_edit": may_edit, "error": error, "form": form,
        "kinds": AppealCase.Kind.choices, "results": AppealCase.Result.choices,
    }, status=400 if error else 200)


@signed_in
def appeal_edit(request, pk):
    case = AppealCase.objects.select_related("agency").filter(
        pk=pk, agency_id__in=export_agency_ids(request.user)).first()
    if case is None:
        raise not_found()
    deny(report_edit_denial(request.user, case.agency))
    error = None
    form = {f: ("" if getattr(case, f) is None else str(getattr(case, f))) for f in _case_data({})}
    if request.method == "POST":
        form = _case_data(request.POST)
        try:
            appeal_actions.update_appeal_case(actor=request.user, case=case, data=form)
            return redirect(reverse("audit:appeals", args=[case.agency.code]))
        except InvalidInput as exc:
            error = exc
    return render(request, "audit/appeal_edit.html", {
        "case": case, "form": form, "error": error, "kinds": AppealCase.Kind.choices,
        "results": AppealCase.Result.choices,
    }, status=400 if error else 200)
