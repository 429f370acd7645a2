"""The typed table of every setting read from the environment.

Configuration comes only from environment variables (and ``NAME_FILE`` for secrets, so
container secrets and systemd credentials work). A bad value stops start-up with a message
that names the variable, because a silently ignored setting is worse than a refusal.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


class ConfigError(Exception):
    """A setting has a value that cannot be used; the message names the variable."""


def _read(env: Mapping[str, str], name: str) -> str | None:
    file_name = env.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{name}_FILE: cannot read {file_name!r}: {exc.strerror}") from exc
    value = env.get(name)
    return value if value not in (None, "") else None


def _as_bool(name: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}: expected true/false, got {raw!r}")


def _as_int(name: str, raw: str, minimum: int = 0) -> int:
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}: expected a whole number, got {raw!r}") from exc
    if value < minimum:
        raise ConfigError(f"{name}: must be at least {minimum}, got {value}")
    return value


def _parse_roles(name: str, raw: str) -> tuple[str, ...]:
    known = {
        "leader",
        "office",
        "unit",
        "inspector",
        "supervisor",
        "volunteer",
        "resident",
        "auditor",
        "sysadmin",
        "secadmin",
    }
    if raw.strip().lower() == "none":
        return ()
    roles = tuple(r.strip() for r in raw.split(",") if r.strip())
    unknown = sorted(set(roles) - known)
    if unknown:
        raise ConfigError(f"{name}: unknown role(s) {', '.join(unknown)}")
    return roles


def _as_hour(name: str, raw: str) -> int:
    value = _as_int(name, raw, 0)
    if value > 23:
        raise ConfigError(f"{name}: must be an hour from 0 to 23, got {value}")
    return value


def parse_database_url(name: str, raw: str) -> dict[str, object]:
    """Turn ``sqlite:///path`` or ``postgres://user:pw@host:port/db`` into Django's dict."""
    parsed = urlparse(raw)
    if parsed.scheme == "sqlite":
        # As in dj-database-url: sqlite:///rel/path is relative, sqlite:////abs/path absolute.
        path = unquote(parsed.path)[1:]
        if not path:
            raise ConfigError(
                f"{name}: sqlite URL needs a file path, e.g. sqlite:///var/cc.sqlite3"
            )
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        if not parsed.path.strip("/"):
            raise ConfigError(f"{name}: PostgreSQL URL needs a database name")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
        }
    raise ConfigError(
        f"{name}: unsupported scheme {parsed.scheme!r}; use sqlite:///path or postgres://…"
    )


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, default, meaning and parser."""

    name: str
    default: str | None
    help: str
    secret: bool = False
    parse: Callable[[str, str], object] = field(default=lambda _name, raw: raw)


def _parse_hosts(_name: str, raw: str) -> list[str]:
    return [h.strip() for h in raw.split(",") if h.strip()]


def _parse_tile_url(name: str, raw: str) -> str:
    if raw in {"", "tianditu", "amap"}:
        return raw
    if not raw.startswith(("http://", "https://", "/")) or "{z}" not in raw:
        raise ConfigError(
            f"{name}: expected 'tianditu', 'amap' or a tile URL containing {{z}}/{{x}}/{{y}}"
        )
    return raw


def _parse_sms_backend(name: str, raw: str) -> str:
    if raw not in {"outbox", "log", "http"}:
        raise ConfigError(f"{name}: expected outbox, log or http, got {raw!r}")
    return raw


def _parse_http_url(name: str, raw: str) -> str:
    if raw and not raw.startswith(("http://", "https://")):
        raise ConfigError(f"{name}: expected an http:// or https:// URL, got {raw!r}")
    return raw


def _parse_rate(name: str, raw: str) -> tuple[int, int]:
    """``N/WINDOW`` with the window in seconds, minutes or hours: ``20/10m`` → (20, 600)."""
    count, _, window = raw.strip().partition("/")
    units = {"s": 1, "m": 60, "h": 3600}
    try:
        number = int(count)
        seconds = int(window[:-1]) * units[window[-1]]
    except (ValueError, KeyError, IndexError) as exc:
        raise ConfigError(
            f"{name}: expected COUNT/WINDOW like 20/10m or 120/1m, got {raw!r}"
        ) from exc
    if number < 1 or seconds < 1:
        raise ConfigError(f"{name}: count and window must be at least 1, got {raw!r}")
    return number, seconds


def _parse_lang(name: str, raw: str) -> str:
    if raw not in {"zh-hans", "en"}:
        raise ConfigError(f"{name}: expected zh-hans or en, got {raw!r}")
    return raw


def _parse_trend_weights(name: str, raw: str) -> tuple[Decimal, Decimal, Decimal]:
    """Three weights, oldest year first; none negative, not all zero."""
    parts = [p.strip() for p in raw.split(",")]
    try:
        weights = [Decimal(p) for p in parts]
    except InvalidOperation as exc:
        raise ConfigError(f"{name}: expected three numbers like 0.2,0.3,0.5, got {raw!r}") from exc
    if len(weights) != 3 or any(not w.is_finite() or w < 0 for w in weights) or not sum(weights):
        raise ConfigError(
            f"{name}: expected three weights ≥ 0 (oldest year first, not all 0), got {raw!r}"
        )
    return weights[0], weights[1], weights[2]


def _parse_audit_retention(name: str, raw: str) -> int:
    # 网络安全法 art. 21 and 等保 2.0 L3 ask for logs kept at least six months.
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}: expected a whole number of days, got {raw!r}") from exc
    if value < 180:
        raise ConfigError(
            f"{name}: audit entries must be kept at least 180 days (网络安全法, 等保 2.0), "
            f"got {value}"
        )
    return value


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "AUDIT_RETENTION_DAYS",
        "180",
        "Days the audit log keeps entries; `chuangcheng audit prune` and the daily job remove "
        "older ones (at least 180).",
        parse=_parse_audit_retention,
    ),
    Setting("DEBUG", "false", "Show Django debug pages. Never in production.", parse=_as_bool),
    Setting(
        "SECRET_KEY",
        None,
        "Signs sessions and tokens. Required unless DEBUG is on (a development key is used then).",
        secret=True,
    ),
    Setting(
        "FIELD_ENCRYPTION_KEY",
        None,
        "Key for personal data at rest (phone numbers, ID numbers); any string, hashed to a key. "
        "Defaults to SECRET_KEY. Changing it makes stored personal data unreadable.",
        secret=True,
    ),
    Setting(
        "DATABASE_URL",
        None,
        "sqlite:///path or postgres://user:pw@host:port/db. "
        "Default: SQLite in var/chuangcheng.sqlite3.",
        secret=True,
        parse=parse_database_url,
    ),
    Setting(
        "ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names.", parse=_parse_hosts
    ),
    Setting(
        "CSRF_TRUSTED_ORIGINS",
        "",
        "Comma-separated origins (https://cc.example.gov.cn) when served behind a proxy.",
        parse=_parse_hosts,
    ),
    Setting("MEDIA_ROOT", None, "Directory for uploaded files. Default: var/media."),
    Setting(
        "PHOTO_MAX_MB",
        "10",
        "Largest photo accepted, in megabytes (JPEG, PNG, WebP or HEIC).",
        parse=lambda n, r: _as_int(n, r, 1),
    ),
    Setting(
        "CASE_DUPLICATE_METRES",
        "100",
        "A new report of the same category this close to an open case is offered as a duplicate.",
        parse=lambda n, r: _as_int(n, r, 1),
    ),
    Setting(
        "CASE_DUPLICATE_DAYS",
        "7",
        "Days apart within which two reports of one category can be duplicates.",
        parse=lambda n, r: _as_int(n, r, 1),
    ),
    Setting(
        "CASE_RECURRENCE_COUNT",
        "3",
        "Cases of one category at one place (counting the new one) that mark them recurring.",
        parse=lambda n, r: _as_int(n, r, 2),
    ),
    Setting(
        "CASE_RECURRENCE_DAYS",
        "90",
        "Window in days for counting recurring cases (CASE_RECURRENCE_COUNT).",
        parse=lambda n, r: _as_int(n, r, 1),
    ),
    Setting(
        "PRIVACY_NOTICE_VERSION",
        "2026-1",
        "Version of the privacy notice people accept when they report (recorded on each case). "
        "Change it when the notice text changes.",
    ),
    Setting(
        "CLASSIFIER_MIN_CASES",
        "200",
        "Closed cases needed before a trained classifier replaces the keyword rules for "
        "suggesting a report's category and unit.",
        parse=lambda n, r: _as_int(n, r, 10),
    ),
    Setting("STATIC_ROOT", None, "Directory collectstatic writes to. Default: var/static."),
    Setting(
        "MAP_TILE_URL",
        "",
        "Base-map tiles: empty for none (outlines only), 'tianditu', 'amap', "
        "or a URL with {z}/{x}/{y}.",
        parse=_parse_tile_url,
    ),
    Setting(
        "MAP_TIANDITU_KEY", "", "天地图 key (tk) used with MAP_TILE_URL=tianditu.", secret=True
    ),
    Setting(
        "SESSION_IDLE_MINUTES",
        "30",
        "Log a session out after this many idle minutes.",
        parse=lambda n, r: _as_int(n, r, 1),
    ),
    Setting(
        "LOGIN_LOCK_FAILURES",
        "5",
        "Failed logins in a row that lock an account.",
        parse=lambda n, r: _as_int(n, r, 1),
    ),
    Setting(
        "LOGIN_LOCK_MINUTES",
        "30",
        "How long a locked account stays locked.",
        parse=lambda n, r: _as_int(n, r, 1),
    ),
    Setting(
        "PASSWORD_MAX_AGE_DAYS",
        "90",
        "Days after which a password must be changed (0 disables).",
        parse=lambda n, r: _as_int(n, r, 0),
    ),
    Setting(
        "MFA_REQUIRED_ROLES",
        "sysadmin,secadmin,auditor",
        "Comma-separated roles whose holders must log in with a TOTP second factor "
        "('none': nobody must).",
        parse=_parse_roles,
    ),
    Setting("LANGUAGE_CODE", "zh-hans", "Default language: zh-hans or en.", parse=_parse_lang),
    Setting("TIME_ZONE", "Asia/Shanghai", "Time zone for dates shown to users."),
    Setting(
        "CHUANGCHENG_DEMO_PASSWORD",
        "Chuangcheng#2026",
        "Password given to every demo account by `chuangcheng demo load`.",
        secret=True,
    ),
    Setting(
        "OPEN311_JURISDICTION",
        "",
        "The jurisdiction_id the Open311 interface answers to; a client sending another is "
        "refused (empty: clients must not send one).",
    ),
    Setting(
        "OPEN311_RATE_LIMIT",
        "60",
        "Service requests one Open311 API key may create per hour.",
        parse=lambda n, r: _as_int(n, r, 1),
    ),
    Setting("OPEN311_CONTACT", "", "Contact for integrators, shown in Open311 discovery."),
    Setting(
        "CASE_REMINDER_HOURS",
        "24",
        "Remind a case's units this many hours before its deadline (at most half the handling "
        "time); 0 sends no reminders.",
        parse=lambda n, r: _as_int(n, r, 0),
    ),
    Setting(
        "SCORE_TREND_WEIGHTS",
        "0.2,0.3,0.5",
        "Weights of the last three years' 得分率 in the three-year weighted average (oldest "
        "first); years not measured are left out and the others' weights renormalised.",
        parse=_parse_trend_weights,
    ),
    Setting(
        "SCREEN_REFRESH_SECONDS",
        "60",
        "How often the big screen (/command/screen/) fetches fresh figures, in seconds.",
        parse=lambda n, r: _as_int(n, r, 10),
    ),
    Setting(
        "SCREEN_LINK_MAX_DAYS",
        "30",
        "Longest validity, in days, of a read-only big-screen link issued by the office.",
        parse=lambda n, r: _as_int(n, r, 1),
    ),
    Setting(
        "SMS_BACKEND",
        "outbox",
        "How text messages leave: 'outbox' keeps them on the outbound-messages page only, 'log' "
        "writes them to the log, 'http' posts them to SMS_GATEWAY_URL.",
        parse=_parse_sms_backend,
    ),
    Setting(
        "SMS_GATEWAY_URL",
        "",
        "The SMS gateway's endpoint (SMS_BACKEND=http): receives POST JSON "
        '{"phone", "template", "params", "sign", "text"}.',
        parse=_parse_http_url,
    ),
    Setting(
        "SMS_GATEWAY_TOKEN",
        "",
        "Sent as 'Authorization: Bearer …' to the SMS gateway.",
        secret=True,
    ),
    Setting("SMS_SIGN_NAME", "创城", "SMS signature (短信签名) registered with the gateway."),
    Setting(
        "SMS_TEMPLATE_OVERDUE",
        "CC_OVERDUE",
        "The gateway's template code for the overdue-case (督办) message.",
    ),
    Setting(
        "SMS_TEMPLATE_WARNING",
        "CC_WARNING",
        "The gateway's template code for a warning (主动预警) sent to a unit's head and contact.",
    ),
    Setting(
        "ALERTS_EVALUATE_MINUTES",
        "10",
        "Evaluate the warning rules every this many minutes (the alerts.evaluate job).",
        parse=lambda n, r: _as_int(n, r, 1),
    ),
    Setting(
        "SITE_URL",
        "",
        "The platform's address as users reach it (https://cc.example.gov.cn); links in group "
        "robot messages start with it. Empty: those messages carry no link.",
        parse=_parse_http_url,
    ),
    Setting(
        "HTTPS",
        None,
        "Served over HTTPS: cookies marked Secure (and named __Host-…), HSTS sent. "
        "Default: on when SITE_URL starts with https://.",
        parse=_as_bool,
    ),
    Setting(
        "HTTPS_REDIRECT",
        "false",
        "Redirect plain-HTTP requests to HTTPS (usually nginx does this already).",
        parse=_as_bool,
    ),
    Setting(
        "HSTS_SECONDS",
        "31536000",
        "Strict-Transport-Security max-age sent when HTTPS is on (0: no HSTS).",
        parse=lambda n, r: _as_int(n, r, 0),
    ),
    Setting(
        "HSTS_INCLUDE_SUBDOMAINS",
        "false",
        "Add includeSubDomains to HSTS: only when every subdomain is served over HTTPS.",
        parse=_as_bool,
    ),
    Setting(
        "TRUSTED_PROXY",
        "false",
        "A reverse proxy (nginx) in front sets X-Forwarded-Proto and X-Forwarded-For: the scheme "
        "and the client address are taken from them. Never on without such a proxy.",
        parse=_as_bool,
    ),
    Setting(
        "CSP_REPORT_ONLY",
        "false",
        "Send the content security policy as report-only (browsers log, nothing is blocked).",
        parse=_as_bool,
    ),
    Setting(
        "LOGIN_RATE_LIMIT",
        "20/10m",
        "Requests one network address may make to /accounts/login… per window (COUNT/WINDOW, "
        "window in s, m or h); beyond it 429 Too Many Requests.",
        parse=_parse_rate,
    ),
    Setting(
        "PUBLIC_RATE_LIMIT",
        "120/1m",
        "Requests one network address may make to the public pages (reports, surveys, QR "
        "pages, screen links, calendar feeds, Open311) per window; a carrier's address serves "
        "many residents: keep it generous.",
        parse=_parse_rate,
    ),
    Setting(
        "SMS_TEMPLATE_AGENDA",
        "CC_AGENDA",
        "The gateway's template code for calendar reminders (deadlines and the day's tasks).",
    ),
    Setting(
        "AGENDA_DAYS_AHEAD",
        "14",
        "How many days ahead the units' recurring task occurrences are generated (at least 1).",
        parse=lambda n, r: _as_int(n, r, 1),
    ),
    Setting(
        "AGENDA_DIGEST_HOUR",
        "8",
        "From this local hour (0–23) the units are told of the day's tasks not yet done.",
        parse=_as_hour,
    ),
    Setting(
        "ARCHIVES_MAX_UPLOAD_MB",
        "50",
        "Largest archive file accepted, in megabytes (PDF, Word, Excel, JPEG, PNG, HEIC).",
        parse=lambda n, r: _as_int(n, r, 1),
    ),
    Setting(
        "ARCHIVES_ROOT",
        None,
        "Private directory for archive files, never served as media. Default: var/archives.",
    ),
    Setting(
        "SURVEY_RATE_LIMIT",
        "60",
        "Survey responses one network address may start per survey per hour through a public "
        "link (a shared Wi-Fi or a carrier's address serves many residents: keep it generous).",
        parse=lambda n, r: _as_int(n, r, 1),
    ),
    Setting(
        "PRACTICE_ACCEPT_HOURS",
        "24",
        "A service order dispatched or opened to volunteers and not accepted within this many "
        "hours is flagged as not taken in time (未及时接单).",
        parse=lambda n, r: _as_int(n, r, 1),
    ),
    Setting(
        "PRACTICE_FINISH_HOURS",
        "72",
        "An accepted service order not completed within this many hours is flagged as not "
        "finished in time (未及时圆单).",
        parse=lambda n, r: _as_int(n, r, 1),
    ),
    Setting(
        "PRACTICE_ORDER_RATE_LIMIT",
        "30",
        "Service orders one network address may place per hour through the public QR pages "
        "(a shared Wi-Fi or a carrier's address serves many residents: keep it generous).",
        parse=lambda n, r: _as_int(n, r, 1),
    ),
    Setting(
        "PRACTICE_WISH_RATE_LIMIT",
        "20",
        "Micro-wishes one network address may submit per station per hour through the "
        "station's public link (an estate's or a carrier's address is shared: keep it generous).",
        parse=lambda n, r: _as_int(n, r, 1),
    ),
    Setting(
        "EMAIL_HOST",
        "",
        "SMTP server for notification e-mails; empty sends no e-mail.",
    ),
    Setting("EMAIL_PORT", "25", "SMTP port.", parse=lambda n, r: _as_int(n, r, 1)),
    Setting("EMAIL_HOST_USER", "", "SMTP user name."),
    Setting("EMAIL_HOST_PASSWORD", "", "SMTP password.", secret=True),
    Setting("EMAIL_USE_TLS", "false", "SMTP with STARTTLS.", parse=_as_bool),
    Setting("EMAIL_USE_SSL", "false", "SMTP over TLS (port 465).", parse=_as_bool),
    Setting(
        "DEFAULT_FROM_EMAIL",
        "chuangcheng@localhost",
        "Sender address of notification e-mails.",
    ),
)


def _check_together(values: dict[str, object]) -> None:
    """Settings that only make sense with each other."""
    if values["SMS_BACKEND"] == "http" and not values["SMS_GATEWAY_URL"]:
        raise ConfigError("SMS_GATEWAY_URL: required when SMS_BACKEND=http")
    if values["EMAIL_USE_TLS"] and values["EMAIL_USE_SSL"]:
        raise ConfigError("EMAIL_USE_SSL: cannot be used together with EMAIL_USE_TLS")


def load(env: Mapping[str, str] | None = None) -> dict[str, object]:
    """Read every setting; raise ConfigError naming the first bad one."""
    source = os.environ if env is None else env
    values: dict[str, object] = {}
    for setting in SETTINGS:
        raw = _read(source, setting.name)
        if raw is None:
            values[setting.name] = (
                None if setting.default is None else setting.parse(setting.name, setting.default)
            )
        else:
            values[setting.name] = setting.parse(setting.name, raw)
    _check_together(values)
    return values
