"""Business actions for disclosure on request (依申请公开). Views, commands and the scheduler call these.

Every action: keyword-only, actor passed in, atomic; locks the application row before it checks state;
writes exactly one audit record (disclosure.application.* / disclosure.reply.* / core.calendar.*)
in the same transaction, except recompute_deadlines/calendar changes (one record per changed
application, documented there); side effects (mail) only on commit.

The scheduler: `manage.py tick` calls run_due_work(now) once a minute; it is idempotent per day."""
import datetime
import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone
from viewflow.fsm import TransitionNotAllowed

from audit import log as audit
from core import jobs
from core.calendar import WorkCalendar, paused_dates
from core.conf import shenfa_setting
from core.errors import InvalidInput, NotAllowedForYou, NotAllowedInState
from core.models import Agency, CalendarDay, CalendarYear, Role
from privacy import mask_text

from . import fees, letters, notify, permissions
from .codes import ART35_REFUSED_OUTCOME, ApplicantType, LetterKind, Outcome
from .lifecycle import ApplicationLifecycle
from .models import (
    CLOCK_RUNNING,
    OPEN_STATUSES,
    Application,
    AppStatus,
    ExcessiveDecision,
    ExtensionStatus,
    FeeMethod,
    Letter,
    Pause,
    Reminder,
    Reply,
)

log = logging.getLogger(__name__)

REGISTER_FIELDS = (
    "applicant_type", "applicant_name", "applicant_id_number", "applicant_contact", "applicant_address",
    "channel", "received_date", "content", "purpose", "item_count", "delivery_form", "delivery_way",
)
LETTER_JOB = "disclosure.letter.render"
#: Outcomes the system sets itself when a period passes; a reply document never chooses them.
AUTOMATIC_OUTCOMES = (Outcome.OTHER_NO_SUPPLEMENT, Outcome.OTHER_FEE_UNPAID)


# --- helpers ------------------------------------------------------------------------------------

def _lock(application) -> Application:
    # Every action locks the application row first (then the audit chain head): one order, so two
    # people acting on the same application serialise and the second sees the first one's state.
    return Application.objects.select_for_update().select_related("agency").get(pk=application.pk)


def _deny(reason):
    if reason:
        raise NotAllowedForYou(reason, en="You are not allowed to do this")


def _transition(app, name):
    method = getattr(ApplicationLifecycle(app), name)
    try:
        method()
    except TransitionNotAllowed as exc:
        raise NotAllowedInState(f"申请当前状态为“{app.get_status_display()}”，不能执行此操作",
                                en=f"Not allowed in state {app.status}: {name}") from exc


def _today():
    return timezone.localdate()


def _date(value, field, label, *, required=True):
    if value in (None, ""):
        if required:
            raise InvalidInput(f"请填写{label}", en=f"{field} is required", field=field)
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(f"{label}格式不正确，应为 YYYY-MM-DD", en=f"Invalid date for {field}", field=field) from None


def _text(value, field, label, *, required=True):
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"请填写{label}", en=f"{field} is required", field=field)
    return value


def _check_not_future(day, field, label):
    if day > _today():
        raise InvalidInput(f"{label}不能晚于今天", en=f"{field} is in the future", field=field)


def _send_on_commit(subject, message, recipients):
    recipients = [r for r in recipients if r]
    if not recipients:
        return

    def send():
        try:
            send_mail(subject, message, None, recipients, fail_silently=False)
        except Exception:  # a mail server outage must not break the scheduler
            log.exception("could not send disclosure reminder")

    audit.on_commit(send)


# --- deadlines ----------------------------------------------------------------------------------

def explain_deadline(app, cal: WorkCalendar, pauses=None):
    """(due_date, provisional, explanation dict) of the reply period as the application stands."""
    supplement = cal.add_working_days(app.received_date, shenfa_setting("REQUEST_SUPPLEMENT_WORKING_DAYS"))
    info = {
        "supplement": {"start": app.received_date.isoformat(), "days": supplement.days,
                       "due": supplement.due.isoformat(), "provisional": supplement.provisional,
                       "skipped": [s for s in supplement.steps if s["n"] is None]},
    }
    if app.status == AppStatus.AWAITING_SUPPLEMENT:
        info["state"] = "awaiting_supplement"
        return None, False, supplement.due, info
    if pauses is None:
        pauses = list(app.pauses.all()) if app.pk else []
    total = app.reply_working_days + app.extension_days
    calc = cal.add_working_days(app.clock_start, total, paused=paused_dates(cal, pauses))
    info.update({
        "state": "running",
        "start": app.clock_start.isoformat(),
        "start_reason": "收到补正之日（条例第三十条）" if app.supplement_received_date else (
            "网上申请经本机关确认收到之日（条例第三十一条：网上提交以双方确认之日为收到申请之日）"
            if app.channel == "online" else "收到申请之日（条例第三十一条）"),
        "base_days": app.reply_working_days,
        "extension_days": app.extension_days,
        "total": total,
        "pauses": [
            {"kind": p.kind, "label": p.get_kind_display(), "party": p.party, "started": p.started.isoformat(),
             "limit_days": p.limit_days, "limit": p.limit_date.isoformat(),
             "ended": p.ended.isoformat() if p.ended else None, "effective_end": p.effective_end.isoformat()}
            for p in pauses
        ],
        "due": calc.due.isoformat(),
        "provisional": calc.provisional,
        "unknown_years": calc.unknown_years,
        "steps": calc.steps,
        "summary": {
            "weekend": sum(1 for s in calc.steps if s["kind"] == "weekend"),
            "holiday": sum(1 for s in calc.steps if s["kind"] == "holiday"),
            "makeup": sum(1 for s in calc.steps if s["kind"] == "makeup" and s["n"]),
            "paused": sum(1 for s in calc.steps if s["kind"] == "paused"),
        },
    })
    due = calc.due
    if app.excessive_later_date and app.excessive_later_date > due:
        # 条例第三十五条: reasons accepted but the work cannot be done in time: the office set a later date.
        due = app.excessive_later_date
        info["excessive_later"] = app.excessive_later_date.isoformat()
        info["due"] = due.isoformat()
    return due, calc.provisional, supplement.due, info


