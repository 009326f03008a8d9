"""Reply documents: draft -> legal review -> sign-off -> delivery and archive; and who may do what."""
import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from freezegun import freeze_time

from core.errors import InvalidInput, NotAllowedForYou, NotAllowedInState
from core.models import Role
from disclosure import actions
from disclosure.codes import Outcome
from disclosure.models import Application, AppStatus, FeeMethod, Pause, Reply
from tests.factories import make_user, register, reload

from .test_calendar__deadlines import actions_of

D = datetime.date
pytestmark = pytest.mark.django_db

REPLY_BODY = "王某某：本机关于2026年3月2日收到您的政府信息公开申请。经审查，现答复如下：……"
ROSTER = ("drafter", "first", "secrecy", "legal", "publisher", "office", "auditor", "handler", "other_first",
          "anonymous")


def person(world, name):
    return AnonymousUser() if name == "anonymous" else world.people[name]


def to_state(world, app, state):
    """Drive an application to `state` with the right people."""
    if state == "legal_review":
        actions.draft_reply(actor=world.handler, application=app, outcome=Outcome.DISCLOSED, body=REPLY_BODY)
    if state == "sign_off":
        to_state(world, app, "legal_review")
        actions.legal_review(actor=world.legal, application=app, approve=True, comment="合法")
    if state == "to_deliver":
        to_state(world, app, "sign_off")
        actions.sign_reply(actor=world.office, application=app, approve=True, comment="同意")
    if state == "awaiting_supplement":
        actions.request_supplement(actor=world.handler, application=app, requested_date=D(2026, 3, 3),
                                   items="请明确", applicant_due=D(2026, 3, 17))
    if state == "awaiting_fee":
        actions.issue_fee_notice(actor=world.handler, application=app, method=FeeMethod.PER_VOLUME, pages=50,
                                 notice_date=D(2026, 3, 3))
    if state == "consulting":
        actions.start_consultation(actor=world.handler, application=app, kind=Pause.Kind.THIRD_PARTY,
                                   party="第三方", sent_date=D(2026, 3, 3))
    if state == "extension_requested":
        actions.request_extension(actor=world.handler, application=app, days=5, reason="理由")
    return reload(app)


