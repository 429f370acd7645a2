"""Django settings: everything variable comes from :mod:`chuangcheng.config`."""

from __future__ import annotations

import hashlib
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from chuangcheng import config

try:
    ENV = config.load()
except config.ConfigError as exc:  # stop start-up loudly, naming the variable
    sys.stderr.write(f"chuangcheng: configuration error: {exc}\n")
    raise SystemExit(2) from exc

BASE_DIR = config.BASE_DIR
VAR_DIR = Path(config.PROJECT_DIR / "var")
TESTING = "pytest" in sys.modules

DEBUG: bool = bool(ENV["DEBUG"])
_secret = ENV["SECRET_KEY"]
if not _secret:
    if not (DEBUG or TESTING or "runserver" in sys.argv):
        sys.stderr.write("chuangcheng: configuration error: SECRET_KEY is required\n")
        raise SystemExit(2)
    _secret = "dev-only-insecure-key-" + hashlib.sha256(str(BASE_DIR).encode()).hexdigest()
SECRET_KEY: str = str(_secret)
FIELD_ENCRYPTION_KEY: str = str(ENV["FIELD_ENCRYPTION_KEY"] or SECRET_KEY)
ALLOWED_HOSTS: list[str] = list(ENV["ALLOWED_HOSTS"])  # type: ignore[call-overload]
if TESTING:
    ALLOWED_HOSTS += ["testserver", "localhost", "127.0.0.1"]
CSRF_TRUSTED_ORIGINS: list[str] = list(ENV["CSRF_TRUSTED_ORIGINS"])  # type: ignore[call-overload]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks_db",
    "chuangcheng.core",
    "chuangcheng.accounts",
    "chuangcheng.orgs",
    "chuangcheng.frameworks",
    "chuangcheng.points",
    "chuangcheng.cases",
    "chuangcheng.open311",
    "chuangcheng.inspections",
    "chuangcheng.scoring",
    "chuangcheng.appraisal",
    "chuangcheng.awards",
    "chuangcheng.alerts",
    "chuangcheng.agenda",
    "chuangcheng.surveys",
    "chuangcheng.archives",
    "chuangcheng.practice",
    "chuangcheng.command",
    "chuangcheng.demo",
]

MIDDLEWARE = [
    "chuangcheng.core.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "chuangcheng.core.ratelimit.RateLimitMiddleware",
    "chuangcheng.accounts.middleware.IdleTimeoutMiddleware",
    "chuangcheng.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "chuangcheng.core.middleware.AuditContextMiddleware",
    "chuangcheng.core.export_audit.ExportAuditMiddleware",
]

ROOT_URLCONF = "chuangcheng.urls"
WSGI_APPLICATION = "chuangcheng.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chuangcheng.command.navigation.navigation",
            ],
        },
    },
]

