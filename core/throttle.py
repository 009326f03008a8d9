"""Log-in throttling: after too many failed attempts for a user name (from one address, or from anywhere),
further attempts are refused for a while. Counters live in the cache (Redis in production, so every app
server sees the same counts)."""
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from core.conf import shenfa_setting
from core.context import client_ip


def _keys(username, ip):
    name = (username or "").strip().lower()[:150]
    return f"shenfa:login:{name}:{ip or '-'}", f"shenfa:login:{name}:*"


def is_locked(username, ip) -> bool:
    per_ip, anywhere = _keys(username, ip)
    limit = shenfa_setting("LOGIN_MAX_FAILURES")
    return cache.get(per_ip, 0) >= limit or cache.get(anywhere, 0) >= limit * 4


def register_failure(username, ip):
    ttl = shenfa_setting("LOGIN_LOCK_MINUTES") * 60
    for key in _keys(username, ip):
        if not cache.add(key, 1, ttl):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, ttl)


def clear(username, ip):
    cache.delete_many(list(_keys(username, ip)))


def locked_message():
    return f"登录失败次数过多，请 {shenfa_setting('LOGIN_LOCK_MINUTES')} 分钟后再试"


class ThrottledModelBackend(ModelBackend):
    """ModelBackend that refuses (even correct) passwords while the user name is locked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        ip = client_ip(request) if request is not None else None
        if username is None:
            username = kwargs.get("username")
        if is_locked(username, ip):
            raise PermissionDenied(locked_message())
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            register_failure(username, ip)
        else:
            clear(username, ip)
        return user


def allow(scope: str, key: str, *, limit: int, seconds: int) -> bool:
    """Count one more event of `scope` for `key` in a window of `seconds`; False once `limit` is passed.

    Used for public forms (online applications per address and per identity, status queries)."""
    cache_key = f"shenfa:rate:{scope}:{key or '-'}"[:240]
    if cache.add(cache_key, 1, seconds):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, seconds)
        count = 1
    return count <= limit
