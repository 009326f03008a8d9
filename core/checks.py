"""System checks of the floor's settings (proxies)."""
import ipaddress

from django.core.checks import Error, register

from .conf import shenfa_setting


@register()
def check_trusted_proxies(app_configs, **kwargs):
    """SHENFA["TRUSTED_PROXIES"] must be a list of addresses or networks."""
    entries = shenfa_setting("TRUSTED_PROXIES")
    if isinstance(entries, str) or not isinstance(entries, (list, tuple)):
        return [Error("SHENFA['TRUSTED_PROXIES'] must be a list of addresses or networks",
                      hint='e.g. ["10.0.0.5", "172.16.0.0/12"], or the TRUSTED_PROXIES environment variable',
                      id="core.E001")]
    errors = []
    for entry in entries:
        try:
            ipaddress.ip_network(str(entry).strip(), strict=False)
        except ValueError:
            errors.append(Error(f"SHENFA['TRUSTED_PROXIES'] entry {entry!r} is not an address or network",
                                id="core.E002"))
    return errors
