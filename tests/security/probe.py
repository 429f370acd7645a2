"""Requests of the matrix and what a response may show."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.http import HttpResponseBase
from django.shortcuts import resolve_url
from django.test import Client

from tests.security.params import ABSENT, SHARED, kind_of
from tests.security.routes import Route, fill
from tests.security.world import CLEAR_PHONES, MARKER, OURS_MARKER, MatrixWorld, Side

GOLDEN = Path(__file__).with_name("matrix_expected.json")
ABSENT_VALUE = "987654"
THEIRS = " [theirs]"
# Tables a request may legitimately grow however it is refused: the session of the client.
UNCOUNTED = {"django_session", "core_ratecounter"}  # the rate limiter counts every public request


def clients(world: MatrixWorld) -> dict[str, Client]:
    found = {}
    for column, user in world.users.items():
        client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="zh-hans")
        if user is not None:
            client.force_login(user)
        found[column] = client
    return found


def value(kind: str, param: str, side: Side, shared: dict[str, Any]) -> str:
    if kind.startswith("="):
        return kind[1:]
    if kind == ABSENT:
        return ABSENT_VALUE
    if kind == "case_number":
        return str(side.objects["case"].number)
    obj = (side.objects if kind in side.objects else shared)[kind]
    return str(obj.code if param == "code" else obj.pk)


def url_for(route: Route, side: Side, shared: Side) -> str:
    values = {}
    for param in route.params:
        kind = kind_of(route.route, param)
        assert kind is not None, f"no rule for {param} of {route.route}"
        values[param] = value(kind, param, side, shared.objects)
    return fill(route.route, values)


def has_theirs(route: Route) -> bool:
    """Whether the route names an object built on each side, so that another district's can be
    asked for (otherwise the request for theirs would be the request for ours)."""
    return any(
        kind not in (ABSENT, *SHARED) and not kind.startswith("=")
        for kind in (kind_of(route.route, p) or "=" for p in route.params)
    )


def send(client: Client, route: Route, url: str) -> HttpResponseBase:
    method = getattr(client, route.method.lower())
    if route.method == "GET":
        return method(url)  # type: ignore[no-any-return]
    if route.route.startswith("/api/"):
        return method(url, data="{}", content_type="application/json")  # type: ignore[no-any-return]
    return method(url, data={})  # type: ignore[no-any-return]


def body(response: HttpResponseBase) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return bytes(response.content)  # type: ignore[attr-defined]


def leaks(response: HttpResponseBase, *, ours_too: bool = False) -> bool:
    """Whether another district's name (with ``ours_too``, any name of ours) shows; JSON escapes
    Chinese, so look for the ASCII part."""
    content = body(response)
    markers = (MARKER, OURS_MARKER) if ours_too else (MARKER,)
    return any(m.encode("ascii", "ignore") in content for m in markers)


def shows_phone(response: HttpResponseBase) -> bool:
    """Whether a stored phone number appears in clear (streamed files are not read)."""
    if getattr(response, "streaming", False):
        return False
    content = bytes(response.content)  # type: ignore[attr-defined]
    return any(phone.encode() in content for phone in CLEAR_PHONES)


def to_login(response: HttpResponseBase) -> bool:
    location = str(response.get("Location", ""))
    return response.status_code == 302 and location.startswith(resolve_url(settings.LOGIN_URL))


def row_counts() -> dict[str, int]:
    """Rows per table, in one query."""
    tables = sorted(
        m._meta.db_table
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy and m._meta.db_table not in UNCOUNTED
    )
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = cursor.fetchone()
    return dict(zip(tables, counts, strict=True))


def snapshot(side: Side) -> dict[str, Any]:
    """Every field of each object of ``side``, read afresh."""
    found = {}
    for kind, obj in side.objects.items():
        fresh = type(obj).objects.filter(pk=obj.pk).values().first()
        found[kind] = fresh
    return found


def load_golden() -> dict[str, dict[str, int]]:
    if not GOLDEN.exists():
        return {}
    return json.loads(GOLDEN.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def differences(expected: dict[str, dict[str, int]], found: dict[str, dict[str, int]]) -> list[str]:
    lines = []
    for row in sorted(set(expected) | set(found)):
        was, now = expected.get(row, {}), found.get(row, {})
        for column in sorted(set(was) | set(now)):
            if was.get(column) != now.get(column):
                lines.append(f"{row} × {column}: {was.get(column)} → {now.get(column)}")
    return lines
