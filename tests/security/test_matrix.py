"""The permission matrix: every page and API operation × every role, with another district's
objects present (ADR 0002, ADR 0014).

- Asked for another district's object, no role gets 200 and no response shows its names.
- Asked for our objects, each cell's status is compared with ``matrix_expected.json``;
  ``MATRIX_UPDATE=1 pytest tests/security`` writes the file anew (review the diff, then commit).
- Unsafe requests against another district's objects change no row; against ours, each success is
  audited.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from chuangcheng.core.models import AuditEntry
from tests.module_data import module_data
from tests.security import probe
from tests.security.params import kind_of
from tests.security.routes import Route, all_routes
from tests.security.world import ANONYMOUS, NO_GRANT, MatrixWorld, build, roles

# Columns that hold no grant at all: they see no district's names.
GRANTLESS = (NO_GRANT, ANONYMOUS)

pytestmark = pytest.mark.usefixtures("db")

UPDATE = os.environ.get("MATRIX_UPDATE") == "1"
# What refusing another district's object may answer; never 200, never a redirect elsewhere.
REFUSED = {400, 401, 403, 404, 405, 422}
# Pages that show every district's names by design, and why.
SYSTEM_WIDE = {
    "GET /audit/": "the audit administrator reviews the whole system's log (三员分立)",
    "POST /audit/": "the same page; POST is refused by the filter form and re-renders it",
}
# Pages that show a phone number in clear without a "viewed personal data" entry, and why.
OWN_PHONE = {
    "GET /practice/wishes/new/": "fills in the signed-in person's own number for their own wish",
}
# Unsafe requests on another district's object that may redirect elsewhere than the login page.
REDIRECT_OK = {
    "POST /accounts/me/tokens/<int:token_id>/revoke/": "acts on the user's own tokens only: "
    "an id that is not theirs changes nothing and returns to the profile page",
}
# Successful unsafe requests that write no audit entry, and why.
UNAUDITED = {
    "POST /accounts/login/": "an empty form from a signed-in user is sent on; a real sign-in "
    "is audited (tests/accounts/test_login.py)",
    "POST /i18n/setlang/": "stores the language in a cookie only",
    "POST /favicon.ico": "a permanent redirect to the static icon for any method",
    "POST /inbox/read-all/": "marks the user's own notifications read: no business data",
    # Refusals that answer with a message and a redirect rather than a status code; the test
    # checks that they wrote no row.
    "POST /accounts/me/tokens/<int:token_id>/revoke/": "the id names no token of the user: "
    "nothing is revoked (a revocation is audited: tests/accounts/test_tokens.py)",
    "POST /frameworks/<int:pk>/nodes/<int:node_pk>/edit/": "the framework is in force, not a "
    "draft: the edit is refused",
    "POST /frameworks/<int:pk>/activate/": "the framework is already in force",
    "POST /cases/intake/bulk/": "an empty form names no case: nothing is done",
    "PATCH /api/v1/points/{code}": "an empty patch changes nothing",
    "POST /accounts/me/2fa/off/": "an empty form carries no code: refused with a message",
    "POST /accounts/users/<int:pk>/unlock/": "the account is not locked: nothing to undo",
    "POST /accounts/users/<int:pk>/2fa/reset/": "the account has no second factor to reset",
    # The page refuses in words and sends the user back: an empty form, or a step the object's
    # state does not allow (the round has no points drawn, the wish is already published, the
    # order is neither completed nor the user's).
    "POST /inspections/rounds/<int:pk>/open/": "a draft round without points cannot open",
    "POST /inspections/rounds/<int:pk>/finish/": "a round that is not open cannot finish",
    "POST /practice/orders/<int:pk>/cancel/": "an empty form gives no reason, or the user may not",
    "POST /practice/orders/<int:pk>/dispatch/": "an empty form names nobody to send",
    "POST /practice/orders/<int:pk>/rate/": "only a completed order is rated, by its requester",
    "POST /practice/wishes/<int:pk>/claim/": "an empty form or a claimer the wish does not allow",
    "POST /practice/wishes/<int:pk>/publish/": "the wish is already on the wall",
    "POST /practice/wishes/<int:pk>/release/": "the wish is not claimed",
}


@pytest.fixture(scope="module")
def mw(django_db_setup: None, django_db_blocker: Any) -> Iterator[MatrixWorld]:
    with module_data(django_db_blocker, build) as world:
        yield world


@pytest.fixture
def clients(mw: MatrixWorld, db: None) -> dict[str, Client]:
    return probe.clients(mw)


@pytest.fixture(scope="module")
def routes() -> tuple[list[Route], list[Route]]:
    return all_routes()


def _owner(row: str) -> str:
    if row.startswith("GET "):
        return "GET"
    return "UNSAFE-THEIRS" if row.endswith(probe.THEIRS) else "UNSAFE-OURS"


def _record(owned: str, found: dict[str, dict[str, int]]) -> None:
    """Compare the rows this test owns (``GET`` or the unsafe methods) with the golden file,
    or rewrite them under ``MATRIX_UPDATE=1``."""
    golden = probe.load_golden()
    mine = {k: v for k, v in golden.items() if _owner(k) == owned}
    if UPDATE:
        others = {k: v for k, v in golden.items() if k not in mine}
        merged = dict(sorted({**others, **found}.items()))
        probe.GOLDEN.write_text(
            json.dumps(merged, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        return
    changed = probe.differences(mine, found)
    assert not changed, "permission matrix changed (MATRIX_UPDATE=1 to accept):\n" + "\n".join(
        changed
    )


def test_every_route_parameter_has_a_rule(routes: tuple[list[Route], list[Route]]) -> None:
    missing = sorted(
        {
            f"{r.route} :: {p}"
            for r in routes[0] + routes[1]
            for p in r.params
            if kind_of(r.route, p) is None
        }
    )
    assert missing == [], "add these to tests/security/params.py RULES:\n" + "\n".join(missing)


def test_roles_are_the_columns(mw: MatrixWorld) -> None:
    from chuangcheng.accounts.enums import Role

    assert roles() == [str(r.value) for r in Role] + ["nogrant", ANONYMOUS]
    assert sorted(mw.users) == sorted(roles())


def test_get_matrix(
    mw: MatrixWorld, clients: dict[str, Client], routes: tuple[list[Route], list[Route]]
) -> None:
    found: dict[str, dict[str, int]] = {}
    leaked: list[str] = []
    shown: list[str] = []
    clear: list[str] = []
    for route in routes[0]:
        ours_url = probe.url_for(route, mw.ours, mw.ours)
        theirs_url = probe.url_for(route, mw.theirs, mw.ours) if probe.has_theirs(route) else None
        for column, client in clients.items():
            seen = AuditEntry.objects.filter(action="view_personal").count()
            response = probe.send(client, route, ours_url)
            found.setdefault(route.key, {})[column] = response.status_code
            if (
                probe.shows_phone(response)
                and route.key not in OWN_PHONE
                and (AuditEntry.objects.filter(action="view_personal").count() == seen)
            ):
                clear.append(f"{route.key} × {column}: {response.status_code}")
            if probe.leaks(response, ours_too=column in GRANTLESS) and route.key not in SYSTEM_WIDE:
                leaked.append(f"{route.key} × {column} (ours): {response.status_code}")
            if theirs_url is None:
                continue
            response = probe.send(client, route, theirs_url)
            found.setdefault(route.key + probe.THEIRS, {})[column] = response.status_code
            if probe.leaks(response):
                leaked.append(f"{route.key} × {column} (theirs): {response.status_code}")
            if response.status_code == 200:
                shown.append(f"{route.key} × {column}: {theirs_url}")
    assert shown == [], "another district's object answered 200:\n" + "\n".join(shown)
    assert leaked == [], "another district's names shown:\n" + "\n".join(leaked)
    assert clear == [], "a phone number shown in clear without an audit entry:\n" + "\n".join(clear)
    _record("GET", found)


def _refused(response: Any) -> bool:
    return response.status_code in REFUSED or probe.to_login(response)


def test_unsafe_matrix_changes_nothing_of_theirs(
    mw: MatrixWorld, clients: dict[str, Client], routes: tuple[list[Route], list[Route]]
) -> None:
    before_objects = probe.snapshot(mw.theirs)
    found: dict[str, dict[str, int]] = {}
    wrong: list[str] = []
    for route in routes[1]:
        if not probe.has_theirs(route):
            continue
        url = probe.url_for(route, mw.theirs, mw.ours)
        for column, client in clients.items():
            before = probe.row_counts()
            response = probe.send(client, route, url)
            found.setdefault(route.key + probe.THEIRS, {})[column] = response.status_code
            after = probe.row_counts()
            grown = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
            refused = _refused(response) or (
                route.key in REDIRECT_OK and response.status_code == 302
            )
            if not refused or grown or probe.leaks(response):
                wrong.append(f"{route.key} × {column}: {response.status_code} {grown}")
    assert wrong == [], "unsafe request on another district's object:\n" + "\n".join(wrong)
    assert probe.snapshot(mw.theirs) == before_objects
    _record("UNSAFE-THEIRS", found)


def _succeeded(route: Route, response: Any) -> bool:
    if route.route.startswith("/api/"):
        return 200 <= response.status_code < 300
    return response.status_code in (301, 302, 303) and not probe.to_login(response)


def test_unsafe_matrix_on_ours_is_audited(
    mw: MatrixWorld, clients: dict[str, Client], routes: tuple[list[Route], list[Route]]
) -> None:
    found: dict[str, dict[str, int]] = {}
    unaudited: list[str] = []
    excused: set[str] = set()
    leaked: list[str] = []
    # Every request is rolled back, so the rows before each are these.
    before = probe.row_counts()
    audits = AuditEntry._meta.db_table
    for route in routes[1]:
        url = probe.url_for(route, mw.ours, mw.ours)
        for column, client in clients.items():
            # Each request is undone, so every cell sees the same world; the cookies too, so
            # that logging out or switching language does not change the later cells.
            cookies = copy.deepcopy(client.cookies)
            with transaction.atomic():
                response = probe.send(client, route, url)
                after = probe.row_counts() if _succeeded(route, response) else before
                transaction.set_rollback(True)
            written = after[audits] - before[audits]
            client.cookies = cookies
            found.setdefault(route.key, {})[column] = response.status_code
            if probe.leaks(response, ours_too=column in GRANTLESS) and route.key not in SYSTEM_WIDE:
                leaked.append(f"{route.key} × {column}: {response.status_code}")
            if _succeeded(route, response) and written == 0:
                if route.key in UNAUDITED and after == before:
                    excused.add(route.key)
                else:
                    unaudited.append(f"{route.key} × {column}: {response.status_code}")
    assert leaked == [], "another district's names shown:\n" + "\n".join(leaked)
    assert unaudited == [], "succeeded without an audit entry:\n" + "\n".join(unaudited)
    # An exception that no longer happens is dropped from the list, so the list stays true.
    assert excused == set(UNAUDITED)
    _record("UNSAFE-OURS", found)
