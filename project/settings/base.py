"""Settings shared by every environment; values come from environment variables.

Environment variables:
  DATABASE_URL    sqlite:///path or postgres://user@host:port/db (default: SQLite file db.sqlite3)
  SECRET_KEY      required in production: at least 50 random characters (project/settings/keys.py)
  TRUSTED_PROXIES comma-separated addresses/networks of the reverse proxies whose X-Forwarded-For is
                  believed (default none: the header is ignored)
  SECURE_PROXY_SSL_HEADER  production only, e.g. HTTP_X_FORWARDED_PROTO=https when the TLS proxy sets it
  DEBUG           "1"/"true" to enable
  ALLOWED_HOSTS   comma-separated host names
  TIME_ZONE       default Asia/Shanghai
  CELERY_BROKER_URL  default redis://127.0.0.1:6379/0
  S3_BUCKET       when set, attachments and generated files go to S3-compatible object storage
                  (S3_ENDPOINT_URL, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY), shared by every server
"""
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-insecure-shenfa-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "project.apps.ShenfaStaticFilesConfig",  # django.contrib.staticfiles
    "django.contrib.humanize",
    "viewflow",
    "viewflow.workflow",
    "django_prose_editor",  # the body editor (ProseMirror); its static files are served by WhiteNoise
    # the layers, floor first (pyproject.toml [tool.importlinter] checks that imports only point down)
    "core",
    "audit",
    "notices",
    "workflow",
    "publishing",
    "disclosure",
    "reports",
    "web",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files from the app server itself (no shared disk)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.RequestContextMiddleware",
    "web.errors.EngineErrorMiddleware",
]

ROOT_URLCONF = "project.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "project.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web process and `manage.py tick` share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves collected files in production; elsewhere (demo, tests) straight from the finders.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# Files (attachments, job results): the local disk for one server; S3-compatible object storage, shared by
# every app server and worker, when S3_BUCKET is set. Files are always served through the app's views (which
# check permissions), never by a public URL.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "location": os.environ.get("S3_PREFIX", "shenfa"),
        },
    }

# Paths, not names: the log-in views live in the namespaced "workflow" URLconf.
AUTHENTICATION_BACKENDS = ["core.throttle.ThrottledModelBackend"]

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# Attachments: hard cap for one upload (the app limit is SHENFA["ATTACHMENT_MAX_BYTES"]).
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Every upload (web form and API) is counted while it streams and dropped at the limit + 1 byte.
FILE_UPLOAD_HANDLERS = [
    "core.uploads.SkippingSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "shenfa")
CELERY_BEAT_SCHEDULE = {
    "shenfa-tick": {"task": "core.tasks.tick", "schedule": 60.0},
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# App tunables: read them through core.conf.shenfa_setting(name), never directly.
SHENFA = {}
# Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or networks; default none).
if os.environ.get("TRUSTED_PROXIES"):
    SHENFA["TRUSTED_PROXIES"] = env_list("TRUSTED_PROXIES")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
# Signed audit checkpoints (audit.checkpoints) also go to a remote syslog when SHENFA_AUDIT_SYSLOG=host:port is set.
if os.environ.get("SHENFA_AUDIT_SYSLOG"):
    _host, _, _port = os.environ["SHENFA_AUDIT_SYSLOG"].rpartition(":")
    LOGGING["handlers"]["audit_syslog"] = {"class": "logging.handlers.SysLogHandler",
                                           "address": (_host, int(_port)), "facility": "local4"}
    LOGGING["loggers"] = {"shenfa.audit.checkpoint": {"handlers": ["audit_syslog", "console"], "level": "INFO",
                                                      "propagate": False}}
