"""API tokens: signed values whose key is recorded (hashed) in ApiToken, so each one can be revoked.

A token is ``signing.dumps({"u": user.pk, "v": <key of the password hash>, "k": <random key>}, salt=SALT)``.
It is valid while the signature holds, its ApiToken row (found by the key's SHA-256) is neither revoked nor
expired, the user is active and the password is unchanged (changing or resetting the password ends every
token of that user). Lifetime: API_TOKEN_MAX_AGE_DAYS at issue (0 = no limit); lowering the setting later
shortens the tokens already issued too. Every issue and revocation is audited in the same transaction."""
import hashlib
import secrets
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from audit import log as audit
from core.conf import shenfa_setting
from core.errors import NotAllowedForYou

from .models import ApiToken

SALT = "shenfa.api"
MAX_TOKEN_LENGTH = 512
# last_used_at is written at most this often per token (a write on every request would be wasted work).
TOUCH_EVERY = timedelta(minutes=1)


def _password_key(user) -> str:
    # Keyed by SECRET_KEY, so the token (whose payload is readable base64) says nothing about the hash.
    return salted_hmac("shenfa.api.password", user.password or "").hexdigest()[:20]


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _expired(row, now) -> bool:
    if row.expires_at is not None and now >= row.expires_at:
        return True
    max_age = shenfa_setting("API_TOKEN_MAX_AGE_DAYS")
    return bool(max_age) and now >= row.created_at + timedelta(days=max_age)


def is_active(row, now=None) -> bool:
    """The token row is neither revoked nor expired (the signature and password are checked at use)."""
    return row.revoked_at is None and not _expired(row, now or timezone.now())


def authenticate_token(token: str):
    """(user, ApiToken) for a valid token, or None if it is forged, expired or revoked."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        payload = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(payload, dict) or not all(
            isinstance(payload.get(k), t) for k, t in (("u", int), ("v", str), ("k", str))):
        return None
    row = ApiToken.objects.select_related("user").filter(key_hash=sha256(payload["k"]), user_id=payload["u"]).first()
    now = timezone.now()
    if row is None or not is_active(row, now) or not row.user.is_active:
        return None
    if not constant_time_compare(payload["v"], _password_key(row.user)):
        return None
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row.user, row


def user_for_token(token: str):
    """The active user a token belongs to, or None."""
    found = authenticate_token(token)
    return found[0] if found else None


@transaction.atomic
def issue_token(*, user, actor=None, via: str = ApiToken.Via.PASSWORD, session_key: str = "") -> str:
    """Issue an API token for `user` (at log-in, from a web session, or by an operator's command) and audit it."""
    if actor is not None and actor.pk != user.pk:
        raise NotAllowedForYou("只能为自己签发接口令牌", en="Tokens are issued to oneself only")
    key = secrets.token_urlsafe(24)
    now = timezone.now()
    max_age = shenfa_setting("API_TOKEN_MAX_AGE_DAYS")
    row = ApiToken.objects.create(user=user, key_hash=sha256(key), via=via, created_at=now,
                                  session_hash=sha256(session_key) if session_key else "",
                                  expires_at=now + timedelta(days=max_age) if max_age else None)
    audit.record(action="workflow.api_token.issue", actor=actor, subject=user,
                 data={"user": user.pk, "username": user.get_username(), "via": via, "token": row.pk,
                       "expires_at": row.expires_at.isoformat() if row.expires_at else None})
    return signing.dumps({"u": user.pk, "v": _password_key(user), "k": key}, salt=SALT, compress=False)


def _revoke(row, *, actor, reason):
    row.revoked_at = timezone.now()
    row.revoke_reason = reason[:200]
    row.save(update_fields=["revoked_at", "revoke_reason"])
    audit.record(action="workflow.api_token.revoke", actor=actor, subject=row.user, comment=reason,
                 data={"user": row.user_id, "token": row.pk, "via": row.via})


@transaction.atomic
def revoke_token(*, actor, token: ApiToken, reason: str = "") -> ApiToken:
    """Revoke one of one's own tokens; revoking a revoked token changes nothing."""
    # Lock the row: two revocations at once write one audit record, not two.
    row = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if actor is None or row.user_id != actor.pk:
        raise NotAllowedForYou("只能吊销自己的接口令牌", en="You may revoke only your own tokens")
    if row.revoked_at is not None:
        return row
    _revoke(row, actor=actor, reason=(reason or "").strip() or "用户吊销")
    return row


@transaction.atomic
def revoke_session_tokens(*, user, session_key: str) -> int:
    """Log-out: revoke the live tokens the user issued from this web session. Returns how many."""
    if user is None or not session_key:
        return 0
    rows = list(ApiToken.objects.select_for_update().select_related("user")
                .filter(user=user, session_hash=sha256(session_key), revoked_at__isnull=True).order_by("pk"))
    for row in rows:
        _revoke(row, actor=user, reason="退出登录")
    return len(rows)
