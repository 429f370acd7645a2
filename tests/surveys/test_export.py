"""Downloads of the rates and the raw responses: content, no phone number, audited, and who
may take them (the office; a leader 403; anyone else 404)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from chuangcheng.core.models import AuditEntry
from chuangcheng.surveys.enums import ResponseState
from chuangcheng.surveys.models import Response
from tests.conftest import login
from tests.surveys.conftest import SurveyWorld
from tests.surveys.results_data import load_ten, respond

PHONE = "13912345678"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def ten(sw: SurveyWorld) -> SurveyWorld:
    responses = load_ten(sw)
    Response.objects.filter(pk=responses[0].pk).update(phone=PHONE, phone_hash="h" * 64)
    respond(sw.survey, sw.world.s1, "m", "18-29", {sw.aware: "yes"}, state=ResponseState.DRAFT)
    voided = respond(sw.survey, sw.world.s2, "f", "18-29", {sw.aware: "no"})
    Response.objects.filter(pk=voided.pk).update(state=ResponseState.VOID, void_reason="重复")
    return sw


def get(sw: SurveyWorld, tail: str, user: Any = None) -> Any:
    client = login(user or sw.world.office)
    return client.get(f"/surveys/{sw.survey.pk}/results/{tail}", HTTP_ACCEPT_LANGUAGE="en")


def sheet_rows(content: bytes, sheet: int = 0) -> list[list[Any]]:
    wb = load_workbook(io.BytesIO(content))
    return [list(r) for r in wb.worksheets[sheet].iter_rows(values_only=True)]


def test_rates_xlsx_has_a_row_per_measure_clause_and_street(ten: SurveyWorld) -> None:
    response = get(ten, "rates.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="s2026-rates-')
    rows = sheet_rows(response.content)
    assert rows[0][:9] == [
        "Measure code",
        "Measure",
        "Clause number",
        "Clause",
        "Street code",
        "Street",
        "Score sum (numerator)",
        "Answers counted (denominator)",
        "Rate",
    ]
    assert rows[1][:8] == ["awareness", "Awareness (知晓率)", None, None, "all", "东城区", 6, 10]
    assert rows[1][8:11] == [0.6, 0.3127, 0.8318]
    assert len(rows) == 1 + 15
    entry = AuditEntry.objects.get(action="export")
    assert (entry.actor, entry.object_id, entry.note) == (
        ten.world.office,
        str(ten.survey.pk),
        "survey rates xlsx, 15 rows",
    )


def test_rates_csv_opens_in_excel_with_its_chinese(ten: SurveyWorld) -> None:
    response = get(ten, "rates.csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[2][4:9] == ["110101001", "东华门街道", "4.0", "6", "0.6667"]


def test_responses_xlsx_has_one_row_per_submitted_response_and_no_phone(ten: SurveyWorld) -> None:
    response = get(ten, "responses.xlsx")
    assert response.status_code == 200
    rows = sheet_rows(response.content)
    headers = rows[0]
    assert headers[:6] == ["Response", "State", "Mode", "Interviewer", "Submitted at", "Street"]
    assert headers[-4:] == [
        "aware 您是否知道我区正在创建全国文明城区?",
        "joined 您参加过哪些创建活动?",
        "satisfied 您对创建工作成效是否满意?",
        "why 不满意的原因是什么?",
    ]
    # Ten complete and one voided; the draft is left out.
    assert len(rows) == 12
    first = rows[1]
    assert first[1] == "Complete" and first[5] == "东华门街道" and first[9] == "Male"
    assert first[-4:] == ["知道", "志愿服务、环境清洁", "满意", None]
    voided = rows[-1]
    assert voided[1] == "Voided" and voided[13] == "重复"
    flat = " ".join(str(c) for r in rows for c in r)
    assert PHONE not in flat and "h" * 64 not in flat
    questions = sheet_rows(response.content, 1)
    assert questions[1][:2] == ["aware", "您是否知道我区正在创建全国文明城区?"]
    assert "dk=说不清 (not counted)" in questions[3][5]
    assert AuditEntry.objects.get(action="export").note == "survey responses xlsx, 11 rows"


def test_responses_csv(ten: SurveyWorld) -> None:
    text = get(ten, "responses.csv").content.decode("utf-8")[1:]
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 12
    assert PHONE not in text


def test_a_leader_may_read_but_not_export(ten: SurveyWorld) -> None:
    for tail in ("rates.xlsx", "responses.csv"):
        assert get(ten, tail, ten.world.leader).status_code == 403
    assert not AuditEntry.objects.filter(action="export").exists()


@pytest.mark.parametrize("who", ["inspector", "user_s1", "nobody"])
def test_others_get_404(ten: SurveyWorld, who: str) -> None:
    assert get(ten, "responses.xlsx", getattr(ten.world, who)).status_code == 404


def test_another_districts_office_gets_404(ten: SurveyWorld) -> None:
    assert get(ten, "rates.csv", ten.other_office).status_code == 404


def test_an_unknown_format_is_404(ten: SurveyWorld) -> None:
    assert get(ten, "rates.pdf").status_code == 404


def test_the_responses_export_is_constant_in_queries(sw: SurveyWorld) -> None:
    load_ten(sw)
    client = login(sw.world.office)
    client.get(f"/surveys/{sw.survey.pk}/results/responses.csv")
    with CaptureQueriesContext(connection) as small:
        client.get(f"/surveys/{sw.survey.pk}/results/responses.csv")
    load_ten(sw, times=3)
    with CaptureQueriesContext(connection) as large:
        client.get(f"/surveys/{sw.survey.pk}/results/responses.csv")
    assert len(small) == len(large)
