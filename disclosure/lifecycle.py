"""The application lifecycle as a viewflow.fsm state machine: the only code that changes Application.status.

Who may trigger a transition is decided in disclosure.permissions; this file says from which state."""
from viewflow import fsm

from .models import AppStatus as S


class ApplicationLifecycle:
    state = fsm.State(S, default=S.PROCESSING)

    def __init__(self, application):
        self.application = application

    @state.setter()
    def _set_status(self, value):
        # Bypasses the protected field's guard only here: this class is the single place of change.
        self.application.__dict__["status"] = value

    @state.getter()
    def _get_status(self):
        return self.application.status

    @state.transition(source=S.PROCESSING, target=S.AWAITING_SUPPLEMENT, label="告知补正")
    def request_supplement(self):
        """Ask the applicant once to supplement an unclear application (条例第三十条)."""

    @state.transition(source=S.AWAITING_SUPPLEMENT, target=S.PROCESSING, label="收到补正")
    def receive_supplement(self):
        """The supplement arrived: the reply period restarts from its receipt."""

    @state.transition(source=S.AWAITING_SUPPLEMENT, target=S.CLOSED, label="逾期未补正")
    def close_no_supplement(self):
        """No supplement in time: the application counts as withdrawn."""

    @state.transition(source=S.PROCESSING, target=S.AWAITING_FEE, label="发出收费通知")
    def issue_fee_notice(self):
        """Send the processing-fee notice; the time until payment does not count."""

    @state.transition(source=S.AWAITING_FEE, target=S.PROCESSING, label="缴费")
    def record_fee_payment(self):
        """The applicant paid."""

    @state.transition(source=S.AWAITING_FEE, target=S.CLOSED, label="逾期未缴费")
    def close_fee_unpaid(self):
        """Not paid in time: the application is no longer processed."""

    @state.transition(source=S.PROCESSING, target=S.LEGAL_REVIEW, label="起草答复")
    def draft_reply(self):
        """A reply document goes to legal review."""

    @state.transition(source=S.LEGAL_REVIEW, target=S.SIGN_OFF, label="合法性审查通过")
    def legal_approve(self):
        """Legal review passed; the reply goes to sign-off."""

    @state.transition(source=[S.LEGAL_REVIEW, S.SIGN_OFF], target=S.PROCESSING, label="退回修改")
    def return_reply(self):
        """The reply goes back to the handler for a new draft."""

    @state.transition(source=S.SIGN_OFF, target=S.TO_DELIVER, label="签发")
    def sign_off(self):
        """The head of the disclosure office signed the reply."""

    @state.transition(source=S.TO_DELIVER, target=S.CLOSED, label="送达归档")
    def deliver(self):
        """The reply was sent to the applicant and archived."""

    @state.transition(source=S.PROCESSING, target=S.AWAITING_EXPLANATION, label="要求说明理由")
    def ask_explanation(self):
        """Art. 35: the number or frequency clearly exceeds a reasonable range; ask the applicant why."""

    @state.transition(source=S.AWAITING_EXPLANATION, target=S.PROCESSING, label="处理说明理由")
    def decide_excessive(self):
        """Art. 35 decided: a later reasonable date, or a reply that the application is not processed."""

    @state.transition(source=S.PROCESSING, target=S.CLOSED, label="导入已办结记录")
    def import_concluded(self):
        """A concluded application imported from the office's ledger with its real dates."""
