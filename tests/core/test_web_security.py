"""Web hardening: content security policy, cookies and HSTS under HTTPS, CSRF on every page and
on the API's session authentication."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from chuangcheng.accounts.models import ApiToken
from tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def _settings_under(env: dict[str, str], *names: str) -> dict[str, object]:
    """The named settings as Django computes them at start-up with ``env`` added."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in env and not k.startswith("PYTEST")}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "chuangcheng.settings"},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_https_site_url_turns_on_secure_cookies_hsts_and_host_prefix() -> None:
    got = _settings_under(
        {"SITE_URL": "https://cc.example.gov.cn", "SECRET_KEY": "x" * 50},
        "HTTPS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_NAME",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
    )
    assert got == {
        "HTTPS": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_SSL_REDIRECT": False,
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_plain_http_by_default_and_https_can_be_refused_outright() -> None:
    names = ("HTTPS", "SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_NAME")
    plain = {"HTTPS": False, "SESSION_COOKIE_SECURE": False, "SECURE_HSTS_SECONDS": 0}
    assert _settings_under({"SITE_URL": ""}, *names) == {
        **plain,
        "SESSION_COOKIE_NAME": "sessionid",
    }
    told = _settings_under({"SITE_URL": "https://cc.example.gov.cn", "HTTPS": "false"}, *names)
    assert told == {**plain, "SESSION_COOKIE_NAME": "sessionid"}


def test_trusted_proxy_sets_the_forwarded_proto_header_and_tiles_enter_img_src() -> None:
    got = _settings_under(
        {"TRUSTED_PROXY": "true", "MAP_TILE_URL": "tianditu"},
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_CSP",
    )
    assert got["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    csp = got["SECURE_CSP"]
    assert isinstance(csp, dict)
    assert csp["img-src"] == ["'self'", "data:", "blob:", "https://*.tianditu.gov.cn"]
    custom = _settings_under(
        {"MAP_TILE_URL": "https://{s}.tiles.example.cn/{z}/{x}/{y}.png"}, "SECURE_CSP"
    )
    assert custom["SECURE_CSP"]["img-src"][-1] == "https://*.tiles.example.cn"  # type: ignore[index]


def test_every_page_carries_the_policy_without_inline_script(client, db) -> None:
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"]
    assert "'unsafe-eval'" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response  # plain HTTP: no HSTS


@pytest.mark.django_db
def test_over_https_hsts_is_sent_and_cookies_are_secure_and_http_only(settings) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    user = UserFactory(username="hsts")
    client = Client()
    page = client.get("/accounts/login/", secure=True)
    assert page["Strict-Transport-Security"] == "max-age=31536000"
    csrf = page.cookies["__Host-csrftoken"]
    assert (csrf["secure"], csrf["httponly"], csrf["path"], csrf["domain"]) == (True, True, "/", "")
    done = client.post(
        "/accounts/login/", {"username": user.username, "password": PASSWORD}, secure=True
    )
    assert done.status_code == 302
    session = done.cookies["__Host-sessionid"]
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")
    assert "Strict-Transport-Security" not in Client().get("/accounts/login/")  # plain http


# --- CSRF everywhere --------------------------------------------------------------------------

# Views allowed to skip Django's CSRF check, and why:
CSRF_EXEMPT = {
    # Open311 clients are other systems, authenticated by the api_key in the request body; no
    # browser cookie authenticates them, so a forged cross-site request gains nothing.
    "chuangcheng.open311.views.service_requests",
}
# Django Ninja marks every API view csrf_exempt and checks CSRF itself, in the cookie
# authentication (accounts.api_auth.SessionAuth); bearer tokens need none. Tested below.
NINJA_PREFIX = "api/v1/"


def _views(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found += _views(p.url_patterns, prefix + str(p.pattern))
        else:
            found.append((prefix + str(p.pattern), p.callback))
    return found


def test_no_view_skips_csrf_outside_the_allow_list() -> None:
    views = _views(get_resolver().url_patterns)
    assert len(views) > 300
    exempt = {
        f"{view.__module__}.{getattr(view, '__name__', '')}"
        for route, view in views
        if getattr(view, "csrf_exempt", False) and not route.startswith(NINJA_PREFIX)
    }
    assert exempt == CSRF_EXEMPT


@pytest.fixture
def office_user(world):  # type: ignore[no-untyped-def]
    return world.office


COMPLETE = "/api/v1/agenda/occurrences/999999/complete"


def test_api_with_session_cookie_refuses_unsafe_request_without_csrf_token(office_user) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_user)
    refused = client.post(COMPLETE, {"note": ""}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "CSRF check Failed"


def test_api_with_session_cookie_and_csrf_token_gets_through(office_user) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_user)
    client.get("/inbox/")  # a page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    passed = client.post(
        COMPLETE, {"note": ""}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert passed.status_code == 404  # authenticated, CSRF passed, no such occurrence


def test_api_with_bearer_token_needs_no_csrf_token(office_user) -> None:
    _token, raw = ApiToken.issue(office_user, "sync")
    client = Client(enforce_csrf_checks=True)
    passed = client.post(
        COMPLETE, {"note": ""}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert passed.status_code == 404
    anonymous = Client(enforce_csrf_checks=True).post(
        COMPLETE, {"note": ""}, content_type="application/json"
    )
    assert anonymous.status_code == 403  # refused at the session's CSRF check already


def test_pages_refuse_a_post_without_csrf_token(office_user) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_user)
    assert client.post("/inbox/read-all/").status_code == 403
