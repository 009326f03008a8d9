"""App tunables: one namespaced dict, settings.SHENFA, read only through shenfa_setting()."""
from django.conf import settings

DEFAULTS = {
    # 索引号 period: "year" -> 2026, "month" -> 202611 (DOMAIN.md: both seen in use).
    "INDEX_PERIOD_FORMAT": "year",
    "INDEX_SERIAL_DIGITS": 5,
    # Allow one person to do two of the three reviews (never the drafter). Policies may override.
    "ALLOW_SAME_REVIEWER": False,
    # 三校 by three different proofreaders, and nobody reviews a text they changed (workflow.permissions);
    # the default policy's relaxations (a ReviewPolicy row sets its own).
    "ALLOW_SAME_PROOFREADER": False,
    "ALLOW_PROOFREADER_REVIEW": False,
    # Attachments
    "ATTACHMENT_MAX_BYTES": 20 * 1024 * 1024,
    "ATTACHMENT_EXTENSIONS": [
        ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".csv", ".txt", ".ofd", ".wps", ".et",
        ".jpg", ".jpeg", ".png", ".zip",
    ],
    # 条例 Art. 26: proactive information within 20 working days of being formed or changed.
    "PROACTIVE_DISCLOSURE_WORKING_DAYS": 20,
    # 条例 Art. 33: national 20 working days; some localities use 15 (seed 002).
    "REQUEST_REPLY_WORKING_DAYS": 20,
    "REQUEST_EXTENSION_WORKING_DAYS": 20,
    "REQUEST_SUPPLEMENT_WORKING_DAYS": 7,
    "REQUEST_CONSULTATION_WORKING_DAYS": 15,
    "FEE_PAYMENT_WORKING_DAYS": 20,
    # Remind request handlers when a reply is due within this many working days (and when overdue).
    "REQUEST_REMIND_WORKING_DAYS": 3,
    # Default days between cleanup reviews of a published item (per-category policy overrides).
    "CLEANUP_INTERVAL_DAYS": 365,
    # Inbox: an open review task older than this many days is highlighted as overdue.
    "TASK_OVERDUE_DAYS": 3,
    # API tokens (api.tokens) live this many days from issue; 0 = no limit. Lowering it also shortens the
    # tokens already issued; a password change, a revocation or log-out (for session tokens) ends them earlier.
    "API_TOKEN_MAX_AGE_DAYS": 7,
    # Log-in throttling (core.throttle): failures per user name and address before that address is locked
    # for LOGIN_LOCK_MINUTES. Failures per user name from everywhere beyond LOGIN_GLOBAL_FAILURES slow every
    # address the user has not logged in from before to one attempt per LOGIN_BACKOFF_SECONDS; an address
    # the user logged in from in the last LOGIN_KNOWN_ADDRESS_DAYS is never slowed by others' failures.
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCK_MINUTES": 15,
    "LOGIN_GLOBAL_FAILURES": 20,
    "LOGIN_BACKOFF_SECONDS": 60,
    "LOGIN_KNOWN_ADDRESS_DAYS": 30,
    # Reverse proxies whose X-Forwarded-For is believed (addresses or networks, e.g. ["10.0.0.0/8"]).
    # Empty: the header is ignored and REMOTE_ADDR is the client (core.context.client_ip).
    "TRUSTED_PROXIES": [],
    # Online applications (在线申请) on /gk/apply/: abuse limits per client address and per identity number
    # (per day), status queries per address (per hour), size of the identity document.
    "ONLINE_APPLY_PER_ADDRESS_PER_DAY": 20,
    "ONLINE_APPLY_PER_IDENTITY_PER_DAY": 10,
    "ONLINE_QUERY_PER_ADDRESS_PER_HOUR": 60,
    "ONLINE_ID_DOCUMENT_MAX_BYTES": 5 * 1024 * 1024,
    # Ledger imports (applications, appeal cases): file size, data rows and parsing time.
    "IMPORT_MAX_BYTES": 10 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 20_000,
    "IMPORT_MAX_SECONDS": 60,
    # Background jobs (core.jobs): "process" (embedded: a child process per job, started on commit),
    # "celery" (production: the Celery worker runs the same child process), "inline" (tests).
    "JOBS_BACKEND": "process",
    "JOBS_MAX_CONCURRENT": 2,
    # File that the embedded backend's worker processes write their log to ("" = discard).
    "JOBS_LOG": "",
    # Limits of the privacy pre-check of one attachment (privacy.Limits field names; {} = the defaults:
    # 60 s, 2 GB address space in the sandbox child, 100 MB files, 300,000 rows, ...).
    "SCAN_LIMITS": {},
    # Audit keys (audit.keys): HMAC-SHA256 secrets outside the database, {key id: secret}; the environment
    # (SHENFA_AUDIT_KEY, SHENFA_AUDIT_KEY_FILE, SHENFA_AUDIT_KEY_ID) adds to these. The current key signs new
    # records; older keys stay for verification.
    "AUDIT_KEYS": {},
    "AUDIT_KEY_ID": "",
    "AUDIT_KEY_FILE": "",
    # Signed checkpoints of every chain head (audit.checkpoints): appended to this file ("" = none; the
    # environment variable SHENFA_AUDIT_CHECKPOINT_FILE wins), at most every AUDIT_CHECKPOINT_MINUTES by the tick.
    "AUDIT_CHECKPOINT_FILE": "",
    "AUDIT_CHECKPOINT_MINUTES": 60,
    # verify_audit: processes verifying chains in parallel on PostgreSQL (0 = the number of CPUs).
    "AUDIT_VERIFY_WORKERS": 0,
    # Notices (notices app): the channels besides in-app (dotted paths of notices.channels.Channel classes),
    # the channels of a person who chose none yet, the webhook (SMS / 政务微信 bridge), the hour (Beijing)
    # after which daily digests go out, and the site address put in front of links in e-mails.
    "NOTICE_CHANNELS": ["notices.channels.EmailChannel", "notices.channels.WebhookChannel"],
    "NOTICE_DEFAULT_CHANNELS": ["email"],
    "NOTICE_WEBHOOK_URL": "",
    "NOTICE_WEBHOOK_TOKEN": "",
    "NOTICE_WEBHOOK_TIMEOUT": 5,
    "NOTICE_DIGEST_HOUR": 8,
    "SITE_URL": "",
}


def shenfa_setting(name):
    """Return the tunable `name`, from settings.SHENFA or the default."""
    if name not in DEFAULTS:
        raise KeyError(f"Unknown Shenfa setting {name!r}")
    return getattr(settings, "SHENFA", {}).get(name, DEFAULTS[name])
