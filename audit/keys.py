"""The audit keys: HMAC secrets that never live in the database.

Sources, merged in this order (a later source wins for the same key id):
  1. settings.SHENFA["AUDIT_KEYS"]  {key id: secret}  (the test settings and the dev settings set one)
  2. the key file named by the environment variable SHENFA_AUDIT_KEY_FILE or SHENFA["AUDIT_KEY_FILE"]:
     one key a line, "<key id> <secret>", "#" starts a comment
  3. the environment variable SHENFA_AUDIT_KEY: "<key id>:<secret>", several separated by ","

New records and checkpoints use the current key: SHENFA_AUDIT_KEY_ID (environment) or SHENFA["AUDIT_KEY_ID"],
else the last key listed. Old keys stay in the ring so that older records still verify (rotation: add the new
key, make it current, keep the old one). Each record stores the id of the key that signed it."""
import os
import re
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from core.conf import shenfa_setting

KEY_ID_RE = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
MIN_SECRET_BYTES = 16


class Keyring:
    def __init__(self, keys: dict[str, bytes], current: str):
        self.keys = keys
        self.current = current

    def get(self, key_id: str) -> bytes | None:
        return self.keys.get(key_id)

    def current_key(self) -> tuple[str, bytes]:
        if not self.current:
            raise ImproperlyConfigured(
                "No audit key: set SHENFA_AUDIT_KEY=<id>:<secret> or SHENFA_AUDIT_KEY_FILE (see docs/notes-h-audit.md)")
        return self.current, self.keys[self.current]


def _add(keys: dict, order: list, key_id: str, secret: str, source: str):
    key_id, secret = key_id.strip(), secret.strip()
    if not KEY_ID_RE.match(key_id):
        raise ImproperlyConfigured(f"Audit key id {key_id!r} in {source}: use 1-32 letters, digits, '_', '.', '-'")
    if len(secret.encode()) < MIN_SECRET_BYTES:
        raise ImproperlyConfigured(f"Audit key {key_id!r} in {source} is shorter than {MIN_SECRET_BYTES} bytes")
    keys[key_id] = secret.encode()
    if key_id in order:
        order.remove(key_id)
    order.append(key_id)


@cache
def keyring() -> Keyring:
    """The configured keys (cached; reloaded when settings change in tests)."""
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for key_id, secret in (shenfa_setting("AUDIT_KEYS") or {}).items():
        _add(keys, order, key_id, secret, "SHENFA['AUDIT_KEYS']")
    path = os.environ.get("SHENFA_AUDIT_KEY_FILE") or shenfa_setting("AUDIT_KEY_FILE")
    if path:
        try:
            with open(path, encoding="utf-8") as fh:
                lines = fh.read().splitlines()
        except OSError as exc:
            raise ImproperlyConfigured(f"Audit key file {path}: {exc}") from exc
        for n, line in enumerate(lines, start=1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split(None, 1)
            if len(parts) != 2:
                raise ImproperlyConfigured(f"Audit key file {path}, line {n}: expected '<key id> <secret>'")
            _add(keys, order, parts[0], parts[1], f"{path}:{n}")
    for entry in filter(None, (os.environ.get("SHENFA_AUDIT_KEY") or "").split(",")):
        key_id, sep, secret = entry.partition(":")
        if not sep:
            raise ImproperlyConfigured("SHENFA_AUDIT_KEY: expected '<key id>:<secret>'")
        _add(keys, order, key_id, secret, "SHENFA_AUDIT_KEY")
    current = os.environ.get("SHENFA_AUDIT_KEY_ID") or shenfa_setting("AUDIT_KEY_ID") or (order[-1] if order else "")
    if current and current not in keys:
        raise ImproperlyConfigured(f"The current audit key {current!r} is not among the configured keys")
    return Keyring(keys, current)


@receiver(setting_changed)
def _reset(**kwargs):
    if kwargs.get("setting") == "SHENFA":
        keyring.cache_clear()
