"""Every page fits a 375 px phone: nothing wider than the screen, navigation reachable."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    ("overview", "/"),
    ("points", "/points/"),
    ("map", "/points/map/"),
    ("point", "/points/{p1}/"),
    ("frameworks", "/frameworks/"),
    ("regions", "/regions/"),
    ("units", "/units/"),
    ("users", "/accounts/users/"),
    ("account", "/accounts/me/"),
]


def test_pages_fit_a_phone(phone, live_server, world, password) -> None:
    base = live_server.url
    log_in(phone, base, "office", password)
    too_wide = []
    for name, path in PAGES:
        response = phone.goto(base + path.format(p1=world.p1.code))
        assert response.status == 200, path
        phone.wait_for_load_state("networkidle")
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            too_wide.append((path, width))
        shot(phone, f"phone-{name}")
    assert too_wide == []


def test_menu_opens_on_a_phone(phone, live_server, world, password) -> None:
    base = live_server.url
    log_in(phone, base, "office", password)
    assert not phone.is_visible("nav.sidenav")
    phone.click("details.navtoggle summary")
    phone.click("nav.mobilenav >> text=点位")
    phone.wait_for_load_state("networkidle")
    assert phone.url.endswith("/points/")
