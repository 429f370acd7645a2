"""Take the user guide's screenshots from a running demo (``make demo`` in another shell).

    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000] [--out docs/guide/img]

Desktop (1366×900) and phone (375×812) shots of each page, logged in as the role that uses it.
Uses Debian's Chromium; never downloads a browser.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PASSWORD = os.environ.get("CHUANGCHENG_DEMO_PASSWORD", "Chuangcheng#2026")

# (file name, user, path, full page?)
SHOTS = [
    ("login", None, "/accounts/login/", False),
    ("overview", "office", "/", True),
    ("map", "office", "/points/map/", False),
    ("points", "office", "/points/", False),
    ("point", "office", "/points/P00001/", True),
    ("point-print", "office", "/points/P00001/print/", False),
    ("frameworks", "office", "/frameworks/", False),
    ("framework-tree", "office", "/frameworks/1/", False),
    ("framework-import", "office", "/frameworks/import/", False),
    ("points-import", "office", "/points/import/", False),
    ("regions", "office", "/regions/", False),
    ("region", "office", "/regions/110101001/", True),
    ("units", "office", "/units/", False),
    ("users", "office", "/accounts/users/", False),
    ("user", "office", "/accounts/users/8/", True),
    ("account", "office", "/accounts/me/", False),
    ("audit", "auditor", "/audit/", False),
    ("unit-overview", "unit_donghuamen", "/", True),
    ("unit-map", "unit_donghuamen", "/points/map/", False),
]


def log_in(page: Page, base: str, user: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="docs/guide/img")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        for kind, viewport in (("desktop", (1366, 900)), ("phone", (375, 812))):
            contexts: dict[str | None, Page] = {}
            for name, user, path, full in SHOTS:
                if args.only and args.only not in name:
                    continue
                page = contexts.get(user)
                if page is None:
                    ctx = browser.new_context(
                        locale="zh-CN",
                        viewport={"width": viewport[0], "height": viewport[1]},
                        device_scale_factor=1,
                        is_mobile=kind == "phone",
                        has_touch=kind == "phone",
                    )
                    page = ctx.new_page()
                    if user:
                        log_in(page, args.base, user)
                    contexts[user] = page
                page.goto(args.base + path)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(300)
                target = out / f"{name}-{kind}.png"
                page.screenshot(path=str(target), full_page=full and kind == "desktop")
                print(target)
        browser.close()


if __name__ == "__main__":
    main()
