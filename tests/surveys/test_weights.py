"""Raking against worked examples, and what it reports when the margins cannot be met."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from chuangcheng.surveys.domain.weights import CellKey, rake


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Texts are asserted in English (message ids); the default language is zh-Hans."""
    with translation.override("en"):
        yield


def cell(street: str = "", band: str = "", sex: str = "", occupation: str = "") -> CellKey:
    return (street, band, sex, occupation)


def test_one_dimension_is_plain_post_stratification() -> None:
    """30 respondents in A and 10 in B; the population is 600 in A and 400 in B. Each
    respondent of A stands for 600/30 = 20 residents, of B for 400/10 = 40, reached in one
    round. Kish: Σw = 30·20 + 10·40 = 1000, Σw² = 30·400 + 10·1600 = 28 000; effective n
    = 1000²/28 000 = 35.714; design effect = 40·28 000/1000² = 1.12."""
    w = rake({cell("A"): 30, cell("B"): 10}, {"street": {"A": 600, "B": 400}})
    assert w.applied and w.converged and w.iterations == 1
    assert w.weights == {cell("A"): 20.0, cell("B"): 40.0}
    assert w.effective_n == pytest.approx(1_000_000 / 28_000)
    assert w.design_effect == pytest.approx(1.12)
    assert w.population == 1000 and w.respondents == 40 and w.warnings == []
    assert [(m.value, m.respondents, m.weighted) for m in w.margins] == [
        ("A", 30, 600.0),
        ("B", 10, 400.0),
    ]


def test_two_dimensions_rake_to_the_closed_form_solution() -> None:
    """Sample (street × sex): A-m 30, A-f 10, B-m 10, B-f 20. Margins: street A 35, B 40;
    sex m 50, f 25 (both total 75).

    Raking's limit is the one table of the form n_ij·r_i·c_j meeting both margins (the
    sample's odds ratio is kept). Try r = (1, 2), c = (1, ½): A-m 30·1·1 = 30, A-f 10·1·½ = 5,
    B-m 10·2·1 = 20, B-f 20·2·½ = 20. Rows: A 30 + 5 = 35 ✓, B 20 + 20 = 40 ✓; columns: m 30
    + 20 = 50 ✓, f 5 + 20 = 25 ✓. So the weights are A-m 1, A-f ½, B-m 2, B-f 1, which one
    round of fitting does not reach (after fitting streets then sexes, A is 38.8 not 35)."""
    cells = {cell("A", sex="m"): 30, cell("A", sex="f"): 10, cell("B", sex="m"): 10}
    cells[cell("B", sex="f")] = 20
    margins = {"street": {"A": 35, "B": 40}, "sex": {"m": 50, "f": 25}}
    w = rake(cells, margins, tolerance=1e-12, max_iterations=200)
    assert w.converged and w.iterations > 1
    assert w.dimensions == ["street", "sex"]
    expected = {
        cell("A", sex="m"): 1.0,
        cell("A", sex="f"): 0.5,
        cell("B", sex="m"): 2.0,
        cell("B", sex="f"): 1.0,
    }
    for key, weight in expected.items():
        assert w.weights[key] == pytest.approx(weight, abs=1e-9)
    one_round = rake(cells, margins, max_iterations=1)
    assert not one_round.converged
    assert one_round.warnings and "did not converge" in one_round.warnings[0]


def test_a_margin_nobody_in_the_sample_has_is_reported_and_left_out() -> None:
    """Age margins 18-29 300, 30-44 500, 60-65 200; nobody aged 60-65 answered. The other two
    bands stand for themselves only (800 residents): 18-29 300 over its 15 respondents (20
    each), 30-44 500 over 25 (20 each); the weighted figures say nothing of the 60-65s."""
    w = rake(
        {cell(band="18-29"): 15, cell(band="30-44"): 25},
        {"age_band": {"18-29": 300, "30-44": 500, "60-65": 200}},
    )
    assert w.weights == {cell(band="18-29"): 20.0, cell(band="30-44"): 20.0}
    assert w.population == 800
    assert w.warnings == [
        "No respondents with age band “60-65” (population 200, 20.0 %): weights cannot reach "
        "this margin; the weighted figures speak for the rest of the population."
    ]
    unreached = [m for m in w.margins if not m.reached]
    assert [(m.value, m.gap) for m in unreached] == [("60-65", None)]


def test_respondents_without_a_margin_are_left_out_and_counted() -> None:
    w = rake(
        {cell("A", sex="m"): 10, cell("A", sex=""): 2, cell("B", sex="f"): 5},
        {"street": {"A": 100}, "sex": {"m": 60, "f": 40}},
        describe=lambda d, v: {"B": "西城"}.get(v, v),
    )
    assert w.excluded == 7
    assert w.weights[cell("A", sex="")] == 0.0
    assert w.weights[cell("B", sex="f")] == 0.0
    assert w.warnings[:2] == [
        "2 respondents gave no sex: they are left out of the weighted figures.",
        "5 respondents with street “西城” have no population margin: they are left out of the "
        "weighted figures.",
    ]
    # Nobody left is a woman: that margin cannot be reached, the men stand for all 100.
    assert w.weights[cell("A", sex="m")] == pytest.approx(10.0)
    assert any("“f”" in text and "cannot reach" in text for text in w.warnings)


def test_a_dimension_nobody_matches_is_not_used() -> None:
    w = rake(
        {cell("A", occupation="学生"): 4},
        {"street": {"A": 40}, "occupation": {"退休": 10}},
    )
    assert w.dimensions == ["street"]
    assert w.weights == {cell("A", occupation="学生"): 10.0}
    assert w.warnings == [
        "No respondent's occupation matches the population margins: occupation is not used "
        "for weighting."
    ]


def test_margins_with_different_totals_are_used_as_shares() -> None:
    """Streets total 1000, sexes 500 (m 250, f 250): the sexes count as halves of 1000."""
    w = rake(
        {cell("A", sex="m"): 10, cell("A", sex="f"): 10},
        {"street": {"A": 1000}, "sex": {"m": 250, "f": 250}},
    )
    assert w.weights[cell("A", sex="m")] == pytest.approx(50.0)
    assert w.warnings == [
        "The sex margins add up to 500 and the street margins to 1000: each dimension's "
        "margins are used as shares."
    ]


def test_margins_that_cannot_all_hold_stop_after_the_last_round_and_say_so() -> None:
    """Only A-m and B-f answered; streets 50/50 but sexes 30/70: men are exactly the people of
    A, so both cannot hold at once."""
    w = rake(
        {cell("A", sex="m"): 10, cell("B", sex="f"): 10},
        {"street": {"A": 50, "B": 50}, "sex": {"m": 30, "f": 70}},
        max_iterations=20,
    )
    assert w.applied and not w.converged and w.iterations == 20
    assert w.max_gap == pytest.approx(0.4)
    assert "did not converge in 20 rounds" in w.warnings[-1]


def test_no_margins_no_weights() -> None:
    w = rake({cell("A"): 3}, {})
    assert not w.applied and w.weight(cell("A")) is None and w.warnings == []