def _refresh(app, cal: WorkCalendar):
    """Recompute every derived date of an open application; return {field: (old, new)} of what changed."""
    changes = {}
    pauses = list(app.pauses.all()) if app.pk else []
    for p in pauses:
        limit = cal.add_working_days(p.started, p.limit_days).due
        if limit != p.limit_date:
            changes[f"pause{p.pk}.limit_date"] = (p.limit_date, limit)
            p.limit_date = limit
            if p.pk:
                p.save(update_fields=["limit_date"])
    if app.fee_notice_date:
        fee_pause = next((p for p in pauses if p.kind == Pause.Kind.FEE), None)
        if fee_pause is not None and fee_pause.limit_date != app.fee_due_date:
            changes["fee_due_date"] = (app.fee_due_date, fee_pause.limit_date)
            app.fee_due_date = fee_pause.limit_date
    due, provisional, supplement_due, info = explain_deadline(app, cal, pauses)
    for name, value in (("due_date", due), ("due_provisional", provisional), ("supplement_due_date", supplement_due)):
        if getattr(app, name) != value:
            changes[name] = (getattr(app, name), value)
            setattr(app, name, value)
    app.deadline_calc = info
    return changes


def save_with_deadline(app, cal=None):
    """Recompute the derived dates (due date, its explanation) and save the application."""
    _refresh(app, cal or WorkCalendar.load())
    app.save()


_save = save_with_deadline


def next_number(agency, year):
    # The agency row lock serialises numbering of that agency's applications.
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    prefix = f"{agency.code}/YSQ{year}-"
    last = (Application.objects.filter(agency=agency, number__startswith=prefix)
            .aggregate(m=Max("number"))["m"])
    serial = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{serial:05d}"


# --- letters ------------------------------------------------------------------------------------

def _render_later(letter_ids, actor, agency):
    """Render PDF and DOCX in the worker once the action commits (immediately under the test backend)."""
    jobs.enqueue(kind=LETTER_JOB, actor=actor, agency=agency, params={"letters": list(letter_ids)},
                 subject="答复书/告知书")


def _issue_notice(app, key, *, actor, day, **values) -> Letter:
    """Write, number and queue for rendering a notice (告知书) sent by the action that calls this."""
    text = letters.compose(app, key, **values)
    letter = Letter.objects.create(application=app, kind=letters.kind_of(key), key=key, **text)
    letters.allocate_number(letter, day)
    _render_later([letter.pk], actor, app.agency)
    return letter


# --- registration -------------------------------------------------------------------------------