# action name -> (state to set up, call, who may, audit action)
ACTIONS = {
    "register": (None, lambda w, a, u: actions.register_application(
        actor=u, agency=w.dept, data={"applicant_type": "commercial", "applicant_name": "某公司", "channel": "post",
                                      "received_date": D(2026, 3, 3), "content": "申请公开某项目环评批复"}),
        {"handler"}, "disclosure.application.register"),
    "request_supplement": ("processing", lambda w, a, u: actions.request_supplement(
        actor=u, application=a, requested_date=D(2026, 3, 3), items="请明确", applicant_due=D(2026, 3, 17)),
        {"handler"}, "disclosure.application.request_supplement"),
    "receive_supplement": ("awaiting_supplement", lambda w, a, u: actions.receive_supplement(
        actor=u, application=a, received_date=D(2026, 3, 3)), {"handler"}, "disclosure.application.receive_supplement"),
    "consult_start": ("processing", lambda w, a, u: actions.start_consultation(
        actor=u, application=a, kind="other_agency", party="宿州市财政局", sent_date=D(2026, 3, 3)),
        {"handler"}, "disclosure.application.consult_start"),
    "consult_end": ("consulting", lambda w, a, u: actions.end_consultation(
        actor=u, pause=a.pauses.get(), received_date=D(2026, 3, 3)), {"handler"}, "disclosure.application.consult_end"),
    "request_extension": ("processing", lambda w, a, u: actions.request_extension(
        actor=u, application=a, days=10, reason="理由"), {"handler"}, "disclosure.application.request_extension"),
    "approve_extension": ("extension_requested", lambda w, a, u: actions.decide_extension(
        actor=u, application=a, approve=True), {"office"}, "disclosure.application.approve_extension"),
    "fee_notice": ("processing", lambda w, a, u: actions.issue_fee_notice(
        actor=u, application=a, method="per_volume", pages=40, notice_date=D(2026, 3, 3)),
        {"handler"}, "disclosure.application.fee_notice"),
    "fee_paid": ("awaiting_fee", lambda w, a, u: actions.record_fee_payment(
        actor=u, application=a, paid_date=D(2026, 3, 3)), {"handler"}, "disclosure.application.fee_paid"),
    "draft_reply": ("processing", lambda w, a, u: actions.draft_reply(
        actor=u, application=a, outcome="disclosed", body=REPLY_BODY), {"handler"}, "disclosure.reply.draft"),
    "legal_approve": ("legal_review", lambda w, a, u: actions.legal_review(
        actor=u, application=a, approve=True), {"legal"}, "disclosure.reply.legal_approve"),
    "legal_return": ("legal_review", lambda w, a, u: actions.legal_review(
        actor=u, application=a, approve=False, comment="引用条款有误"), {"legal"}, "disclosure.reply.legal_return"),
    "sign_off": ("sign_off", lambda w, a, u: actions.sign_reply(
        actor=u, application=a, approve=True), {"office"}, "disclosure.reply.sign_off"),
    "sign_return": ("sign_off", lambda w, a, u: actions.sign_reply(
        actor=u, application=a, approve=False, comment="请补充救济途径"), {"office"}, "disclosure.reply.sign_return"),
    "deliver": ("to_deliver", lambda w, a, u: actions.deliver_reply(
        actor=u, application=a, method="post", delivered_date=D(2026, 3, 3), note="EMS 1234"),
        {"handler"}, "disclosure.reply.deliver"),
}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_role_against_every_action(world, action):
    """Everyone else first (each refused, nothing written), then the one role that may."""
    state, call, allowed, audit_action = ACTIONS[action]
    with freeze_time("2026-03-03 10:00"):
        app = register(world, today="2026-03-03")
        if state and state != "processing":
            app = to_state(world, app, state)
        before = actions_of(app)
        for who in [w for w in ROSTER if w not in allowed]:
            with pytest.raises(NotAllowedForYou):
                call(world, app, person(world, who))
            assert actions_of(app) == before, who
            assert reload(app).status == app.status, who
        assert Application.objects.count() == 1
        (who,) = allowed
        result = call(world, app, person(world, who))
        created = result if isinstance(result, Application) and result.pk != app.pk else None
        trail = actions_of(created) if created else actions_of(app)[len(before):]
        assert trail == [audit_action]


def test_full_reply_cycle_with_return_and_archive(world, app):
    with freeze_time("2026-03-20 09:00"):
        r1 = actions.draft_reply(actor=world.handler, application=app, outcome=Outcome.REFUSED_PROCESS,
                                 body=REPLY_BODY)
        assert reload(app).status == AppStatus.LEGAL_REVIEW
        with pytest.raises(InvalidInput):  # returning needs a reason
            actions.legal_review(actor=world.legal, application=app, approve=False)
        actions.legal_review(actor=world.legal, application=app, approve=False, comment="应引用条例第十六条第二款")
        assert (reload(r1).status, reload(app).status) == (Reply.Status.RETURNED, AppStatus.PROCESSING)
        with pytest.raises(NotAllowedInState):
            actions.sign_reply(actor=world.office, application=app, approve=True)
        r2 = actions.draft_reply(actor=world.handler, application=app, outcome=Outcome.REFUSED_PROCESS,
                                 body=REPLY_BODY + "依据《条例》第十六条第二款。")
        assert r2.version == 2
        actions.legal_review(actor=world.legal, application=app, approve=True, comment="合法")
        actions.sign_reply(actor=world.office, application=app, approve=True, comment="同意")
        with pytest.raises(InvalidInput):
            actions.deliver_reply(actor=world.handler, application=app, method="pigeon", delivered_date=D(2026, 3, 20))
        with pytest.raises(InvalidInput):
            actions.deliver_reply(actor=world.handler, application=app, method="post", delivered_date=D(2026, 3, 21))
        actions.deliver_reply(actor=world.handler, application=app, method="post", delivered_date=D(2026, 3, 20),
                              note="EMS 1100000000000")
    app, r2 = reload(app), reload(r2)
    assert (app.status, app.outcome, app.replied_date) == (AppStatus.CLOSED, Outcome.REFUSED_PROCESS, D(2026, 3, 20))
    assert (r2.status, r2.archive_number) == (Reply.Status.DELIVERED, f"{app.number}-2")
    assert actions_of(app) == [
        "disclosure.application.register", "disclosure.reply.draft", "disclosure.reply.legal_return",
        "disclosure.reply.draft", "disclosure.reply.legal_approve", "disclosure.reply.sign_off",
        "disclosure.reply.deliver"]


