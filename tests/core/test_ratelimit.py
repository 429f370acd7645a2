"""The shared rate limiter: exact counts per address, group and window; 429 shapes; coverage of
every page reachable without logging in."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from chuangcheng.core import ratelimit
from chuangcheng.core.jobs import prune_rate_counters
from chuangcheng.core.models import RateCounter

T0 = 1_800_000_000.0  # a window boundary for 60 s and 600 s windows


@pytest.fixture
def tight(settings):  # type: ignore[no-untyped-def]
    settings.PUBLIC_RATE_LIMIT = (3, 60)
    settings.LOGIN_RATE_LIMIT = (2, 600)
    return settings


def test_hit_counts_exactly_to_the_limit_then_refuses(db, tight) -> None:
    decisions = [ratelimit.hit("public", "10.0.0.1", now=T0 + i) for i in range(4)]
    assert [d.hits for d in decisions] == [1, 2, 3, 4]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[3].retry_after == 57  # the window ends at T0 + 60
    assert RateCounter.objects.get().hits == 4


def test_other_address_and_other_group_are_counted_apart(db, tight) -> None:
    for _ in range(4):
        ratelimit.hit("public", "10.0.0.1", now=T0)
    assert ratelimit.hit("public", "10.0.0.2", now=T0).hits == 1
    assert ratelimit.hit("login", "10.0.0.1", now=T0).hits == 1
    assert RateCounter.objects.count() == 3


def test_a_new_window_starts_from_zero(db, tight) -> None:
    for _ in range(4):
        ratelimit.hit("public", "10.0.0.1", now=T0 + 59)
    fresh = ratelimit.hit("public", "10.0.0.1", now=T0 + 60)
    assert (fresh.allowed, fresh.hits, fresh.retry_after) == (True, 1, 60)


def test_public_page_answers_429_with_retry_after_on_request_limit_plus_one(
    db, tight, monkeypatch
) -> None:
    monkeypatch.setattr(time, "time", lambda: T0 + 15)
    client = Client(REMOTE_ADDR="203.0.113.5")
    codes = [client.get("/accounts/login/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/accounts/login/")
    assert refused["Retry-After"] == "45"
    assert refused["Content-Type"].startswith("text/html")
    text = refused.content.decode()
    assert "请稍后再试" in text or "Please slow down" in text
    assert Client(REMOTE_ADDR="203.0.113.6").get("/accounts/login/").status_code == 200
    monkeypatch.setattr(time, "time", lambda: T0 + 60)
    assert client.get("/accounts/login/").status_code == 200


def test_login_posts_are_limited_apart_from_the_login_page(db, tight) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    form = {"username": "nobody", "password": "wrong"}
    codes = [client.post("/accounts/login/", form).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.get("/accounts/login/").status_code == 200  # the page counts as public
    assert client.get("/accounts/login/").status_code == 200
    assert Client(REMOTE_ADDR="203.0.113.8").post("/accounts/login/", form).status_code == 200


def test_whole_login_prefix_counts_as_login(db, tight) -> None:
    factory = RequestFactory()
    assert ratelimit.group_of(factory.post("/accounts/login/totp/")) == "login"
    assert ratelimit.group_of(factory.get("/accounts/login/totp/")) == "public"
    assert ratelimit.group_of(factory.post("/accounts/password/")) is None
    assert ratelimit.group_of(factory.get("/cases/")) is None


def test_api_and_open311_get_their_own_error_shapes(db, tight) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        client.get("/api/v1/openapi.json")
    api = client.get("/api/v1/openapi.json")
    assert api.status_code == 429
    assert api.json()["code"] == "rate_limited"
    assert api.json()["errors"] == []
    open311 = client.get("/open311/v2/discovery.json")
    assert open311.status_code == 429
    assert open311.json()[0]["code"] == 429
    xml = client.get("/open311/v2/services.xml")
    assert xml.status_code == 429
    assert b"<code>429</code>" in xml.content


def test_forwarded_address_counts_only_behind_a_trusted_proxy(db, tight) -> None:
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.4")
    client.get("/accounts/login/")
    assert list(RateCounter.objects.values_list("ip", flat=True)) == ["127.0.0.1"]
    tight.TRUSTED_PROXY = True
    client.get("/accounts/login/")
    # The last entry is what nginx appended; the first was written by the client.
    assert sorted(RateCounter.objects.values_list("ip", flat=True)) == [
        "127.0.0.1",
        "198.51.100.4",
    ]


def test_prune_deletes_only_ended_windows(db, tight, monkeypatch) -> None:
    ratelimit.hit("login", "10.0.0.1", now=T0 - 1200)
    ratelimit.hit("public", "10.0.0.1", now=T0 - 30)
    monkeypatch.setattr(time, "time", lambda: T0)
    prune_rate_counters()
    assert list(RateCounter.objects.values_list("group", flat=True)) == ["public"]


# --- every page reachable without logging in is limited or deliberately exempt ---------------

SAMPLES = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def _sample(route: str) -> str:
    route = re.sub(r"\(\?P<fmt>[^)]*\)", "json", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "x", route)
    route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1) or "str", "x"), route)
    return "/" + route.replace("^", "").replace("$", "").replace("\\", "")


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[str]:
    found: list[str] = []
    for p in patterns:
        if not isinstance(p.pattern, RoutePattern | RegexPattern):
            continue
        if isinstance(p, URLResolver):
            found += _routes(p.url_patterns, prefix + str(p.pattern))
        else:
            found.append(prefix + str(p.pattern))
    return found


def test_every_anonymous_page_is_rate_limited_or_exempt(db, settings) -> None:
    settings.PUBLIC_RATE_LIMIT = (100_000, 60)
    settings.LOGIN_RATE_LIMIT = (100_000, 60)
    client = Client(raise_request_exception=False)
    factory = RequestFactory()
    paths = sorted({_sample(r) for r in _routes(get_resolver().url_patterns)})
    assert len(paths) > 250
    reachable = []
    for path in paths:
        response = client.get(path)
        if response.status_code == 405:  # a POST-only endpoint: ask the way it is used
            response = client.post(path)
        to_login = response.status_code == 302 and "/accounts/login" in response["Location"]
        if to_login or response.status_code in (401, 403):
            continue
        if path == "/api/v1/" and response.status_code == 404:  # Ninja's root, no page
            continue
        reachable.append(path)
    uncovered = [
        p
        for p in reachable
        if ratelimit.group_of(factory.get(p)) is None
        and not p.startswith(tuple(ratelimit.EXEMPT_PREFIXES))
    ]
    assert uncovered == [], "\n".join(uncovered)
    # The walk does reach the public pages (a broken walk would pass vacuously).
    assert {"/s/x/", "/p/o/x/", "/agenda/ics/x.ics", "/healthz", "/accounts/login/"} <= set(
        reachable
    )