_db = ENV["DATABASE_URL"] or {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": str(VAR_DIR / "chuangcheng.sqlite3"),
}
DATABASES: dict[str, dict[str, Any]] = {"default": dict(_db)}  # type: ignore[call-overload]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web process and the task worker read and write at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file, not Django's in-memory default: with an in-memory database the browser
    # tests' live server shares one connection among its request threads, and two requests at
    # once (a page and its htmx fetch) then corrupt each other's queries.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    # Each database gets its own test database, so runs against different databases (parallel
    # checkouts) never collide; the shared "test" database of CI machines maps to a clear name.
    _db_name = str(DATABASES["default"].get("NAME", ""))
    DATABASES["default"]["TEST"] = {
        "NAME": "test_chuangcheng" if _db_name in ("", "test") else f"test_{_db_name}"
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "chuangcheng.accounts.backends.LockoutModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create hundreds of users.
    PASSWORD_HASHERS.insert(0, "django.contrib.auth.hashers.MD5PasswordHasher")
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "chuangcheng.accounts.passwords.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "chuangcheng.accounts.passwords.PasswordHistoryValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "command:home"
LOGOUT_REDIRECT_URL = "accounts:login"
LOGIN_LOCK_FAILURES: int = int(ENV["LOGIN_LOCK_FAILURES"])  # type: ignore[call-overload]
LOGIN_LOCK_MINUTES: int = int(ENV["LOGIN_LOCK_MINUTES"])  # type: ignore[call-overload]
PASSWORD_MAX_AGE_DAYS: int = int(ENV["PASSWORD_MAX_AGE_DAYS"])  # type: ignore[call-overload]
MFA_REQUIRED_ROLES: tuple[str, ...] = tuple(ENV["MFA_REQUIRED_ROLES"])  # type: ignore[arg-type]
SESSION_IDLE_MINUTES: int = int(ENV["SESSION_IDLE_MINUTES"])  # type: ignore[call-overload]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 3600

LANGUAGE_CODE: str = str(ENV["LANGUAGE_CODE"])
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE: str = str(ENV["TIME_ZONE"])
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(str(ENV["STATIC_ROOT"] or VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(str(ENV["MEDIA_ROOT"] or VAR_DIR / "media"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PHOTO_MAX_BYTES = int(str(ENV["PHOTO_MAX_MB"])) * 1024 * 1024
CASE_DUPLICATE_METRES: int = int(ENV["CASE_DUPLICATE_METRES"])  # type: ignore[call-overload]
CASE_DUPLICATE_DAYS: int = int(ENV["CASE_DUPLICATE_DAYS"])  # type: ignore[call-overload]
CASE_RECURRENCE_COUNT: int = int(ENV["CASE_RECURRENCE_COUNT"])  # type: ignore[call-overload]
CASE_RECURRENCE_DAYS: int = int(ENV["CASE_RECURRENCE_DAYS"])  # type: ignore[call-overload]
PRIVACY_NOTICE_VERSION: str = str(ENV["PRIVACY_NOTICE_VERSION"])
CLASSIFIER_MIN_CASES = int(str(ENV["CLASSIFIER_MIN_CASES"]))

MAP_TILE_URL: str = str(ENV["MAP_TILE_URL"])
MAP_TIANDITU_KEY: str = str(ENV["MAP_TIANDITU_KEY"])
DEMO_PASSWORD: str = str(ENV["CHUANGCHENG_DEMO_PASSWORD"])
OPEN311_JURISDICTION: str = str(ENV["OPEN311_JURISDICTION"])
OPEN311_RATE_LIMIT: int = int(ENV["OPEN311_RATE_LIMIT"])  # type: ignore[call-overload]
OPEN311_CONTACT: str = str(ENV["OPEN311_CONTACT"])

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if TESTING:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# Notifications and outbound messages (docs/adr/0006).
CASE_REMINDER_HOURS: int = int(ENV["CASE_REMINDER_HOURS"])  # type: ignore[call-overload]
# Scoring trends: the three-year weighted average, oldest year first (docs/guide/score-analysis.md).
SCORE_TREND_WEIGHTS: tuple[Decimal, Decimal, Decimal] = ENV["SCORE_TREND_WEIGHTS"]  # type: ignore[assignment]
# The big screen (docs/adr/0010): refresh interval, longest validity of a read-only link.
SCREEN_REFRESH_SECONDS: int = int(ENV["SCREEN_REFRESH_SECONDS"])  # type: ignore[call-overload]
SCREEN_LINK_MAX_DAYS: int = int(ENV["SCREEN_LINK_MAX_DAYS"])  # type: ignore[call-overload]
SMS_BACKEND: str = str(ENV["SMS_BACKEND"])
SMS_GATEWAY_URL: str = str(ENV["SMS_GATEWAY_URL"])
SMS_GATEWAY_TOKEN: str = str(ENV["SMS_GATEWAY_TOKEN"])
SMS_SIGN_NAME: str = str(ENV["SMS_SIGN_NAME"])
SMS_TEMPLATE_OVERDUE: str = str(ENV["SMS_TEMPLATE_OVERDUE"])
SMS_TEMPLATE_WARNING: str = str(ENV["SMS_TEMPLATE_WARNING"])
# Warnings (主动预警, docs/adr/0010): how often the rules are evaluated; the site's address for
# links in group-robot messages.
ALERTS_EVALUATE_MINUTES: int = int(ENV["ALERTS_EVALUATE_MINUTES"])  # type: ignore[call-overload]
SITE_URL: str = str(ENV["SITE_URL"])
SMS_TEMPLATE_AGENDA: str = str(ENV["SMS_TEMPLATE_AGENDA"])
# The calendar's unit tasks (docs/guide/calendar.md).
AGENDA_DAYS_AHEAD: int = int(ENV["AGENDA_DAYS_AHEAD"])  # type: ignore[call-overload]
AGENDA_DIGEST_HOUR: int = int(ENV["AGENDA_DIGEST_HOUR"])  # type: ignore[call-overload]
# The audit log keeps entries this many days (at least 180; docs/adr/0014).
AUDIT_RETENTION_DAYS: int = int(ENV["AUDIT_RETENTION_DAYS"])  # type: ignore[call-overload]
# Archive files (docs/adr/0012): a private storage outside MEDIA_ROOT, served only through
# permission-checked views.
ARCHIVES_MAX_UPLOAD_BYTES = int(str(ENV["ARCHIVES_MAX_UPLOAD_MB"])) * 1024 * 1024
ARCHIVES_ROOT = Path(str(ENV["ARCHIVES_ROOT"] or VAR_DIR / "archives"))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "archives": {
        "BACKEND": "chuangcheng.archives.storage.PrivateStorage",
        "OPTIONS": {"location": str(ARCHIVES_ROOT)},
    },
}
# Surveys (docs/adr/0011): responses one address may start per survey per hour (public link).
SURVEY_RATE_LIMIT: int = int(ENV["SURVEY_RATE_LIMIT"])  # type: ignore[call-overload]
# Practice service orders (docs/adr/0013): flag limits in hours, public orders per address per hour.
PRACTICE_ACCEPT_HOURS: int = int(ENV["PRACTICE_ACCEPT_HOURS"])  # type: ignore[call-overload]
PRACTICE_FINISH_HOURS: int = int(ENV["PRACTICE_FINISH_HOURS"])  # type: ignore[call-overload]
PRACTICE_ORDER_RATE_LIMIT: int = int(ENV["PRACTICE_ORDER_RATE_LIMIT"])  # type: ignore[call-overload]
PRACTICE_WISH_RATE_LIMIT: int = int(ENV["PRACTICE_WISH_RATE_LIMIT"])  # type: ignore[call-overload]
# E-mail goes out only when an SMTP server is configured (Django 6.1 ``MAILERS``).
EMAIL_ENABLED = bool(ENV["EMAIL_HOST"])
MAILERS: dict[str, dict[str, Any]] = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": str(ENV["EMAIL_HOST"]),
                "port": ENV["EMAIL_PORT"],
                "username": str(ENV["EMAIL_HOST_USER"]),
                "password": str(ENV["EMAIL_HOST_PASSWORD"]),
                "use_tls": bool(ENV["EMAIL_USE_TLS"]),
                "use_ssl": bool(ENV["EMAIL_USE_SSL"]),
                "timeout": 20,
            },
        }
        if EMAIL_ENABLED
        else {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL: str = str(ENV["DEFAULT_FROM_EMAIL"])

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Web hardening (等保 2.0 level 3; docs/adr/0014-security.md, docs/guide/security-web.md).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS: said outright, or implied by an https:// SITE_URL.
HTTPS: bool = bool(ENV["HTTPS"]) if ENV["HTTPS"] is not None else SITE_URL.startswith("https://")
TRUSTED_PROXY: bool = bool(ENV["TRUSTED_PROXY"])
if TRUSTED_PROXY:
    # Only behind a proxy that overwrites the header: otherwise a client could claim https.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT: bool = HTTPS and bool(ENV["HTTPS_REDIRECT"])
SECURE_HSTS_SECONDS: int = int(ENV["HSTS_SECONDS"]) if HTTPS else 0  # type: ignore[call-overload]
SECURE_HSTS_INCLUDE_SUBDOMAINS: bool = bool(ENV["HSTS_INCLUDE_SUBDOMAINS"])
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# Pages hand the CSRF token to scripts through the form field and <body hx-headers>, never
# through the cookie, so the cookie can be hidden from scripts too.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
if HTTPS:
    # __Host- cookies are refused by browsers unless Secure, host-only and Path=/.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
# Content security policy: scripts only from our own static files (no inline script, no eval).
# Style attributes stay allowed (style-src-attr) because ECharts' tooltips and the map's
# cluster and legend markers are HTML strings with computed colours and sizes; our templates
# carry none (tests/core/test_templates_csp.py). Map tiles come from the configured host.
_TILE_HOSTS = {
    "tianditu": ["https://*.tianditu.gov.cn"],
    "amap": ["https://*.is.autonavi.com"],
}
if MAP_TILE_URL.startswith(("http://", "https://")):
    _parts = MAP_TILE_URL.split("/", 3)
    _tiles = [_parts[0] + "//" + _parts[2].replace("{s}", "*")]
else:
    _tiles = _TILE_HOSTS.get(MAP_TILE_URL, [])
_CSP_POLICY: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:", *_tiles],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
if ENV["CSP_REPORT_ONLY"]:
    SECURE_CSP_REPORT_ONLY = _CSP_POLICY
else:
    SECURE_CSP = _CSP_POLICY
# Requests per network address: (count, window in seconds); core/ratelimit.py.
LOGIN_RATE_LIMIT: tuple[int, int] = ENV["LOGIN_RATE_LIMIT"]  # type: ignore[assignment]
PUBLIC_RATE_LIMIT: tuple[int, int] = ENV["PUBLIC_RATE_LIMIT"]  # type: ignore[assignment]

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"chuangcheng": {"level": "INFO"}},
}
