"""Log-in throttling. Counters live in the cache (Redis in production, so every app server sees the same).

  * per user name and address: LOGIN_MAX_FAILURES failures lock that address out for LOGIN_LOCK_MINUTES;
  * per user name from everywhere: beyond LOGIN_GLOBAL_FAILURES failures, an address the user has not
    logged in from recently gets one attempt per LOGIN_BACKOFF_SECONDS (a slow global back-off, so a guesser
    with many addresses stays slow), while an address the user did log in from is never slowed by failures
    made elsewhere. Nobody can lock another person out of their usual address by failing on purpose.

The address is core.context.client_ip: X-Forwarded-For counts only from configured proxies."""
import hashlib
import time

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from core.conf import shenfa_setting
from core.context import client_ip


def _digest(text: str) -> str:
    """Cache keys carry a digest, never what a stranger typed (any length, any character, memcached-safe)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _name(username):
    return _digest((username or "").strip().lower()[:150])


def _keys(username, ip):
    name = _name(username)
    return f"shenfa:login:{name}:{ip or '-'}", f"shenfa:login:{name}:*"


def _last_failure_key(username):
    return f"shenfa:login-last:{_name(username)}"


def _known_key(username, ip):
    return f"shenfa:login-ok:{_name(username)}:{ip or '-'}"


def is_locked(username, ip) -> bool:
    """True if an attempt for `username` from `ip` is refused now (reads only; changes no counter)."""
    per_ip, anywhere = _keys(username, ip)
    if cache.get(per_ip, 0) >= shenfa_setting("LOGIN_MAX_FAILURES"):
        return True
    if cache.get(anywhere, 0) < shenfa_setting("LOGIN_GLOBAL_FAILURES") or cache.get(_known_key(username, ip)):
        return False
    last = cache.get(_last_failure_key(username))
    return last is not None and time.time() - last < shenfa_setting("LOGIN_BACKOFF_SECONDS")


def register_failure(username, ip):
    ttl = shenfa_setting("LOGIN_LOCK_MINUTES") * 60
    for key in _keys(username, ip):
        if not cache.add(key, 1, ttl):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, ttl)
    cache.set(_last_failure_key(username), time.time(), ttl)


def register_success(username, ip):
    """A correct password: this address's failures are forgotten and the address becomes known. The global
    count stays (a guesser elsewhere is still slowed), but no longer touches this address."""
    cache.delete(_keys(username, ip)[0])
    cache.set(_known_key(username, ip), 1, shenfa_setting("LOGIN_KNOWN_ADDRESS_DAYS") * 86400)


def locked_message():
    return f"登录失败次数过多，请 {shenfa_setting('LOGIN_LOCK_MINUTES')} 分钟后再试"


class ThrottledModelBackend(ModelBackend):
    """ModelBackend that refuses (even correct) passwords while the user name is locked for this address."""

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
            register_success(username, ip)
        return user


def allow(scope: str, key: str, *, limit: int, seconds: int) -> bool:
    """Count one more event of `scope` for `key` in a window of `seconds`; False once `limit` is passed.

    Used for public forms (online applications per address and per identity, status queries)."""
    cache_key = f"shenfa:rate:{scope}:{_digest(key or '-')}"
    if cache.add(cache_key, 1, seconds):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, seconds)
        count = 1
    return count <= limit