@transaction.atomic
def register_application(*, actor, agency, data: dict) -> Application:
    """Register an application (有申请必登记); the reply period starts from its receipt date."""
    _deny(permissions.handle_denial(actor, agency))
    unknown = set(data) - set(REGISTER_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise InvalidInput(f"不能填写字段“{field}”", en=f"Unknown field {field}", field=field)
    received = _date(data.get("received_date"), "received_date", "收到申请日期")
    _check_not_future(received, "received_date", "收到申请日期")
    app = Application(agency=agency, registered_by=actor, received_date=received, clock_start=received,
                      reply_working_days=shenfa_setting("REQUEST_REPLY_WORKING_DAYS"))
    for name in REGISTER_FIELDS:
        if name in ("received_date",) or name not in data:
            continue
        value = data[name]
        setattr(app, name, value.strip() if isinstance(value, str) else value)
    if app.applicant_type not in ApplicantType.values:
        raise InvalidInput("请选择申请人类型", en="Invalid applicant type", field="applicant_type")
    app.number = next_number(agency, received.year)
    try:
        app.full_clean(exclude=["registered_by", "agency", "status", "number"], validate_unique=False)
    except ValidationError as exc:
        errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        field = next(iter(errors))
        label = Application._meta.get_field(field).verbose_name if field != "__all__" else ""
        raise InvalidInput(f"{label}：{errors[field][0]}" if label else errors[field][0],
                           en=f"Invalid value for {field}", field=field, errors=errors) from exc
    if app.item_count < 1:
        raise InvalidInput("件数至少为1", en="item_count must be at least 1", field="item_count")
    _save(app)
    audit.record(action="disclosure.application.register", actor=actor, role=Role.REQUEST_HANDLER, agency=agency,
                 subject=app, to_state=app.status,
                 data={"number": app.number, "received_date": received.isoformat(),
                       "due_date": app.due_date.isoformat(), "provisional": app.due_provisional,
                       "reply_working_days": app.reply_working_days})
    return app


# --- 补正 (条例第三十条) ----------------------------------------------------------------------

@transaction.atomic
def request_supplement(*, actor, application, requested_date, items: str, applicant_due) -> Application:
    """Ask the applicant, once and within 7 working days of receipt, to supplement the application."""
    app = _lock(application)
    _deny(permissions.handle_denial(actor, app.agency))
    if app.supplement_requested_date:
        raise NotAllowedInState("补正只能一次性告知，本申请已告知过补正（条例第三十条）",
                                en="Supplement already requested once")
    if app.status != AppStatus.PROCESSING:
        _transition(app, "request_supplement")
    if app.pauses.filter(ended__isnull=True).exists():
        raise NotAllowedInState("正在征求意见或等待缴费，不能告知补正", en="Open pause")
    requested = _date(requested_date, "requested_date", "补正通知日期")
    due = _date(applicant_due, "applicant_due", "补正期限")
    items = _text(items, "items", "需要补正的事项")
    _check_not_future(requested, "requested_date", "补正通知日期")
    if requested < app.received_date:
        raise InvalidInput("补正通知日期不能早于收到申请日期", en="Before receipt", field="requested_date")
    if requested > app.supplement_due_date:
        raise InvalidInput(f"补正应在收到申请之日起7个工作日内一次性告知（截止{app.supplement_due_date:%Y年%m月%d日}）",
                           en="Past the 7-working-day limit for supplement requests", field="requested_date")
    if due <= requested:
        raise InvalidInput("补正期限应晚于补正通知日期", en="Applicant due date must be after the notice",
                           field="applicant_due")
    old = app.status
    _transition(app, "request_supplement")
    app.supplement_requested_date, app.supplement_request, app.supplement_applicant_due = requested, items, due
    _save(app)
    letter = _issue_notice(app, LetterKind.SUPPLEMENT, actor=actor, day=requested, 补正事项=items, 补正期限=due)
    audit.record(action="disclosure.application.request_supplement", actor=actor, role=Role.REQUEST_HANDLER,
                 agency=app.agency, subject=app, from_state=old, to_state=app.status, comment=items,
                 data={"requested_date": requested.isoformat(), "applicant_due": due.isoformat(),
                       "letter": letter.doc_number})
    return app


@transaction.atomic
def receive_supplement(*, actor, application, received_date, text: str = "", late_reason: str = "") -> Application:
    """Record the supplement; the reply period restarts from the day it was received."""
    app = _lock(application)
    _deny(permissions.handle_denial(actor, app.agency))
    _require_state(app, AppStatus.AWAITING_SUPPLEMENT, "receive_supplement")
    received = _date(received_date, "received_date", "收到补正日期")
    _check_not_future(received, "received_date", "收到补正日期")
    if received < app.supplement_requested_date:
        raise InvalidInput("收到补正日期不能早于补正通知日期", en="Before the request", field="received_date")
    late_reason = (late_reason or "").strip()
    if received > app.supplement_applicant_due and not late_reason:
        raise InvalidInput("已超过补正期限；逾期补正须说明正当理由，否则视为放弃申请（条例第三十条）",
                           en="Late supplement needs a good reason", field="late_reason")
    old_due = app.due_date
    _transition(app, "receive_supplement")
    app.supplement_received_date, app.supplement_text = received, (text or "").strip()
    app.clock_start = received
    _save(app)
    audit.record(action="disclosure.application.receive_supplement", actor=actor, role=Role.REQUEST_HANDLER,
                 agency=app.agency, subject=app, from_state=AppStatus.AWAITING_SUPPLEMENT, to_state=app.status,
                 comment=late_reason,
                 data={"received_date": received.isoformat(), "old_due": old_due.isoformat() if old_due else None,
                       "due_date": app.due_date.isoformat()})
    return app


def _close_lapsed(*, actor, application, on_date, state, name, due_field, period, en, outcome, on_close=None):
    """Close an application whose applicant let a period lapse (outcome 六1 / 六2); actor None = the scheduler."""
    app = _lock(application)
    if actor is not None:
        _deny(permissions.handle_denial(actor, app.agency))
    _require_state(app, state, name)
    day = on_date or _today()
    due = getattr(app, due_field)
    if day <= due:
        raise NotAllowedInState(f"{period}（{due:%Y年%m月%d日}）尚未届满", en=en)
    if on_close is not None:
        on_close(app)
    _transition(app, name)
    app.outcome, app.replied_date = outcome, day
    app.save()
    audit.record(action=f"disclosure.application.{name}", actor=actor,
                 role=Role.REQUEST_HANDLER if actor else "", agency=app.agency, subject=app,
                 from_state=state, to_state=app.status,
                 data={"outcome": app.outcome, "replied_date": day.isoformat(),
                       ("applicant_due" if due_field == "supplement_applicant_due" else due_field): due.isoformat()})
    return app


@transaction.atomic
def close_no_supplement(*, actor, application, on_date=None) -> Application:
    """Close an application whose supplement did not arrive in time (outcome 六1); actor None = system."""
    return _close_lapsed(actor=actor, application=application, on_date=on_date,
                         state=AppStatus.AWAITING_SUPPLEMENT, name="close_no_supplement",
                         due_field="supplement_applicant_due", period="补正期限", en="Supplement period not over",
                         outcome=Outcome.OTHER_NO_SUPPLEMENT)


def _require_state(app, state, name):
    if app.status != state:
        _transition(app, name)  # raises the state error with the fsm's refusal


# --- consultation (条例第三十二条、第三十四条) -----------------------------------------------------

@transaction.atomic
def start_consultation(*, actor, application, kind: str, party: str, sent_date, note: str = "") -> Pause:
    """Consult a third party or another agency; that time (15 working days at most) does not count."""
    app = _lock(application)
    _deny(permissions.handle_denial(actor, app.agency))
    if app.status != AppStatus.PROCESSING:
        raise NotAllowedInState(f"申请当前状态为“{app.get_status_display()}”，不能征求意见", en="Not processing")
    if kind not in (Pause.Kind.THIRD_PARTY, Pause.Kind.OTHER_AGENCY):
        raise InvalidInput("请选择征求意见类型（第三方或其他机关）", en="Invalid consultation kind", field="kind")
    party = _text(party, "party", "征求意见对象")
    sent = _date(sent_date, "sent_date", "征求意见日期")
    _check_not_future(sent, "sent_date", "征求意见日期")
    if sent < app.clock_start:
        raise InvalidInput("征求意见日期不能早于答复期限起算日", en="Before the clock start", field="sent_date")
    if sent > app.due_date:
        raise InvalidInput("答复期限已届满，不能再征求意见", en="Reply period already over", field="sent_date")
    days = shenfa_setting("REQUEST_CONSULTATION_WORKING_DAYS")
    cal = WorkCalendar.load()
    pause = Pause.objects.create(application=app, kind=kind, party=party, started=sent, limit_days=days,
                                 limit_date=cal.add_working_days(sent, days).due, note=(note or "").strip(),
                                 created_by=actor)
    old_due = app.due_date
    _save(app, cal)
    letter = None
    if kind == Pause.Kind.THIRD_PARTY:  # the applicant is told the consultation time does not count
        letter = _issue_notice(app, LetterKind.CONSULTATION, actor=actor, day=sent, 征求对象=party)
    audit.record(action="disclosure.application.consult_start", actor=actor, role=Role.REQUEST_HANDLER,
                 agency=app.agency, subject=app, comment=party,
                 data={"pause": pause.pk, "kind": kind, "sent_date": sent.isoformat(),
                       "letter": letter.doc_number if letter else "",
                       "limit_date": pause.limit_date.isoformat(), "old_due": old_due.isoformat(),
                       "due_date": app.due_date.isoformat()})
    return pause


@transaction.atomic
def end_consultation(*, actor, pause, received_date, opinion: str = "") -> Pause:
    """Record the consultee's answer (or its absence); the clock runs again from the next working day."""
    app = _lock(pause.application)
    _deny(permissions.handle_denial(actor, app.agency))
    pause = Pause.objects.select_for_update().get(pk=pause.pk)
    if pause.kind == Pause.Kind.FEE:
        raise InvalidInput("缴费中止请通过“登记缴费”结束", en="Use record_fee_payment", field="pause")
    if pause.ended is not None:
        raise NotAllowedInState("该征求意见已结束", en="Consultation already ended")
    received = _date(received_date, "received_date", "收到意见日期")
    _check_not_future(received, "received_date", "收到意见日期")
    if received < pause.started:
        raise InvalidInput("收到意见日期不能早于征求意见日期", en="Before the start", field="received_date")
    pause.ended, pause.opinion = received, (opinion or "").strip()
    pause.save(update_fields=["ended", "opinion"])
    old_due = app.due_date
    _save(app)
    audit.record(action="disclosure.application.consult_end", actor=actor, role=Role.REQUEST_HANDLER,
                 agency=app.agency, subject=app, comment=pause.opinion,
                 data={"pause": pause.pk, "received_date": received.isoformat(),
                       "counted_until": pause.effective_end.isoformat(),
                       "old_due": old_due.isoformat() if old_due else None,
                       "due_date": app.due_date.isoformat() if app.due_date else None})
    return pause


# --- 条例第三十五条: excessive number or frequency -----------------------------------------------

@transaction.atomic
def mark_excessive(*, actor, application, reason: str, asked_date, explanation_due) -> Application:
    """Art. 35: record why the applications clearly exceed a reasonable range and ask the applicant for reasons."""
    app = _lock(application)
    _deny(permissions.handle_denial(actor, app.agency))
    if app.excessive_decision:
        raise NotAllowedInState("本申请已按条例第三十五条处理过", en="Article 35 already applied")
    _require_state(app, AppStatus.PROCESSING, "ask_explanation")
    if app.pauses.filter(ended__isnull=True).exists():
        raise NotAllowedInState("正在征求意见或等待缴费，不能要求说明理由", en="Open pause")
    reason = _text(reason, "reason", "认定理由")
    asked = _date(asked_date, "asked_date", "要求说明理由日期")
    due = _date(explanation_due, "explanation_due", "说明理由期限")
    _check_not_future(asked, "asked_date", "要求说明理由日期")
    if asked < app.clock_start:
        raise InvalidInput("要求说明理由日期不能早于答复期限起算日", en="Before the clock start", field="asked_date")
    if asked > app.due_date:
        raise InvalidInput("答复期限已届满，不能再要求说明理由", en="Reply period already over", field="asked_date")
    if due <= asked:
        raise InvalidInput("说明理由期限应晚于要求说明理由日期", en="Due date must be after the request",
                           field="explanation_due")
    cal = WorkCalendar.load()
    days = max(cal.working_days_between(asked, due), 1)
    # The applicant's time to explain does not count toward the reply period (like a supplement or a fee).
    Pause.objects.create(application=app, kind=Pause.Kind.EXPLANATION, party=app.applicant_name, started=asked,
                         limit_days=days, limit_date=due, note=reason, created_by=actor)
    _transition(app, "ask_explanation")
    app.excessive_reason, app.excessive_marked_date = reason, asked
    app.excessive_decision = ExcessiveDecision.ASKED
    _save(app, cal)
    letter = _issue_notice(app, LetterKind.EXCESSIVE_ASK, actor=actor, day=asked, 说明期限=due)
    audit.record(action="disclosure.application.excessive_ask", actor=actor, role=Role.REQUEST_HANDLER,
                 agency=app.agency, subject=app, from_state=AppStatus.PROCESSING, to_state=app.status, comment=reason,
                 data={"asked_date": asked.isoformat(), "explanation_due": due.isoformat(),
                       "letter": letter.doc_number})
    return app


@transaction.atomic
def decide_excessive(*, actor, application, reasonable: bool, decided_date, explanation: str = "",
                     later_date=None) -> Application:
    """Art. 35: reasons unreasonable (or none given in time) -> not processed; reasonable -> a later date."""
    app = _lock(application)
    _deny(permissions.handle_denial(actor, app.agency))
    _require_state(app, AppStatus.AWAITING_EXPLANATION, "decide_excessive")
    day = _date(decided_date, "decided_date", "处理日期")
    _check_not_future(day, "decided_date", "处理日期")
    pause = app.pauses.filter(kind=Pause.Kind.EXPLANATION, ended__isnull=True).first()
    if day < app.excessive_marked_date:
        raise InvalidInput("处理日期不能早于要求说明理由日期", en="Before the request", field="decided_date")
    explanation = (explanation or "").strip()
    if not explanation and pause is not None and day <= pause.limit_date:
        raise InvalidInput("申请人尚未说明理由且说明期限未届满", en="Explanation period not over", field="explanation")
    if reasonable and not explanation:
        raise InvalidInput("认定理由合理须登记申请人说明的理由", en="Explanation required", field="explanation")
    later = None
    if reasonable:
        later = _date(later_date, "later_date", "确定的延迟答复期限")
        if later <= day:
            raise InvalidInput("延迟答复期限应晚于处理日期", en="Later date must be after the decision",
                               field="later_date")
    if pause is not None:
        pause.ended = day
        pause.save(update_fields=["ended"])
    _transition(app, "decide_excessive")
    app.excessive_explanation, app.excessive_explained_date = explanation, day if explanation else None
    app.excessive_decision = ExcessiveDecision.LATER if reasonable else ExcessiveDecision.REFUSED
    app.excessive_later_date = later
    _save(app)
    letter = None
    if reasonable:
        letter = _issue_notice(app, LetterKind.EXCESSIVE_LATER, actor=actor, day=day, 新期限=app.due_date)
    audit.record(action="disclosure.application.excessive_decide", actor=actor, role=Role.REQUEST_HANDLER,
                 agency=app.agency, subject=app, from_state=AppStatus.AWAITING_EXPLANATION, to_state=app.status,
                 comment=explanation,
                 data={"decision": app.excessive_decision, "decided_date": day.isoformat(),
                       "later_date": later.isoformat() if later else None,
                       "due_date": app.due_date.isoformat() if app.due_date else None,
                       "letter": letter.doc_number if letter else ""})
    return app


# --- extension (条例第三十三条第二款) -----------------------------------------------------------

@transaction.atomic
def request_extension(*, actor, application, days: int, reason: str) -> Application:
    """Ask the head of the disclosure office for the one extension (at most 20 working days)."""
    app = _lock(application)
    _deny(permissions.handle_denial(actor, app.agency))
    if app.status not in CLOCK_RUNNING:
        raise NotAllowedInState(f"申请当前状态为“{app.get_status_display()}”，不能申请延期", en="Clock not running")
    if app.extension_status in (ExtensionStatus.REQUESTED, ExtensionStatus.APPROVED):
        raise NotAllowedInState("延期只能一次，本申请已申请或已批准延期", en="Extension already requested")
    limit = shenfa_setting("REQUEST_EXTENSION_WORKING_DAYS")
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise InvalidInput("请填写延长的工作日数", en="days must be a number", field="days") from None
    if not 1 <= days <= limit:
        raise InvalidInput(f"延长期限为1至{limit}个工作日", en=f"days must be 1..{limit}", field="days")
    reason = _text(reason, "reason", "延期理由")
    if _today() > app.due_date:
        raise NotAllowedInState("答复期限已届满，不能再申请延期", en="Reply period already over")
    app.extension_status, app.extension_days_requested = ExtensionStatus.REQUESTED, days
    app.extension_reason, app.extension_requested_by = reason, actor
    app.save()
    audit.record(action="disclosure.application.request_extension", actor=actor, role=Role.REQUEST_HANDLER,
                 agency=app.agency, subject=app, comment=reason, data={"days": days})
    return app


@transaction.atomic
def decide_extension(*, actor, application, approve: bool, comment: str = "") -> Application:
    """Approve or refuse the requested extension (head of the disclosure office)."""
    app = _lock(application)
    _deny(permissions.head_denial(actor, app))
    if app.extension_status != ExtensionStatus.REQUESTED:
        raise NotAllowedInState("没有待批准的延期申请", en="No extension request pending")
    if app.status not in CLOCK_RUNNING:
        raise NotAllowedInState(f"申请当前状态为“{app.get_status_display()}”，不能批准延期", en="Clock not running")
    old_due = app.due_date
    if approve:
        if _today() > app.due_date:
            raise NotAllowedInState("原答复期限已届满，不能再批准延期", en="Reply period already over")
        app.extension_status, app.extension_days = ExtensionStatus.APPROVED, app.extension_days_requested
    else:
        if not (comment or "").strip():
            raise InvalidInput("不批准延期须说明理由", en="A reason is required", field="comment")
        app.extension_status = ExtensionStatus.REJECTED
    app.extension_decided_by, app.extension_decided_date = actor, _today()
    _save(app)
    letter = None
    if approve:  # 条例第三十三条第二款: the applicant is told of the extension
        letter = _issue_notice(app, LetterKind.EXTENSION, actor=actor, day=_today(), 延长天数=app.extension_days,
                               延期理由=app.extension_reason, 新期限=app.due_date)
    audit.record(action="disclosure.application." + ("approve_extension" if approve else "reject_extension"),
                 actor=actor, role=Role.OFFICE_HEAD, agency=app.agency, subject=app, comment=(comment or "").strip(),
                 data={"days": app.extension_days_requested, "old_due": old_due.isoformat(),
                       "due_date": app.due_date.isoformat(), "letter": letter.doc_number if letter else ""})
    return app


# --- 信息处理费 ---------------------------------------------------------------------------------

def month_prior_items(app) -> int:
    """Items the same applicant asked this agency for earlier in the same calendar month."""
    same = Q(applicant_id_number=app.applicant_id_number) if app.applicant_id_number else Q(
        applicant_id_number="", applicant_name=app.applicant_name)
    first = app.received_date.replace(day=1)
    earlier = Q(received_date__lt=app.received_date) | Q(received_date=app.received_date, pk__lt=app.pk)
    return (Application.objects.filter(same, agency_id=app.agency_id, received_date__gte=first)
            .filter(earlier).exclude(pk=app.pk).aggregate(n=Sum("item_count"))["n"] or 0)


def quote_fee(app, method: str, pages: int | None = None):
    """(amount, explanation) of the processing fee by `method` for this application."""
    if method == FeeMethod.PER_ITEM:
        prior = month_prior_items(app)
        amount, bands = fees.per_item_fee(prior, app.item_count)
        return amount, {"method": method, "prior_items": prior, "units": app.item_count, "bands": bands,
                        "month": app.received_date.strftime("%Y-%m")}
    if method == FeeMethod.PER_VOLUME:
        amount, bands = fees.per_volume_fee(pages)
        return amount, {"method": method, "units": pages, "bands": bands}
    raise InvalidInput("请选择收费方式（按件或按量，只能选一种）", en="Invalid fee method", field="method")


@transaction.atomic
def issue_fee_notice(*, actor, application, method: str, notice_date, pages: int | None = None) -> Application:
    """Send the processing-fee notice; the time until payment does not count toward the reply period."""
    app = _lock(application)
    _deny(permissions.handle_denial(actor, app.agency))
    if app.status != AppStatus.PROCESSING:
        _transition(app, "issue_fee_notice")
    if app.fee_notice_date:
        raise NotAllowedInState("本申请已发出过收费通知", en="Fee notice already issued")
    if method == FeeMethod.PER_VOLUME:
        try:
            pages = int(pages)
        except (TypeError, ValueError):
            raise InvalidInput("按量计收须填写页数", en="pages required", field="pages") from None
        if pages < 1:
            raise InvalidInput("页数至少为1", en="pages must be positive", field="pages")
    notice = _date(notice_date, "notice_date", "收费通知日期")
    _check_not_future(notice, "notice_date", "收费通知日期")
    if notice < app.clock_start:
        raise InvalidInput("收费通知日期不能早于答复期限起算日", en="Before the clock start", field="notice_date")
    amount, calc = quote_fee(app, method, pages)
    if amount <= 0:
        raise InvalidInput("按规定本申请不收取信息处理费，无需发出收费通知", en="Nothing to charge", field="method")
    days = shenfa_setting("FEE_PAYMENT_WORKING_DAYS")
    cal = WorkCalendar.load()
    limit = cal.add_working_days(notice, days).due
    Pause.objects.create(application=app, kind=Pause.Kind.FEE, party=app.applicant_name, started=notice,
                         limit_days=days, limit_date=limit, created_by=actor)
    _transition(app, "issue_fee_notice")
    app.fee_method, app.fee_units, app.fee_amount, app.fee_calc = method, calc["units"], amount, calc
    app.fee_prior_items = calc.get("prior_items", 0)
    app.fee_notice_date, app.fee_due_date = notice, limit
    _save(app, cal)
    letter = _issue_notice(app, LetterKind.FEE, actor=actor, day=notice, 收费金额=amount,
                           收费方式=FeeMethod(method).label, 缴费期限=limit)
    audit.record(action="disclosure.application.fee_notice", actor=actor, role=Role.REQUEST_HANDLER,
                 agency=app.agency, subject=app, from_state=AppStatus.PROCESSING, to_state=app.status,
                 data={"method": method, "units": calc["units"], "amount": str(amount), "letter": letter.doc_number,
                       "notice_date": notice.isoformat(), "fee_due_date": limit.isoformat()})
    return app


@transaction.atomic
def record_fee_payment(*, actor, application, paid_date) -> Application:
    """Record that the applicant paid in time; the reply clock runs again."""
    app = _lock(application)
    _deny(permissions.handle_denial(actor, app.agency))
    _require_state(app, AppStatus.AWAITING_FEE, "record_fee_payment")
    paid = _date(paid_date, "paid_date", "缴费日期")
    _check_not_future(paid, "paid_date", "缴费日期")
    if paid < app.fee_notice_date:
        raise InvalidInput("缴费日期不能早于收费通知日期", en="Before the notice", field="paid_date")
    if paid > app.fee_due_date:
        raise InvalidInput(f"已超过缴费期限（{app.fee_due_date:%Y年%m月%d日}）", en="Paid too late", field="paid_date")
    app.pauses.filter(kind=Pause.Kind.FEE, ended__isnull=True).update(ended=paid)
    _transition(app, "record_fee_payment")
    app.fee_paid_date = paid
    _save(app)
    audit.record(action="disclosure.application.fee_paid", actor=actor, role=Role.REQUEST_HANDLER,
                 agency=app.agency, subject=app, from_state=AppStatus.AWAITING_FEE, to_state=app.status,
                 data={"paid_date": paid.isoformat(), "amount": str(app.fee_amount),
                       "due_date": app.due_date.isoformat()})
    return app


@transaction.atomic
def close_fee_unpaid(*, actor, application, on_date=None) -> Application:
    """Close an application whose fee was not paid in time (outcome 六2); actor None = system."""
    def end_fee_pause(app):
        app.pauses.filter(kind=Pause.Kind.FEE, ended__isnull=True).update(ended=app.fee_due_date)

    return _close_lapsed(actor=actor, application=application, on_date=on_date, state=AppStatus.AWAITING_FEE,
                         name="close_fee_unpaid", due_field="fee_due_date", period="缴费期限",
                         en="Fee period not over", outcome=Outcome.OTHER_FEE_UNPAID, on_close=end_fee_pause)


# --- reply: draft, legal review, sign-off, delivery --------------------------------------------

@transaction.atomic
def draft_reply(*, actor, application, outcome: str, body: str = "", disclosed_text: str = "", withheld: str = "",
                responsible_agency: str = "") -> Reply:
    """Draft the reply letter of one outcome (from the office's template unless a body is given) for legal review."""
    app = _lock(application)
    _deny(permissions.handle_denial(actor, app.agency))
    _require_state(app, AppStatus.PROCESSING, "draft_reply")
    if outcome not in Outcome.values:
        raise InvalidInput("请选择办理结果", en="Invalid outcome", field="outcome")
    if outcome in AUTOMATIC_OUTCOMES:
        raise InvalidInput("逾期未补正、逾期未缴费由系统在期限届满后自动办结，不能作为答复结果",
                           en="Automatic outcome", field="outcome")
    if outcome == Outcome.UNABLE_UNCLEAR and not app.supplement_received_date:
        raise InvalidInput("“补正后申请内容仍不明确”只适用于已告知补正并收到补正的申请",
                           en="No supplement was received", field="outcome")
    if outcome == ART35_REFUSED_OUTCOME and app.excessive_decision != ExcessiveDecision.REFUSED:
        raise InvalidInput("“无正当理由大量反复申请”须先按条例第三十五条要求申请人说明理由，并认定理由不合理",
                           en="Article 35 procedure not completed", field="outcome")
    withheld = (withheld or "").strip()
    disclosed_text = (disclosed_text or "").strip()
    masked, count = "", 0
    if outcome == Outcome.PARTIAL:
        if not disclosed_text:
            raise InvalidInput("部分公开须填写提供的信息内容（系统将遮盖个人信息等不应公开的部分）",
                               en="Partial disclosure needs the disclosed text", field="disclosed_text")
        if not withheld:
            raise InvalidInput("部分公开须写明不予公开的部分及其理由（条例第三十七条）",
                               en="Withheld parts and grounds required", field="withheld")
        masked, count = mask_text(disclosed_text, sensitive_words=app.agency.sensitive_word_list())
    text = letters.compose(app, outcome, 信息内容=masked if outcome == Outcome.PARTIAL else disclosed_text,
                           不予公开部分=withheld, 负责机关=(responsible_agency or "").strip())
    body = (body or "").strip()
    if body:
        # The handler's own wording; the remedies paragraph is part of every reply letter all the same.
        remedies = letters.compose(app, letters.REMEDIES)["body"]
        if "行政复议" not in body:
            body = body + "\n" + remedies
        if outcome == Outcome.PARTIAL and withheld not in body:
            body = body + "\n不予公开的部分及理由：" + withheld
    else:
        body = text["body"]
    if len(body) > 20_000:
        raise InvalidInput("答复书正文过长（最多20000字）", en="Body too long", field="body")
    version = (app.replies.aggregate(v=Max("version"))["v"] or 0) + 1
    reply = Reply.objects.create(application=app, version=version, outcome=outcome, body=body,
                                 disclosed_text=disclosed_text, disclosed_text_masked=masked, mask_count=count,
                                 drafted_by=actor, drafted_at=timezone.now())
    Letter.objects.create(application=app, reply=reply, kind=LetterKind.REPLY, key=outcome, title=text["title"],
                          basis=text["basis"], body=body)
    _transition(app, "draft_reply")
    app.save()
    audit.record(action="disclosure.reply.draft", actor=actor, role=Role.REQUEST_HANDLER, agency=app.agency,
                 subject=app, from_state=AppStatus.PROCESSING, to_state=app.status,
                 data={"reply": reply.pk, "version": version, "outcome": outcome, "mask_count": count})
    return reply


def _current_reply(app, status):
    reply = app.replies.select_for_update().order_by("-version").first()
    if reply is None or reply.status != status:
        raise NotAllowedInState("没有处于该环节的答复书", en="No reply at this stage")
    return reply


def _decide_reply(*, actor, application, approve, comment, denial, stage, reply_status, next_status, action,
                  role, missing_comment, stamp, on_approve=None):
    """One review stage of a reply (legal review or sign-off): pass it on, or return it with a comment."""
    app = _lock(application)
    _deny(denial(actor, app))
    _require_state(app, stage, action[0])
    reply = _current_reply(app, reply_status)
    _deny(denial(actor, app, reply))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise InvalidInput(missing_comment, en="A comment is required", field="comment")
    by, at, text = stamp
    setattr(reply, by, actor)
    setattr(reply, at, timezone.now())
    setattr(reply, text, comment)
    reply.status = next_status if approve else Reply.Status.RETURNED
    reply.save()
    _transition(app, action[0] if approve else "return_reply")
    app.save()
    extra = on_approve(app, reply) if approve and on_approve else {}
    audit.record(action="disclosure.reply." + (action[1] if approve else action[2]), actor=actor, role=role,
                 agency=app.agency, subject=app, from_state=stage, to_state=app.status, comment=comment,
                 data={"reply": reply.pk, "version": reply.version, **extra})
    return reply


@transaction.atomic
def legal_review(*, actor, application, approve: bool, comment: str = "") -> Reply:
    """Legal review of the drafted reply: pass it to sign-off, or return it to the handler."""
    return _decide_reply(
        actor=actor, application=application, approve=approve, comment=comment, denial=permissions.legal_denial,
        stage=AppStatus.LEGAL_REVIEW, reply_status=Reply.Status.LEGAL_REVIEW, next_status=Reply.Status.SIGN_OFF,
        action=("legal_approve", "legal_approve", "legal_return"), role=Role.LEGAL_REVIEWER,
        missing_comment="退回须填写审查意见", stamp=("legal_by", "legal_at", "legal_comment"))


@transaction.atomic
def sign_reply(*, actor, application, approve: bool, comment: str = "") -> Reply:
    """Sign off the legally reviewed reply (head of the disclosure office), or return it."""
    return _decide_reply(
        actor=actor, application=application, approve=approve, comment=comment, denial=permissions.head_denial,
        stage=AppStatus.SIGN_OFF, reply_status=Reply.Status.SIGN_OFF, next_status=Reply.Status.APPROVED,
        action=("sign_off", "sign_off", "sign_return"), role=Role.OFFICE_HEAD,
        missing_comment="退回须填写意见", stamp=("signed_by", "signed_at", "sign_comment"), on_approve=_number_letter)


def _number_letter(app, reply):
    """At sign-off the reply letter takes the next 文号 (same transaction: no gaps) and goes to rendering."""
    letter = Letter.objects.filter(reply=reply).first()
    if letter is None:  # a reply drafted before letters existed
        text = letters.compose(app, reply.outcome)
        letter = Letter.objects.create(application=app, reply=reply, kind=LetterKind.REPLY, key=reply.outcome,
                                       title=text["title"], basis=text["basis"], body=reply.body)
    letters.allocate_number(letter, timezone.localdate(reply.signed_at))
    _render_later([letter.pk], reply.signed_by, app.agency)
    return {"letter": letter.doc_number}


@transaction.atomic
def deliver_reply(*, actor, application, method: str, delivered_date, note: str = "") -> Reply:
    """Record delivery of the signed reply and archive it (有答复必归档); the application is concluded."""
    app = _lock(application)
    _deny(permissions.handle_denial(actor, app.agency))
    _require_state(app, AppStatus.TO_DELIVER, "deliver")
    reply = _current_reply(app, Reply.Status.APPROVED)
    if method not in Reply.DeliveryMethod.values:
        raise InvalidInput("请选择送达方式", en="Invalid delivery method", field="method")
    day = _date(delivered_date, "delivered_date", "送达日期")
    _check_not_future(day, "delivered_date", "送达日期")
    if day < timezone.localdate(reply.signed_at):
        raise InvalidInput("送达日期不能早于签发日期", en="Before sign-off", field="delivered_date")
    reply.delivery_method, reply.delivered_date = method, day
    reply.delivery_note, reply.status = (note or "").strip(), Reply.Status.DELIVERED
    reply.archive_number = f"{app.number}-{reply.version}"
    reply.save()
    _transition(app, "deliver")
    app.outcome, app.replied_date = reply.outcome, day
    app.save()
    late = app.due_date is not None and day > app.due_date
    audit.record(action="disclosure.reply.deliver", actor=actor, role=Role.REQUEST_HANDLER, agency=app.agency,
                 subject=app, from_state=AppStatus.TO_DELIVER, to_state=app.status,
                 data={"reply": reply.pk, "outcome": reply.outcome, "method": method, "delivered_date": day.isoformat(),
                       "archive_number": reply.archive_number, "overdue": late})
    return reply


# --- calendar changes ---------------------------------------------------------------------------

def _calendar_denial(actor):
    if actor is None:  # management command / data load by the operator
        return None
    if actor.is_authenticated and (actor.is_superuser or actor.is_staff):
        return None
    return "只有系统管理员可以修改节假日安排"


@transaction.atomic
def recompute_deadlines(*, actor, reason: str) -> int:
    """Recompute every running deadline on the current calendar; one audit record per changed application."""
    cal = WorkCalendar.load()
    changed = 0
    ids = list(Application.objects.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True))
    for app in Application.objects.select_for_update().select_related("agency").filter(pk__in=ids).order_by("pk"):
        changes = _refresh(app, cal)
        app.save()
        if not changes:
            continue
        changed += 1
        old_due = changes.get("due_date", (app.due_date, app.due_date))[0]
        audit.record(action="disclosure.application.deadline_recompute", actor=actor, agency=app.agency,
                     subject=app, comment=reason,
                     from_state=old_due.isoformat() if old_due else "",
                     to_state=app.due_date.isoformat() if app.due_date else "",
                     data={k: [str(a) if a is not None else None, str(b) if b is not None else None]
                           for k, (a, b) in changes.items()})
    return changed


