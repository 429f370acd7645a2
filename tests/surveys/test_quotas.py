"""Quota cells at answer time: matching, closing when full, giving a place back on void, and
two submits for the last place."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction

from chuangcheng.surveys.domain import quotas, submit
from chuangcheng.surveys.enums import ResponseState, ScreenReason
from chuangcheng.surveys.models import Answer, Credit, QuotaCell, Response
from tests.surveys.conftest import SurveyWorld
from tests.surveys.fieldwork_helpers import GOOD, grid, respond, screening


def test_cell_closes_exactly_when_full(sw: SurveyWorld) -> None:
    cell = grid(sw, 2, age_band="30-44", sex="f")
    first, second = respond(sw), respond(sw)
    third = respond(sw)
    cell.refresh_from_db()
    assert (first.state, first.quota_id) == (ResponseState.COMPLETE, cell.pk)
    assert (second.state, second.quota_id) == (ResponseState.COMPLETE, cell.pk)
    # The third woman aged 30-44 in 东华门 is thanked after screening and not interviewed.
    assert (third.state, third.screen_reason, third.quota_id) == (
        ResponseState.SCREENED_OUT,
        ScreenReason.QUOTA_FULL,
        None,
    )
    assert (cell.filled, cell.target) == (2, 2)
    # A man of the same street and age has no cell: with quotas, that is out of quota too.
    assert respond(sw, sex="m").screen_reason == ScreenReason.QUOTA_FULL


def test_without_quota_cells_every_eligible_respondent_counts(sw: SurveyWorld) -> None:
    r = respond(sw)
    assert (r.state, r.quota_id) == (ResponseState.COMPLETE, None)


def test_matching_prefers_the_specific_cell_then_the_roomiest(sw: SurveyWorld) -> None:
    broad = grid(sw, 5)
    narrow = grid(sw, 1, age_band="30-44", sex="f")
    profile = quotas.Profile(sw.world.s1.pk, "30-44", "f")
    assert quotas.matching_cells(sw.survey, profile) == [narrow, broad]
    assert respond(sw).quota_id == narrow.pk
    assert respond(sw).quota_id == broad.pk
    assert quotas.matching_cells(sw.survey, quotas.Profile(sw.world.s2.pk, "30-44", "f")) == []


def test_voiding_gives_the_place_back(sw: SurveyWorld) -> None:
    cell = grid(sw, 1)
    r = respond(sw)
    assert respond(sw).screen_reason == ScreenReason.QUOTA_FULL
    submit.void(r, actor=sw.world.office, reason="重复")
    cell.refresh_from_db()
    assert cell.filled == 0
    assert respond(sw).state == ResponseState.COMPLETE


def test_cell_filled_while_answering_thanks_the_respondent_and_counts_nothing(
    sw: SurveyWorld,
) -> None:
    cell = grid(sw, 1)
    late = submit.start(sw.survey, actor=None, screening=screening(sw.survey), mode="self")
    respond(sw)
    done = submit.submit(late, GOOD, actor=None)
    assert (done.state, done.screen_reason) == ("screened_out", "quota_full")
    assert not Answer.objects.filter(response=late).exists()
    assert not Credit.objects.filter(response=late).exists()
    cell.refresh_from_db()
    assert cell.filled == 1


@pytest.mark.django_db(transaction=True)
def test_two_submits_for_the_last_place_never_both_count(sw: SurveyWorld) -> None:
    """A holds its transaction open after taking the last place; B submits meanwhile. B must
    wait for A and then find the cell full (a count-then-insert would let both in)."""
    cell = grid(sw, 1)
    a = submit.start(sw.survey, actor=None, screening=screening(sw.survey), mode="self")
    b = submit.start(sw.survey, actor=None, screening=screening(sw.survey), mode="self")
    a_claimed = threading.Event()
    results: dict[str, Any] = {}

    def run_a() -> None:
        try:
            with transaction.atomic():
                results["a"] = submit.submit(a, GOOD, actor=None).state
                a_claimed.set()
                threading.Event().wait(0.6)
        finally:
            a_claimed.set()
            connection.close()

    def run_b() -> None:
        try:
            a_claimed.wait(10)
            results["b"] = submit.submit(b, GOOD, actor=None).state
        except Exception as exc:
            results["b"] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_a), threading.Thread(target=run_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == {"a": "complete", "b": "screened_out"}
    cell.refresh_from_db()
    assert cell.filled == 1
    assert Response.objects.filter(state="complete").count() == 1
    assert QuotaCell.objects.get().filled == 1
