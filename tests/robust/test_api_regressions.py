"""The server errors schemathesis found (tests/robust/test_api_fuzz.py), each now a 4xx in the
shared error shape."""

from __future__ import annotations

import pytest
from django.test import Client

from chuangcheng.accounts.models import ApiToken
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _client(world: World) -> Client:
    _, raw = ApiToken.issue(world.office, "regressions")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_dispatch_with_an_empty_lead_is_422(world: World) -> None:
    response = _client(world).post(
        "/api/v1/cases/999999/dispatch",
        {"version": 1, "lead": ""},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"loc": ["body", "lead"], "msg": "a lead unit is required"}
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases",
        "/api/v1/alerts",
        "/api/v1/practice/orders",
        "/api/v1/practice/bank/accounts",
        "/api/v1/points",
        "/api/v1/units",
    ],
)
def test_an_offset_past_the_databases_integers_is_422(world: World, path: str) -> None:
    response = _client(world).get(path, {"offset": 2**63})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["errors"][0]["loc"][-1] == "offset"


def test_an_award_year_past_the_calendar_is_422(world: World) -> None:
    response = _client(world).get("/api/v1/awards/awards", {"year": 10**20})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "year"


@pytest.mark.parametrize(
    "path", ["/api/v1/scores/tree", "/api/v1/score-analysis/gaps", "/api/v1/score-analysis/trends"]
)
def test_scores_without_a_framework_in_force_are_409(world: World, path: str) -> None:
    response = _client(world).get(path)
    assert response.status_code == 409
    assert response.json() == {
        "detail": "No framework is in force; activate one first.",
        "code": "conflict",
        "errors": [],
    }
