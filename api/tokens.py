"""API tokens: signed values, nothing stored.

A token is ``signing.dumps({"u": user.pk, "v": <key of the password hash>}, salt="shenfa.api")``. It is valid
while the signature holds, the user is active, the password is unchanged (changing or resetting the
password revokes every token of that user) and it is younger than API_TOKEN_MAX_AGE_DAYS.
"""
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from audit import log as audit
from core.conf import shenfa_setting

SALT = "shenfa.api"


def _password_key(user) -> str:
    # Keyed by SECRET_KEY, so the token (whose payload is readable base64) says nothing about the hash.
    return salted_hmac("shenfa.api.password", user.password or "").hexdigest()[:20]


def make_token(user) -> str:
    """Return a new signed API token for the user (no audit record; use issue_token)."""
    return signing.dumps({"u": user.pk, "v": _password_key(user)}, salt=SALT, compress=False)


def user_for_token(token: str):
    """The active user a token belongs to, or None if it is forged, expired or revoked."""
    if not token or len(token) > 512:
        return None
    max_age = shenfa_setting("API_TOKEN_MAX_AGE_DAYS")
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age * 86400 if max_age else None)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int) or not isinstance(payload.get("v"), str):
        return None
    user = get_user_model().objects.filter(pk=payload["u"], is_active=True).first()
    if user is None or not constant_time_compare(payload["v"], _password_key(user)):
        return None
    return user


@transaction.atomic
def issue_token(*, user, actor=None, via: str = "api") -> str:
    """Issue an API token for `user` (by the user at log-in, or by an operator's command) and audit it."""
    token = make_token(user)
    audit.record(action="workflow.api_token.issue", actor=actor, subject=user,
                 data={"user": user.pk, "username": user.get_username(), "via": via})
    return token
