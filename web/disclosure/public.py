"""/gk/apply/ and /gk/query/: the citizen's side of disclosure on request (no log-in).

Thin views: the form shapes input, disclosure.online checks and records it. The status query keeps the
application it found in the session (never the code), so the letter downloads need no code in a URL."""
from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core.context import client_ip
from core.errors import ShenfaError
from core.models import Agency
from disclosure import online
from disclosure.models import Letter, OnlineApplication

from ..errors import not_found
from . import forms

SESSION_KEY = "gk_query_online"


def _agencies():
    return list(Agency.objects.filter(is_active=True).order_by("code"))


@require_http_methods(["GET", "POST"])
def apply(request):
    """The online application form (在线申请), with the privacy notice; answers with number and query code."""
    agencies = _agencies()
    form = forms.OnlineApplicationForm(request.POST or None, request.FILES or None, agencies=agencies)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            chosen = data.pop("agency")
            agency = next((a for a in agencies if str(a.pk) == chosen), None)
            upload, consent = data.pop("id_document"), data.pop("privacy_consent")
            try:
                submitted, code = online.submit_online_application(
                    agency=agency, data=data, id_document=upload, ip=client_ip(request), privacy_consent=consent)
            except ShenfaError as exc:
                for field, message in (exc.errors or {exc.field: exc.message}).items():
                    form.add_error(field if field in form.fields else None, message)
                status = exc.status
            else:
                response = render(request, "public/apply_done.html", {"online": submitted, "code": code})
                response["Cache-Control"] = "no-store"  # the code is shown once and must not stay in caches
                return response
    return render(request, "public/apply.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def query(request):
    """Status by application number and query code; a wrong code and a missing number answer alike."""
    form = forms.QueryForm(request.POST or None)
    found, status, http = None, None, 200
    if request.method == "POST":
        http = 400
        if form.is_valid():
            try:
                found = online.find(form.cleaned_data["number"], form.cleaned_data["code"], ip=client_ip(request))
            except ShenfaError as exc:
                form.add_error(None, exc.message)
                http = exc.status
            else:
                if found is None:
                    form.add_error(None, "申请编号或查询码不正确")
                    request.session.pop(SESSION_KEY, None)
                    http = 404
                else:
                    request.session[SESSION_KEY] = found.pk
                    status, http = online.public_status(found), 200
    elif request.session.get(SESSION_KEY):
        found = OnlineApplication.objects.select_related("agency", "application").filter(
            pk=request.session[SESSION_KEY]).first()
        status = online.public_status(found) if found else None
    response = render(request, "public/query.html", {"form": form, "status": status}, status=http)
    response["Cache-Control"] = "no-store"
    return response


def letter_download(request, pk, fmt):
    """A letter of the application found by the last query in this session (PDF or DOCX)."""
    found = OnlineApplication.objects.filter(pk=request.session.get(SESSION_KEY) or 0).first()
    if found is None or found.application_id is None or fmt not in ("pdf", "docx"):
        raise not_found()
    letter = online.public_letters(found.application).filter(pk=pk).first()
    if letter is None:
        raise not_found()
    return _file(letter, fmt)


def _file(letter: Letter, fmt):
    field = letter.pdf if fmt == "pdf" else letter.docx
    if not field:
        raise not_found("文书正在生成，请稍后再试")
    name = f"{letter.doc_number or letter.title}.{fmt}".replace("/", "_")
    return FileResponse(field.open("rb"), as_attachment=True, filename=name)
