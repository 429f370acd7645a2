"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

No browser is ever downloaded: a missing /usr/bin/chromium fails the run loudly (never a skip).
"""

from __future__ import annotations

import importlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


# Every page must work under the content security policy. A blocked script, style or request
# raises the securitypolicyviolation event, which this script logs as a console error; every
# browser context (the fixtures' and those tests open themselves) is watched, and a test fails
# when any of its pages logged one.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
    " in " + document.location.pathname + " (" + (e.sourceFile || "") + ":" + e.lineNumber + ")");
});
"""
VIOLATIONS: list[str] = []


def _watch(context: object) -> None:
    def on_console(message: object) -> None:
        text = str(message.text)  # type: ignore[attr-defined]
        if message.type == "error" and text.startswith("CSP violation"):  # type: ignore[attr-defined]
            VIOLATIONS.append(text)

    context.add_init_script(REPORT_VIOLATIONS)  # type: ignore[attr-defined]
    context.on("console", on_console)  # type: ignore[attr-defined]


def _wait_for_function(
    self: object, expression: str, *, arg: object = None, timeout: float | None = None, **_: object
) -> object:
    """Playwright's own wait_for_function evaluates a string predicate with eval inside the
    page, which the policy (rightly) forbids; ``evaluate`` goes through the DevTools protocol,
    outside the page's policy, so poll with it."""
    deadline = time.monotonic() + (15_000 if timeout is None else timeout) / 1000
    while True:
        value = self.evaluate(expression, arg)  # type: ignore[attr-defined]
        if value:
            return value
        if time.monotonic() > deadline:
            from playwright.sync_api import TimeoutError as PlaywrightTimeout

            raise PlaywrightTimeout(f"wait_for_function: {expression!r} still false")
        time.sleep(0.1)


@pytest.fixture(scope="session", autouse=True)
def _csp_harness() -> None:
    from playwright.sync_api import Browser, Page

    if getattr(Browser, "_cc_watched", False):
        return
    opened = Browser.new_context

    def new_context(self: Browser, *args: object, **kwargs: object) -> object:
        context = opened(self, *args, **kwargs)  # type: ignore[arg-type]
        _watch(context)
        return context

    Browser.new_context = new_context  # type: ignore[assignment,method-assign]
    Browser._cc_watched = True  # type: ignore[attr-defined]
    Page.wait_for_function = _wait_for_function  # type: ignore[assignment,method-assign]


@pytest.fixture(autouse=True)
def no_csp_violations() -> Iterator[None]:
    VIOLATIONS.clear()
    yield
    if VIOLATIONS:
        found = "\n".join(dict.fromkeys(VIOLATIONS))
        VIOLATIONS.clear()
        pytest.fail(f"content security policy violations:\n{found}")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; run `make system-deps` (apt: chromium)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()


# Rows the migrations write (presets). A transactional test (every browser test) empties all
# tables when it ends, so the next one would run without them: each browser test puts them back.
MIGRATION_DATA = (
    ("chuangcheng.cases.migrations.0002_bulletin_appraisal_scheme", "add_presets"),
    ("chuangcheng.appraisal.migrations.0001_formula_and_presets", "add_presets"),
    ("chuangcheng.awards.migrations.0001_redflags", "add_preset"),
    ("chuangcheng.alerts.migrations.0002_preset_rules", "add_presets"),
    ("chuangcheng.agenda.migrations.0002_preset_warning_rules", "add_presets"),
    ("chuangcheng.archives.migrations.0002_presets", "add_presets"),
    ("chuangcheng.surveys.migrations.0004_preset_satisfaction_rule", "add_presets"),
)


@pytest.fixture
def migration_data(live_server: object) -> None:
    from django.apps import apps

    for module, function in MIGRATION_DATA:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def page(browser: object, live_server: object, migration_data: None) -> Iterator[object]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})  # type: ignore[attr-defined]
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture
def phone(browser: object, live_server: object, migration_data: None) -> Iterator[object]:
    context = browser.new_context(  # type: ignore[attr-defined]
        locale="zh-CN",
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def log_in(page: object, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")  # type: ignore[attr-defined]
    page.fill("#id_username", username)  # type: ignore[attr-defined]
    page.fill("#id_password", password)  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    enter_totp(page, username)


def totp_code(username: str) -> str:
    """A fresh code of ``username``'s authenticator (enrolled or being enrolled), computed from
    the secret in the database as the phone app would: a step after the last one used."""
    import time

    import pyotp

    from chuangcheng.accounts.models import SecondFactor

    factor = SecondFactor.objects.get(user__username=username)
    step = max(int(time.time()) // 30, factor.last_step + 1)
    return str(pyotp.TOTP(factor.secret).generate_otp(step))


def enter_totp(page: object, username: str) -> None:
    """Complete the second login step (code or enrolment) when the login asks for it."""
    url = page.url  # type: ignore[attr-defined]
    if "/accounts/login/code/" not in url and "/accounts/login/enrol/" not in url:
        return
    page.fill("#id_code", totp_code(username))  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]


def shot(page: object, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def fits(page: object, width: int = 375) -> bool:
    """The page needs no sideways scrolling at ``width`` px (a phone)."""
    return page.evaluate("document.documentElement.scrollWidth") <= width  # type: ignore[attr-defined,no-any-return]