@transaction.atomic
def calendar_changed(*, actor, year: int, note: str = "") -> int:
    """Audit a change of one year's holiday schedule and recompute running deadlines.

    Writes "disclosure.calendar.change", then one "disclosure.application.deadline_recompute" per
    application whose dates moved. Returns that number."""
    _deny(_calendar_denial(actor))
    cy = CalendarYear.objects.filter(pk=year).first()
    days = CalendarDay.objects.filter(date__year=year)
    audit.record(action="disclosure.calendar.change", actor=actor, subject=cy, comment=note,
                 data={"year": year, "loaded": cy is not None,
                       "holidays": days.filter(kind=CalendarDay.Kind.HOLIDAY).count(),
                       "workdays": days.filter(kind=CalendarDay.Kind.WORKDAY).count(),
                       "source": cy.source if cy else ""})
    return recompute_deadlines(actor=actor, reason=f"{year}年节假日安排变更")


@transaction.atomic
def load_calendar_year(*, actor, year: int, days, source: str) -> int:
    """Replace one year's schedule with `days` [(date, kind, name)], audit it, recompute deadlines."""
    _deny(_calendar_denial(actor))
    rows = []
    for day, kind, name in days:
        day = _date(day, "date", "日期")
        if day.year != year:
            raise InvalidInput(f"{day} 不在{year}年内", en="Date outside the year", field="date")
        if kind not in CalendarDay.Kind.values:
            raise InvalidInput(f"{day} 的类型“{kind}”无效（holiday 或 workday）", en="Invalid kind", field="kind")
        rows.append(CalendarDay(year_id=year, date=day, kind=kind, name=(name or "")[:40]))
    if len({r.date for r in rows}) != len(rows):
        raise InvalidInput("同一日期出现了两次", en="Duplicate date", field="date")
    CalendarYear.objects.update_or_create(pk=year, defaults={"source": source})
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(rows)
    return calendar_changed(actor=actor, year=year, note=f"导入{year}年节假日安排（{len(rows)}天）：{source}")


