"""/api/v1/surveys: the list and a survey's questions, scoped like the pages (404 outside), and
importing an XLSForm by upload."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangcheng.surveys.models import Survey
from tests.conftest import login
from tests.surveys.conftest import SurveyWorld
from tests.surveys.xlsforms import DATA


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def test_list_is_scoped(sw: SurveyWorld) -> None:
    office = login(sw.world.office).get("/api/v1/surveys/")
    assert office.status_code == 200
    assert office.json() == [
        {
            "id": sw.survey.pk,
            "code": "s2026",
            "title": "2026年文明城区创建群众满意度调查",
            "status": "open",
            "region": "东城区",
            "region_code": "110101",
            "framework": "测评体系",
            "languages": ["zh-Hans"],
            "questions": 4,
            "starts_on": None,
            "ends_on": None,
            "target_size": None,
        }
    ]
    assert [s["code"] for s in login(sw.other_office).get("/api/v1/surveys/").json()] == ["xc2026"]
    assert [s["code"] for s in login(sw.world.auditor).get("/api/v1/surveys/").json()] == ["s2026"]
    assert login(sw.world.office).get("/api/v1/surveys/?status=draft").json() == []
    assert login(sw.world.office).get("/api/v1/surveys/?status=nope").status_code == 422
    assert login(sw.world.user_s1).get("/api/v1/surveys/").status_code == 403


def test_detail_has_questions_and_choices(sw: SurveyWorld) -> None:
    body = login(sw.world.leader).get(f"/api/v1/surveys/{sw.survey.pk}").json()
    assert (body["code"], body["age_bands"], body["min_residence_months"]) == (
        "s2026",
        [[18, 29], [30, 44], [45, 59], [60, 65]],
        6,
    )
    assert [q["name"] for q in body["question_list"]] == ["aware", "joined", "satisfied", "why"]
    satisfied = body["question_list"][2]
    assert {
        k: satisfied[k] for k in ("kind", "measure", "clause", "clause_number", "required")
    } == {
        "kind": "single",
        "measure": "satisfaction",
        "clause": sw.opinion.pk,
        "clause_number": "1.",
        "required": True,
    }
    assert satisfied["choices"][1] == {
        "value": "bs",
        "labels": {"zh-Hans": "基本满意"},
        "score": "0.900",
        "excluded": False,
    }
    assert satisfied["choices"][3]["excluded"] is True
    assert body["question_list"][3]["relevant"] == "${satisfied} = 'ns'"


def test_detail_outside_scope_is_404(sw: SurveyWorld) -> None:
    assert login(sw.other_office).get(f"/api/v1/surveys/{sw.survey.pk}").status_code == 404
    assert login(sw.world.office).get(f"/api/v1/surveys/{sw.other_survey.pk}").status_code == 404
    assert login(sw.world.office).get("/api/v1/surveys/999999").status_code == 404
    assert login(sw.world.inspector).get(f"/api/v1/surveys/{sw.survey.pk}").status_code == 403


def upload(name: str = "satisfaction_zh.xlsx", source: str = "satisfaction_zh.xlsx") -> Any:
    return SimpleUploadedFile(name, (DATA / source).read_bytes())


def test_import_creates_a_draft(sw: SurveyWorld) -> None:
    response = login(sw.world.office).post(
        "/api/v1/surveys/import",
        {"file": upload(), "region": "110101", "code": "api2026"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["created"], body["questions"], body["choices"]) == (True, 9, 22)
    assert body["survey"]["code"] == "api2026" and body["survey"]["status"] == "draft"
    assert body["warnings"] == [
        "The survey has no framework: the clause column was ignored (rows 4, 5, 6, 9, 10)"
    ]
    refused = login(sw.world.office).post(
        "/api/v1/surveys/import",
        {"file": upload(), "region": "110101", "framework": sw.framework.pk, "code": "api2"},
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0] == {
        "loc": ["survey", 4, "clause"],
        "msg": "7.1.1.1 is not a clause of the framework assessed by survey.",
    }


def test_import_errors_are_422_with_sheet_row_column(sw: SurveyWorld) -> None:
    response = login(sw.world.office).post(
        "/api/v1/surveys/import",
        {"file": upload("spec.xlsx", "pyxform_spec_test.xlsx"), "region": "110101"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The file was not imported; nothing was written."
    assert body["errors"][1] == {
        "loc": ["survey", 15, "type"],
        "msg": "Repeated groups (repeats) are not supported.",
    }
    assert len(body["errors"]) == 12
    assert Survey.objects.count() == 2


def test_import_permissions_and_scope(sw: SurveyWorld) -> None:
    assert (
        login(sw.world.leader)
        .post("/api/v1/surveys/import", {"file": upload(), "region": "110101"})
        .status_code
        == 403
    )
    other = login(sw.other_office)
    assert (
        other.post("/api/v1/surveys/import", {"file": upload(), "region": "110101"}).status_code
        == 404
    )
    assert (
        other.post("/api/v1/surveys/import", {"file": upload(), "survey": sw.survey.pk}).status_code
        == 404
    )
    office = login(sw.world.office)
    assert (
        office.post(
            "/api/v1/surveys/import", {"file": upload(), "survey": sw.survey.pk}
        ).status_code
        == 422
    )
    assert office.post("/api/v1/surveys/import", {"file": upload("a.csv")}).status_code == 422
    assert Survey.objects.count() == 2
