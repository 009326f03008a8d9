"""Per-request context (client IP) that actions record without views passing it around.

The client address is REMOTE_ADDR, unless the request came from a configured reverse proxy
(SHENFA["TRUSTED_PROXIES"], addresses or networks; empty by default): then X-Forwarded-For is read from
the right, skipping the trusted proxies, and the first address that is not one of them is the client. A
forwarded header from anyone else is ignored, so nobody can choose the address the audit trail and the
log-in throttle see."""
import contextvars
import ipaddress
from functools import lru_cache

from core.conf import shenfa_setting

request_ip = contextvars.ContextVar("shenfa_request_ip", default=None)
MAX_FORWARDED_HOPS = 20


@lru_cache(maxsize=16)
def _networks(entries: tuple) -> tuple:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def trusted_networks():
    """The configured proxies as ip_network objects (invalid entries are refused by the system check)."""
    return _networks(tuple(shenfa_setting("TRUSTED_PROXIES")))


def parse_ip(value):
    """The address in `value` (an IPv4 or IPv6 literal, optionally with a port for IPv4), or None."""
    value = (value or "").strip()
    if value.count(":") == 1 and "." in value:  # 1.2.3.4:5678
        value = value.split(":", 1)[0]
    value = value.strip("[]")
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def is_trusted_proxy(address) -> bool:
    return address is not None and any(address in net for net in trusted_networks())


def client_ip(request):
    """The client's address as a string (at most 45 characters), or None."""
    remote = parse_ip(request.META.get("REMOTE_ADDR"))
    if remote is None:
        return None
    if not is_trusted_proxy(remote):
        return str(remote)
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops[-MAX_FORWARDED_HOPS:]):
        address = parse_ip(hop)
        if address is None:
            break  # a malformed hop: trust nothing to its left
        if not is_trusted_proxy(address):
            return str(address)
    return str(remote)
