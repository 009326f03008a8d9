"""Errors raised by actions. Each carries a stable code, a Chinese message for people and an
English one for the API, and maps to one HTTP status: permission (403) and state (409) differ."""


class ShenfaError(Exception):
    status = 400
    code = "error"

    def __init__(self, message: str, *, code: str | None = None, en: str = "", field: str | None = None,
                 errors: dict | None = None):
        super().__init__(message)
        self.errors = errors or {}
        self.message = message
        self.en = en or message
        self.field = field
        if code:
            self.code = code

    def as_dict(self):
        data = {"code": self.code, "message": self.message, "message_en": self.en}
        if self.field:
            data["field"] = self.field
        if self.errors:
            data["errors"] = self.errors
        return data


class NotAllowedForYou(ShenfaError):
    """The actor may not do this (role, agency, separation of duties)."""

    status = 403
    code = "permission_denied"


class NotAllowedInState(ShenfaError):
    """The subject is not in a state where this action is possible (or someone was faster)."""

    status = 409
    code = "invalid_state"


class InvalidInput(ShenfaError):
    status = 400
    code = "invalid_input"


def deny(reason: str | None) -> None:
    """Raise NotAllowedForYou with `reason` if there is one (permission functions return None or a reason)."""
    if reason:
        raise NotAllowedForYou(reason, en="You are not allowed to do this")


class NotFound(ShenfaError):
    """The object does not exist, or the actor may not know that it exists (no oracle: same answer)."""

    status = 404
    code = "not_found"
