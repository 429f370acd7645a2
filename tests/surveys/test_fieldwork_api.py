"""/api/v1/surveys/<id>/fieldwork/…: quota progress and a whole interview from a phone."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from chuangcheng.surveys.enums import ResponseState
from chuangcheng.surveys.models import Credit, Response
from tests.conftest import login
from tests.surveys.conftest import SurveyWorld
from tests.surveys.fieldwork_helpers import grid, respond

BODY: dict[str, Any] = {
    "mode": "home",
    "screening": {"age": 40, "sex": "m", "months": 120, "region": "110101001"},
    "answers": {"aware": "yes", "joined": ["vol"], "satisfied": "bs"},
    "lat": 39.9251,
    "lng": 116.4051,
    "accuracy": 15,
    "client_ref": "7d1c5a4e-3f27-4c4e-9a41-0e5f4b2c9d10",
}


def post(client: Client, survey_id: int, body: dict[str, Any]) -> Any:
    return client.post(
        f"/api/v1/surveys/{survey_id}/fieldwork/responses",
        json.dumps(body),
        content_type="application/json",
    )


def test_quota_progress(sw: SurveyWorld) -> None:
    cell = grid(sw, 2, age_band="30-44", sex="f")
    respond(sw)
    respond(sw, age="70")
    got = login(sw.world.office).get(f"/api/v1/surveys/{sw.survey.pk}/fieldwork/quotas")
    assert got.status_code == 200
    assert got.json() == {
        "survey": "s2026",
        "target_size": None,
        "quota_target": 2,
        "quota_filled": 1,
        "complete": 1,
        "screened_out": 1,
        "cells": [
            {
                "id": cell.pk,
                "street_code": "110101001",
                "street_name": "东华门街道",
                "age_band": "30-44",
                "sex": "f",
                "occupation": "",
                "target": 2,
                "filled": 1,
                "closed": False,
            }
        ],
    }
    # The street's inspector may read it too; another district's office may not even see it.
    assert (
        login(sw.world.inspector)
        .get(f"/api/v1/surveys/{sw.survey.pk}/fieldwork/quotas")
        .status_code
        == 200
    )
    other = login(sw.other_office)
    assert other.get(f"/api/v1/surveys/{sw.survey.pk}/fieldwork/quotas").status_code == 404
    assert (
        login(sw.world.user_s1).get(f"/api/v1/surveys/{sw.survey.pk}/fieldwork/quotas").status_code
        == 404
    )


def test_interviewer_posts_a_whole_interview_once(sw: SurveyWorld) -> None:
    client = login(sw.world.inspector)
    first = post(client, sw.survey.pk, BODY)
    assert first.status_code == 201, first.content
    data = first.json()
    response = Response.objects.get()
    assert data["id"] == response.pk
    assert (data["state"], data["interviewer"], data["street_code"], data["lat"]) == (
        "complete",
        "inspector",
        "110101001",
        39.9251,
    )
    assert (response.interviewer, response.mode, response.accuracy) == (
        sw.world.inspector,
        "home",
        15.0,
    )
    assert sorted(Credit.objects.values_list("score", flat=True)) == [
        __import__("decimal").Decimal("0.900"),
        1,
        1,
    ]
    again = post(client, sw.survey.pk, BODY)
    assert again.status_code == 200
    assert again.json()["id"] == response.pk
    assert Response.objects.count() == 1


def test_field_messages_name_screening_and_answers(sw: SurveyWorld) -> None:
    body = {
        **BODY,
        "mode": "phone",
        "screening": {**BODY["screening"], "region": "110102"},
        "answers": {"aware": "maybe", "satisfied": "ns"},
        "client_ref": "",
    }
    got = post(login(sw.world.inspector), sw.survey.pk, body)
    assert got.status_code == 422
    assert got.json()["errors"] == [
        {"loc": ["body", "mode"], "msg": "请选择入户或街访。"},
        {"loc": ["body", "screening", "region"], "msg": "请选择您居住的街道或社区。"},
    ]
    body["screening"] = BODY["screening"]
    body["mode"] = "street"
    got = post(login(sw.world.inspector), sw.survey.pk, body)
    assert got.status_code == 422
    assert got.json()["errors"] == [
        {"loc": ["body", "answers", "aware"], "msg": "“maybe”不是可选答案之一。"},
        {"loc": ["body", "answers", "joined"], "msg": "这个问题需要回答。"},
        {"loc": ["body", "answers", "why"], "msg": "这个问题需要回答。"},
    ]
    assert not Response.objects.exists()
    # A body that is not the schema at all: 422 from the schema.
    bad = post(login(sw.world.inspector), sw.survey.pk, {"mode": "home"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"][:2] == ["body", "payload"]


def test_not_eligible_is_recorded_as_screened_out(sw: SurveyWorld) -> None:
    body = {**BODY, "screening": {**BODY["screening"], "age": 80}, "answers": {}}
    got = post(login(sw.world.inspector), sw.survey.pk, body)
    assert got.status_code == 201
    assert (got.json()["state"], got.json()["screen_reason"]) == (
        ResponseState.SCREENED_OUT,
        "ineligible",
    )


def test_outside_scope_is_404_and_without_the_permission_403(sw: SurveyWorld) -> None:
    assert post(login(sw.world.inspector), sw.other_survey.pk, BODY).status_code == 404
    assert post(login(sw.other_office), sw.survey.pk, BODY).status_code == 404
    assert post(login(sw.world.user_s1), sw.survey.pk, BODY).status_code == 404
    assert post(login(sw.world.leader), sw.survey.pk, BODY).status_code == 403
    assert not Response.objects.exists()


def test_closed_survey_answers_409(sw: SurveyWorld) -> None:
    sw.survey.status = "closed"
    sw.survey.save()
    assert post(login(sw.world.office), sw.survey.pk, BODY).status_code == 409
