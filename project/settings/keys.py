"""Strength of SECRET_KEY (read by the production settings before Django starts, so no Django imports).

A key is strong enough when it is long (>= 50 characters, Django's own deploy check), not one of the known
development keys, and its characters carry enough information: the Shannon entropy of its character
distribution times its length must reach 200 bits (a random 50-character key from Django's generator has
about 260; "x" * 60 has 0, a repeated short pattern little)."""
import math
from collections import Counter

MIN_LENGTH = 50
MIN_BITS = 200
KNOWN_WEAK_PREFIXES = ("dev-", "django-insecure", "changeme", "change-me", "secret")


def estimated_bits(key: str) -> float:
    if not key:
        return 0.0
    counts = Counter(key)
    n = len(key)
    per_char = -sum(c / n * math.log2(c / n) for c in counts.values())
    return per_char * n


def secret_key_weakness(key: str | None) -> str | None:
    """None for a strong key, else why it is weak (English, for the operator's log)."""
    if not key:
        return "it is not set"
    if key.lower().startswith(KNOWN_WEAK_PREFIXES):
        return "it is a development or placeholder key"
    if len(key) < MIN_LENGTH:
        return f"it has {len(key)} characters (at least {MIN_LENGTH} required)"
    bits = estimated_bits(key)
    if bits < MIN_BITS:
        return f"it looks too regular (about {bits:.0f} bits of entropy, at least {MIN_BITS} required)"
    return None