def test_partial_disclosure_masks_personal_data(world, app):
    text = "低保户名单：张三，联系电话13812345678，开户银行账号6222021001122334455。"
    with freeze_time("2026-03-20"):
        with pytest.raises(InvalidInput):
            actions.draft_reply(actor=world.handler, application=app, outcome=Outcome.PARTIAL, body=REPLY_BODY)
        with pytest.raises(InvalidInput):  # the withheld parts and their grounds are part of the letter
            actions.draft_reply(actor=world.handler, application=app, outcome=Outcome.PARTIAL, body=REPLY_BODY,
                                disclosed_text=text)
        reply = actions.draft_reply(actor=world.handler, application=app, outcome=Outcome.PARTIAL,
                                    body=REPLY_BODY, disclosed_text=text, withheld="个人联系方式，条例第十五条")
    assert "13812345678" not in reply.disclosed_text_masked
    assert "138****5678" in reply.disclosed_text_masked
    assert reply.mask_count >= 1
    assert reply.text_for_applicant == reply.disclosed_text_masked
    assert reply.disclosed_text == text


@freeze_time("2026-03-20")
def test_reply_outcome_rules(world, app):
    for outcome in ("nonsense", Outcome.OTHER_NO_SUPPLEMENT, Outcome.OTHER_FEE_UNPAID, Outcome.UNABLE_UNCLEAR):
        with pytest.raises(InvalidInput):
            actions.draft_reply(actor=world.handler, application=app, outcome=outcome, body=REPLY_BODY)
    assert reload(app).replies.count() == 0
    # a blank body: the letter is written from the office's template for the outcome
    reply = actions.draft_reply(actor=world.handler, application=app, outcome=Outcome.DISCLOSED, body="  ")
    assert reply.body.startswith("王某某：") and "行政复议" in reply.body


@freeze_time("2026-03-20")
def test_drafter_of_the_reply_cannot_review_or_sign_it(world):
    boss = make_user("boss", world.dept, Role.REQUEST_HANDLER, Role.LEGAL_REVIEWER, Role.OFFICE_HEAD)
    app = register(world, today="2026-03-20")
    actions.draft_reply(actor=boss, application=app, outcome=Outcome.DISCLOSED, body=REPLY_BODY)
    with pytest.raises(NotAllowedForYou):
        actions.legal_review(actor=boss, application=app, approve=True)
    actions.legal_review(actor=world.legal, application=app, approve=True)
    with pytest.raises(NotAllowedForYou):
        actions.sign_reply(actor=boss, application=app, approve=True)


@freeze_time("2026-03-20")
def test_state_errors_are_not_permission_errors(world, app):
    with pytest.raises(NotAllowedInState):
        actions.legal_review(actor=world.legal, application=app, approve=True)
    with pytest.raises(NotAllowedInState):
        actions.deliver_reply(actor=world.handler, application=app, method="post", delivered_date=D(2026, 3, 20))
    with pytest.raises(NotAllowedInState):
        actions.receive_supplement(actor=world.handler, application=app, received_date=D(2026, 3, 20))
    with pytest.raises(NotAllowedInState):
        actions.record_fee_payment(actor=world.handler, application=app, paid_date=D(2026, 3, 20))


def test_bad_registration_stores_nothing(world):
    with freeze_time("2026-03-03"):
        for bad in ({"applicant_type": "alien"}, {"applicant_name": ""}, {"channel": "pigeon"},
                    {"received_date": "2026-03-04"}, {"received_date": "3/3/2026"}, {"content": ""},
                    {"item_count": 0}, {"status": "closed"}):
            data = {"applicant_type": "natural_person", "applicant_name": "王某", "channel": "online",
                    "received_date": "2026-03-03", "content": "申请内容"}
            data.update(bad)
            with pytest.raises(InvalidInput):
                actions.register_application(actor=world.handler, agency=world.dept, data=data)
    assert Application.objects.count() == 0
