"""Log-in for a token, the current user, and one's tokens (list, issue from a session, revoke one)."""
from django.contrib.auth import authenticate
from django.db.models import Q
from django.utils import timezone
from ninja import Router, Status

from core.conf import shenfa_setting
from core.context import client_ip
from core.throttle import is_locked, locked_message

from .. import lookups, tokens
from ..errors import ApiError
from ..fields import PathId, json_body
from ..models import ApiToken
from ..schemas.auth import MeOut, RevokeIn, TokenInfo, TokenOut, TokenRequest
from ..schemas.common import Empty, responses

router = Router(tags=["认证"])


def _token_answer(user, token):
    row = tokens.authenticate_token(token)[1]
    return {"token": token, "id": row.pk, "user": user, "expires_at": row.expires_at,
            "max_age_days": shenfa_setting("API_TOKEN_MAX_AGE_DAYS")}


@router.post("/auth/token", auth=None, response=responses(TokenOut, 200, 400, 401, 415, 429, auth=False),
             summary="用户名和密码换取 API 令牌",
             description="令牌在到期、被吊销、修改密码或停用账号后失效。"
                         "之后的请求带请求头 Authorization: Token <令牌>。")
def token_create(request, data: json_body(TokenRequest)):
    if is_locked(data.username, client_ip(request)):
        raise ApiError(429, "throttled", locked_message(), en="Too many failed log-in attempts; try again later")
    user = authenticate(request, username=data.username, password=data.password)
    if user is None:
        raise ApiError(401, "invalid_credentials", "用户名或密码错误", en="Wrong username or password")
    return _token_answer(user, tokens.issue_token(user=user, actor=user, via=ApiToken.Via.PASSWORD))


@router.get("/me", response=responses(MeOut, 200), summary="当前用户及其机构角色")
def me(request):
    return request.auth


def _info(row, request):
    current = getattr(request, "api_token", None)
    return {"id": row.pk, "via": row.via, "created_at": row.created_at, "expires_at": row.expires_at,
            "last_used_at": row.last_used_at, "revoked_at": row.revoked_at, "revoke_reason": row.revoke_reason,
            "active": tokens.is_active(row), "current": current is not None and current.pk == row.pk}


@router.get("/tokens", response=responses(list[TokenInfo], 200), summary="我的 API 令牌（最近 100 个）")
def token_list(request):
    since = timezone.now() - timezone.timedelta(days=90)
    rows = ApiToken.objects.filter(user=request.auth).filter(Q(revoked_at__isnull=True) | Q(revoked_at__gte=since))
    return [_info(row, request) for row in rows.order_by("-created_at", "-pk")[:100]]


@router.post("/tokens", response=responses(TokenOut, 201, 400, 403, 415), summary="为自己签发新令牌",
             description="已登录网页的用户以会话调用时，令牌随该会话退出登录而吊销。")
def token_issue(request, data: json_body(Empty)):
    user = request.auth
    session_key = ""
    if request.api_token is None and getattr(request, "session", None) is not None:
        session_key = request.session.session_key or ""
    via = ApiToken.Via.SESSION if session_key else ApiToken.Via.PASSWORD
    token = tokens.issue_token(user=user, actor=user, via=via, session_key=session_key)
    return Status(201, _token_answer(user, token))


@router.delete("/tokens/{int:token_id}", response=responses(TokenInfo, 200, 400, 404, 415), summary="吊销一个令牌")
def token_revoke(request, token_id: PathId, data: json_body(RevokeIn)):
    row = tokens.revoke_token(actor=request.auth, token=lookups.token(request.auth, token_id),
                              reason=data.reason if data else "")
    return _info(row, request)
