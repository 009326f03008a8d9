"""Online applications (在线申请) and the public status query (查询).

A citizen submits on /gk/apply/ (no log-in): the Art. 29 fields, an identity document, a privacy consent.
The answer is an application number and a query code; only a hash of the code is stored. The office then
confirms receipt (条例第三十一条: online, the receipt date is the day both sides confirm), which registers
the Application and starts the reply clock. The public query by number and code answers the same "not
found" for a missing number and for a wrong code."""
import datetime
import hashlib
import re
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit import log as audit
from core import throttle
from core.conf import shenfa_setting
from core.errors import InvalidInput, NotAllowedInState, ShenfaError, deny
from core.models import Agency, Role

from . import actions, permissions
from .codes import ApplicantType, LetterKind
from .models import (
    AppStatus,
    Channel,
    DeliveryForm,
    DeliveryWay,
    Letter,
    OnlineApplication,
    Pause,
    Reply,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out on the phone
CODE_LENGTH = 12
ID_DOCUMENT_TYPES = {".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".png": b"\x89PNG", ".pdf": b"%PDF"}
_PHONE = re.compile(r"^[0-9+\-() ]{7,30}$")
_RESIDENT_ID = re.compile(r"^\d{17}[\dXx]$")
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
# A hash to check against when the number does not exist, so both answers take the same time.
_DUMMY_HASH = make_password("not-a-code")

ONLINE_FIELDS = (
    "applicant_type", "applicant_name", "id_type", "id_number", "legal_representative", "contact_person", "phone",
    "email", "address", "postcode", "content", "purpose", "delivery_form", "delivery_way",
)
LIMITS = {"applicant_name": 120, "id_number": 40, "legal_representative": 60, "contact_person": 60, "phone": 30,
          "email": 120, "address": 300, "postcode": 6, "content": 5000, "purpose": 2000}


class TooManyRequests(ShenfaError):
    status = 429
    code = "rate_limited"


def _clean(data: dict) -> dict:
    """The submitted fields, checked; every problem named in Chinese (errors: field -> message)."""
    errors, clean = {}, {}
    for name in ONLINE_FIELDS:
        value = data.get(name, "")
        clean[name] = value.strip() if isinstance(value, str) else ("" if value is None else str(value))
        if len(clean[name]) > LIMITS.get(name, 40):
            errors[name] = f"不能超过{LIMITS.get(name, 40)}个字"
    person = clean["applicant_type"] == ApplicantType.NATURAL_PERSON
    if clean["applicant_type"] not in ApplicantType.values:
        errors["applicant_type"] = "请选择申请人类型（自然人或法人、其他组织）"
    for name, label in (("applicant_name", "姓名或名称"), ("id_number", "证件号码"), ("phone", "联系电话"),
                        ("content", "所需信息的描述")):
        if not clean[name]:
            errors.setdefault(name, f"请填写{label}")
    if clean["id_type"] not in OnlineApplication.IdType.values:
        errors["id_type"] = "请选择证件类型"
    elif person and clean["id_type"] == OnlineApplication.IdType.CREDIT_CODE:
        errors["id_type"] = "自然人请选择身份证件"
    elif not person and clean["applicant_type"] in ApplicantType.values and \
            clean["id_type"] != OnlineApplication.IdType.CREDIT_CODE:
        errors["id_type"] = "法人或者其他组织请填写统一社会信用代码"
    if clean["id_number"] and "id_number" not in errors:
        if clean["id_type"] == OnlineApplication.IdType.ID_CARD and not _RESIDENT_ID.match(clean["id_number"]):
            errors["id_number"] = "居民身份证号码应为18位"
        if clean["id_type"] == OnlineApplication.IdType.CREDIT_CODE and \
                not _CREDIT_CODE.match(clean["id_number"].upper()):
            errors["id_number"] = "统一社会信用代码应为18位数字或大写字母"
    if not person and not clean["legal_representative"]:
        errors.setdefault("legal_representative", "法人或者其他组织请填写法定代表人或负责人")
    if clean["phone"] and not _PHONE.match(clean["phone"]):
        errors.setdefault("phone", "联系电话格式不正确")
    if clean["email"]:
        try:
            EmailValidator()(clean["email"])
        except ValidationError:
            errors.setdefault("email", "电子邮箱格式不正确")
    if clean["postcode"] and not re.fullmatch(r"\d{6}", clean["postcode"]):
        errors.setdefault("postcode", "邮政编码应为6位数字")
    if clean["delivery_form"] not in DeliveryForm.values:
        errors["delivery_form"] = "请选择信息提供形式"
    if clean["delivery_way"] not in DeliveryWay.values:
        errors["delivery_way"] = "请选择获取信息的方式"
    if clean["delivery_way"] == DeliveryWay.POST and not clean["address"]:
        errors.setdefault("address", "选择邮寄的，请填写通讯地址")
    if clean["delivery_way"] == DeliveryWay.EMAIL and not clean["email"]:
        errors.setdefault("email", "选择电子邮件的，请填写电子邮箱")
    if errors:
        raise InvalidInput("申请信息有误：" + "；".join(errors.values()), en="Invalid application", errors=errors,
                           field=next(iter(errors)))
    if clean["id_type"] == OnlineApplication.IdType.CREDIT_CODE:
        clean["id_number"] = clean["id_number"].upper()
    return clean


def check_id_document(upload):
    """The identity document: JPEG, PNG or PDF, within ONLINE_ID_DOCUMENT_MAX_BYTES, content as named."""
    if upload is None:
        raise InvalidInput("请上传身份证明材料（身份证件或营业执照等的照片或扫描件）", en="Identity document required",
                           field="id_document")
    limit = shenfa_setting("ONLINE_ID_DOCUMENT_MAX_BYTES")
    if upload.size > limit:
        raise InvalidInput(f"身份证明材料不能超过 {limit // (1024 * 1024)} MB", en="Identity document too large",
                           field="id_document")
    name = (upload.name or "").lower()
    ext = name[name.rfind("."):] if "." in name else ""
    if ext not in ID_DOCUMENT_TYPES:
        raise InvalidInput("身份证明材料须为 JPG、PNG 或 PDF 文件", en="Identity document must be JPG, PNG or PDF",
                           field="id_document")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(ID_DOCUMENT_TYPES[ext]):
        raise InvalidInput("身份证明材料的内容与文件类型不符", en="File content does not match its type",
                           field="id_document")
    return ext


def _new_number():
    return f"WS{timezone.localdate():%Y%m%d}{secrets.randbelow(10**6):06d}"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def submit_online_application(*, agency: Agency, data: dict, id_document, ip: str | None,
                              privacy_consent: bool) -> tuple[OnlineApplication, str]:
    """Take a citizen's application (no log-in); return it and its query code (shown once, stored hashed)."""
    if agency is None or not agency.is_active:
        raise InvalidInput("请选择受理机关", en="No such agency", field="agency")
    if not privacy_consent:
        raise InvalidInput("请阅读并同意个人信息保护告知", en="Privacy notice must be accepted",
                           field="privacy_consent")
    clean = _clean(data)
    check_id_document(id_document)
    day = 24 * 3600
    if not throttle.allow("apply-ip", ip or "-", limit=shenfa_setting("ONLINE_APPLY_PER_ADDRESS_PER_DAY"),
                          seconds=day):
        raise TooManyRequests("提交过于频繁，请明天再试", en="Too many applications from this address")
    identity = make_identity_key(clean["id_number"])
    if not throttle.allow("apply-id", identity, limit=shenfa_setting("ONLINE_APPLY_PER_IDENTITY_PER_DAY"),
                          seconds=day):
        raise TooManyRequests("同一证件今日提交的申请过多，请明天再试", en="Too many applications for this identity")
    code = new_code()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                online = OnlineApplication(agency=agency, number=_new_number(), query_code_hash=make_password(code),
                                           submitted_at=timezone.now(), submitted_ip=ip or None,
                                           id_document_name=(id_document.name or "")[-200:], **clean)
                online.id_document.save(id_document.name, id_document, save=False)
                online.save()
                # No identity number, contact or file in the trail: audit exports must not carry them.
                audit.record(action="disclosure.online.submit", actor=None, agency=agency, subject=online,
                             to_state=online.status, ip=ip,
                             data={"number": online.number, "applicant_type": online.applicant_type,
                                   "delivery_form": online.delivery_form, "delivery_way": online.delivery_way})
            return online, code
        except IntegrityError:  # the random number was taken: draw again
            continue
    raise ShenfaError("系统繁忙，请稍后再试", en="Could not allocate a number")


def make_identity_key(id_number: str) -> str:
    return hashlib.sha256(id_number.strip().upper().encode()).hexdigest()[:32]


def submissions_for(user):
    """Online applications the user may see, with the identity data: the agency's request handlers only."""
    if user is None or not user.is_authenticated:
        return OnlineApplication.objects.none()
    return OnlineApplication.objects.filter(agency__in=permissions.handler_agencies(user))


@transaction.atomic
def confirm_receipt(*, actor, online: OnlineApplication, received_date=None):
    """Confirm receipt of an online application (条例第三十一条) and register it: the reply clock starts that day."""
    # Lock first: two handlers confirming at once must register one application, not two.
    online = OnlineApplication.objects.select_for_update().select_related("agency").get(pk=online.pk)
    deny(permissions.handle_denial(actor, online.agency))
    if online.status != OnlineApplication.Status.SUBMITTED:
        raise NotAllowedInState("该在线申请已确认收到并登记", en="Already confirmed")
    day = received_date or timezone.localdate()
    if isinstance(day, str):
        try:
            day = datetime.date.fromisoformat(day)
        except ValueError:
            raise InvalidInput("确认收到日期格式不正确，应为 YYYY-MM-DD", en="Invalid date",
                               field="received_date") from None
    if day < timezone.localdate(online.submitted_at):
        raise InvalidInput("确认收到日期不能早于提交日期", en="Before submission", field="received_date")
    contact = "；".join(x for x in (online.phone, online.email, online.contact_person) if x)
    app = actions.register_application(actor=actor, agency=online.agency, data={
        "applicant_type": online.applicant_type, "applicant_name": online.applicant_name,
        "applicant_id_number": online.id_number, "applicant_contact": contact[:200],
        "applicant_address": online.address, "channel": Channel.ONLINE, "received_date": day,
        "content": online.content, "purpose": online.purpose, "delivery_form": online.delivery_form,
        "delivery_way": online.delivery_way,
    })
    online.status, online.application = OnlineApplication.Status.CONFIRMED, app
    online.confirmed_by, online.confirmed_date = actor, day
    online.save(update_fields=["status", "application", "confirmed_by", "confirmed_date"])
    audit.record(action="disclosure.online.confirm", actor=actor, role=Role.REQUEST_HANDLER, agency=online.agency,
                 subject=online, from_state=OnlineApplication.Status.SUBMITTED, to_state=online.status,
                 data={"number": online.number, "application": app.number, "received_date": day.isoformat()})
    return app


def find(number: str, code: str, *, ip: str | None = None) -> OnlineApplication | None:
    """The online application with this number if the code is right; None alike for a missing number or a
    wrong code (one hash check either way, so the time does not tell them apart)."""
    if not throttle.allow("query-ip", ip or "-", limit=shenfa_setting("ONLINE_QUERY_PER_ADDRESS_PER_HOUR"),
                          seconds=3600):
        raise TooManyRequests("查询过于频繁，请稍后再试", en="Too many queries from this address")
    number, code = (number or "").strip().upper()[:30], (code or "").strip().upper().replace(" ", "")[:40]
    online = OnlineApplication.objects.select_related("agency", "application").filter(number=number).first()
    ok = check_password(code, online.query_code_hash if online else _DUMMY_HASH)
    return online if (online is not None and ok and code) else None


PUBLIC_STAGE = {
    AppStatus.PROCESSING: "办理中",
    AppStatus.LEGAL_REVIEW: "办理中",
    AppStatus.SIGN_OFF: "办理中",
    AppStatus.TO_DELIVER: "答复已签发，待送达",
    AppStatus.AWAITING_SUPPLEMENT: "待您补正",
    AppStatus.AWAITING_FEE: "待您缴纳信息处理费",
    AppStatus.AWAITING_EXPLANATION: "待您说明理由（条例第三十五条）",
    AppStatus.CLOSED: "已办结",
}


def public_letters(app):
    """Letters the applicant may download: issued notices, and the reply letter once delivered."""
    qs = Letter.objects.filter(application=app).exclude(doc_number="").exclude(pdf="")
    delivered = Reply.objects.filter(application=app, status=Reply.Status.DELIVERED).values("pk")
    return qs.filter(kind__in=[k for k in LetterKind.values if k != LetterKind.REPLY]) | qs.filter(
        kind=LetterKind.REPLY, reply__in=delivered)


def public_status(online: OnlineApplication) -> dict:
    """What the applicant sees: stage, due date, what they must do, letters to download."""
    app = online.application
    status = {"number": online.number, "submitted": timezone.localtime(online.submitted_at), "todo": [],
              "letters": [], "agency": online.agency.name}
    if app is None:
        status.update(stage="已提交，等待受理机关确认收到", received=None, due=None,
                      clock="答复期限自受理机关确认收到之日起计算（条例第三十一条）")
        return status
    status.update(stage=PUBLIC_STAGE[app.status], received=app.received_date, register_number=app.number,
                  due=app.due_date if app.status != AppStatus.CLOSED else None,
                  clock=f"网上申请以受理机关确认收到之日（{app.received_date:%Y年%m月%d日}）为收到申请之日（条例第三十一条）",
                  outcome=app.get_outcome_display() if app.outcome else "", replied=app.replied_date)
    if app.status == AppStatus.AWAITING_SUPPLEMENT:
        status["todo"].append(f"请于{app.supplement_applicant_due:%Y年%m月%d日}前补正：{app.supplement_request}")
    if app.status == AppStatus.AWAITING_FEE:
        status["todo"].append(f"请于{app.fee_due_date:%Y年%m月%d日}前缴纳信息处理费 {app.fee_amount} 元")
    if app.status == AppStatus.AWAITING_EXPLANATION:
        pause = app.pauses.filter(kind=Pause.Kind.EXPLANATION, ended__isnull=True).first()
        until = f"请于{pause.limit_date:%Y年%m月%d日}前" if pause else "请"
        status["todo"].append(f"{until}说明申请理由（条例第三十五条）：{app.excessive_reason}")
    status["letters"] = list(public_letters(app).order_by("pk"))
    return status
