"""Authentication of API requests: a token in the Authorization header, or the web session (with CSRF on
writes). A present but bad Authorization header never falls back to the session.

Once the user is known, the objects named in the path are looked up within what the user may see
(api.lookups.PATH_OBJECTS): a foreign or missing object is a 404 before the body is read or validated."""
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from .errors import ApiError, invalid_token
from .fields import MAX_ID
from .lookups import PATH_OBJECTS
from .tokens import authenticate_token


def check_path_objects(request, user):
    """Raise NotFound for a path object the user may not see; ids out of range are left to validation (400)."""
    match = getattr(request, "resolver_match", None)
    for name, value in (match.kwargs if match else {}).items():
        lookup = PATH_OBJECTS.get(name)
        if lookup is not None and isinstance(value, int) and 1 <= value <= MAX_ID:
            lookup(user, value)


class TokenAuth(AuthBase):
    openapi_type = "apiKey"
    openapi_in = "header"
    openapi_name = "Authorization"
    openapi_description = "Token <令牌>（由 POST /auth/token、POST /tokens 或 manage.py api_token 获得）"

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        scheme, _, token = header.strip().partition(" ")
        found = authenticate_token(token.strip()) if scheme.lower() == "token" else None
        if found is None:
            raise invalid_token()
        user, row = found
        request.user = user
        request.api_token = row
        check_path_objects(request, user)
        return user


class SessionAuth(AuthBase):
    openapi_type = "apiKey"
    openapi_in = "cookie"
    openapi_name = "sessionid"
    openapi_description = "网页登录会话；写操作须带 X-CSRFToken 请求头"

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and check_csrf(request) is not None:
            raise ApiError(403, "csrf_failed", "CSRF 校验失败，请刷新页面后重试", en="CSRF verification failed")
        request.api_token = None
        check_path_objects(request, user)
        return user


AUTH = [TokenAuth(), SessionAuth()]