# --- scheduler ----------------------------------------------------------------------------------

def _handler_emails(agency_id):
    User = get_user_model()
    return list(User.objects.filter(memberships__agency_id=agency_id, memberships__role=Role.REQUEST_HANDLER,
                                    is_active=True).exclude(email="").values_list("email", flat=True).distinct())


@transaction.atomic
def _remind(app_id, kind, today):
    app = Application.objects.select_for_update().select_related("agency").get(pk=app_id)
    if app.status not in CLOCK_RUNNING or app.due_date is None:
        return False
    _, created = Reminder.objects.get_or_create(application=app, kind=kind, on_date=today,
                                                defaults={"due_date": app.due_date})
    if not created:
        return False
    audit.record(action=f"disclosure.application.remind_{kind}", actor=None, agency=app.agency, subject=app,
                 data={"due_date": app.due_date.isoformat(), "on_date": today.isoformat()})
    overdue = kind == Reminder.Kind.OVERDUE
    left = None if overdue else WorkCalendar.load().working_days_between(today, app.due_date)
    notify.deadline(app, overdue=overdue, working_days_left=left)
    return True


def run_due_work(now=None) -> dict:
    """Scheduler entry point (`manage.py tick` calls it every minute; safe to call repeatedly).

    Closes applications whose supplement or fee period passed (outcomes 六1 / 六2) and sends at most
    one "due soon" and one "overdue" reminder per application and day. Returns the counts."""
    today = timezone.localdate(now) if now is not None else _today()
    counts = {"closed_no_supplement": 0, "closed_fee_unpaid": 0, "reminded_due_soon": 0, "reminded_overdue": 0}
    for app in Application.objects.filter(status=AppStatus.AWAITING_SUPPLEMENT, supplement_applicant_due__lt=today):
        try:
            close_no_supplement(actor=None, application=app, on_date=today)
            counts["closed_no_supplement"] += 1
        except NotAllowedInState:  # someone recorded the supplement meanwhile
            pass
    for app in Application.objects.filter(status=AppStatus.AWAITING_FEE, fee_due_date__lt=today):
        try:
            close_fee_unpaid(actor=None, application=app, on_date=today)
            counts["closed_fee_unpaid"] += 1
        except NotAllowedInState:
            pass
    cal = WorkCalendar.load()
    soon = shenfa_setting("REQUEST_REMIND_WORKING_DAYS")
    running = Application.objects.filter(status__in=CLOCK_RUNNING, due_date__isnull=False)
    for app_id, due in running.values_list("pk", "due_date"):
        if due < today:
            kind = Reminder.Kind.OVERDUE
        elif cal.working_days_between(today, due) <= soon:
            kind = Reminder.Kind.DUE_SOON
        else:
            continue
        if _remind(app_id, kind, today):
            counts[f"reminded_{kind}"] += 1
    return counts


# --- queries for pages --------------------------------------------------------------------------

def overdue_for(user, today=None):
    """Open applications visible to `user` whose reply period has passed, oldest due first."""
    today = today or _today()
    return (permissions.visible_applications(user).filter(status__in=CLOCK_RUNNING, due_date__lt=today)
            .select_related("agency").order_by("due_date"))


def due_soon_for(user, today=None):
    today = today or _today()
    cal = WorkCalendar.load()
    soon = shenfa_setting("REQUEST_REMIND_WORKING_DAYS")
    qs = (permissions.visible_applications(user).filter(status__in=CLOCK_RUNNING, due_date__gte=today)
          .select_related("agency").order_by("due_date"))
    return [a for a in qs if cal.working_days_between(today, a.due_date) <= soon]
