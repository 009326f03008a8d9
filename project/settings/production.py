"""Production: PostgreSQL, Redis broker, secure cookies. SECRET_KEY and ALLOWED_HOSTS must be set."""
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool
from .keys import secret_key_weakness

DEBUG = False
_weakness = secret_key_weakness(os.environ.get("SECRET_KEY", ""))
if _weakness:
    raise ImproperlyConfigured(
        f"SECRET_KEY must be set in production to a strong random value: {_weakness}. "
        "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(64))'")
# Behind a TLS-terminating proxy that sets it, e.g. SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO=https".
# Unset by default: a header anyone can send must not make a plain-HTTP request count as HTTPS.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    _header, _, _value = os.environ["SECURE_PROXY_SSL_HEADER"].partition("=")
    SECURE_PROXY_SSL_HEADER = (_header.strip(), _value.strip() or "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Secure cookies behind HTTPS; SECURE_COOKIES=0 only for a plain-HTTP test deployment on loopback.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"),
    }
}
# Several app servers: sessions in the database (through the shared Redis cache), static files hashed and
# compressed by WhiteNoise at collectstatic, background jobs on the Celery worker.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
WHITENOISE_USE_FINDERS = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}  # noqa: F405
SHENFA = {**SHENFA, "JOBS_BACKEND": os.environ.get("JOBS_BACKEND", "celery")}  # noqa: F405
