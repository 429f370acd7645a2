"""Cross-tabulations and answer distributions of the hand-computed fixture (results_data.TEN)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from chuangcheng.surveys.domain.crosstab import CrosstabError, crosstab, distributions
from chuangcheng.surveys.domain.results import load_sample
from chuangcheng.surveys.enums import Sex
from chuangcheng.surveys.models import Margin
from tests.surveys.conftest import SurveyWorld
from tests.surveys.results_data import load_ten


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Texts are asserted in English (message ids); the default language is zh-Hans."""
    with translation.override("en"):
        yield


@pytest.fixture
def ten(sw: SurveyWorld) -> SurveyWorld:
    load_ten(sw)
    return sw


def grid(table: Any) -> dict[str, list[tuple[int, float | None]]]:
    """row value -> [(respondents, column %) for each column, then the total column]."""
    return {r["category"].value: [(c["n"], c["pct"]) for c in r["cells"]] for r in table.table()}


def test_a_question_by_sex_counts_respondents_and_column_percentages(ten: SurveyWorld) -> None:
    """Men (#1 #3 #5 #7 #10): s, ns, s, ns, bs → s 2, bs 1, ns 2 of 5. Women (#2 #4 #6 #8 #9):
    bs, dk, bs, s, bs → s 1, bs 3, dk 1 of 5. All ten: s 3, bs 4, ns 2, dk 1."""
    table = crosstab(ten.survey, "satisfied", "sex")
    assert [c.label for c in table.columns] == [str(Sex.MALE.label), str(Sex.FEMALE.label)]
    assert [r.value for r in table.rows] == ["s", "bs", "ns", "dk"]
    assert grid(table) == {
        "s": [(2, 40.0), (1, 20.0), (3, 30.0)],
        "bs": [(1, 20.0), (3, 60.0), (4, 40.0)],
        "ns": [(2, 40.0), (0, 0.0), (2, 20.0)],
        "dk": [(0, 0.0), (1, 20.0), (1, 10.0)],
    }
    assert [b["n"] for b in table.bases()] == [5, 5, 10]
    assert not table.counter.weighted


def test_each_selected_value_of_a_multiple_choice_counts(ten: SurveyWorld) -> None:
    """东华门 (6): vol clean, none, clean, none, vol, none → vol 2, clean 2, none 3 (columns add
    up to more than 100 %); 景山 (4): none ×3, vol → vol 1, none 3."""
    table = crosstab(ten.survey, "joined", "street")
    assert [c.label for c in table.columns] == ["东华门街道", "景山街道"]
    assert table.multiple
    assert grid(table) == {
        "vol": [(2, 33.3), (1, 25.0), (3, 30.0)],
        "clean": [(2, 33.3), (0, 0.0), (2, 20.0)],
        "none": [(3, 50.0), (3, 75.0), (6, 60.0)],
    }


def test_a_question_by_another_question(ten: SurveyWorld) -> None:
    """Columns are the satisfaction answers: s (#1 #5 #8: yes yes no), bs (#2 #6 #9 #10: yes
    no yes no), ns (#3 #7: no yes), dk (#4: yes)."""
    table = crosstab(ten.survey, "aware", "satisfied")
    assert [c.value for c in table.columns] == ["s", "bs", "ns", "dk"]
    assert grid(table) == {
        "yes": [(2, 66.7), (2, 50.0), (1, 50.0), (1, 100.0), (6, 60.0)],
        "no": [(1, 33.3), (2, 50.0), (1, 50.0), (0, 0.0), (4, 40.0)],
    }


def test_weighted_cells_use_the_raking_weights(ten: SurveyWorld) -> None:
    """Street margins 300 / 700: each 东华门 respondent weighs 50, each 景山 one 175. Men who
    know: #1 #5 (东华门) and #7 (景山) = 275 of 50·3 + 175·2 = 500 → 55 %."""
    Margin.objects.create(survey=ten.survey, dimension="street", value="110101001", population=300)
    Margin.objects.create(survey=ten.survey, dimension="street", value="110101002", population=700)
    table = crosstab(ten.survey, "aware", "sex")
    assert table.counter.weighted
    men = next(r for r in table.table() if r["category"].value == "yes")["cells"][0]
    assert (men["count"], men["n"], men["pct"]) == (275.0, 3, 55.0)


def test_distributions_count_every_choice_question(ten: SurveyWorld) -> None:
    dists = {d.question.name: d for d in distributions(ten.survey, load_sample(ten.survey))}
    assert list(dists) == ["aware", "joined", "satisfied"]
    rows = {r["value"]: (r["n"], r["pct"]) for r in dists["satisfied"].rows()}
    assert rows == {"s": (3, 30.0), "bs": (4, 40.0), "ns": (2, 20.0), "dk": (1, 10.0)}
    joined = {r["value"]: r["n"] for r in dists["joined"].rows()}
    assert joined == {"vol": 3, "clean": 2, "none": 6}
    assert dists["joined"].answered == 10


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("why", "sex", "“why” is not a choice question of this survey."),
        ("aware", "why", "“why” cannot be a column of this survey."),
        ("aware", "aware", "Choose a different question for the columns."),
    ],
)
def test_rows_and_columns_that_cannot_be_crossed_are_refused(
    ten: SurveyWorld, row: str, column: str, message: str
) -> None:
    with pytest.raises(CrosstabError, match=message):
        crosstab(ten.survey, row, column)


def test_a_crosstab_is_a_constant_number_of_queries(sw: SurveyWorld) -> None:
    load_ten(sw)
    with CaptureQueriesContext(connection) as small:
        crosstab(sw.survey, "joined", "satisfied")
    load_ten(sw, times=3)
    with CaptureQueriesContext(connection) as large:
        table = crosstab(sw.survey, "joined", "satisfied")
    assert table.bases()[-1]["n"] == 40
    assert len(small) == len(large) == 6
