"""The 95 % intervals against values worked by hand (z = 1.959964, z² = 3.841459).

Wilson for 8 of 10: z²/n = 0.384146, denominator 1.384146; centre = (0.8 + 0.192073)/1.384146
= 0.716741; half = (1.959964/1.384146)·√(0.8·0.2/10 + z²/400) = 1.416010·√0.025604 = 0.226578
→ [0.4902, 0.9433] (the published value for 8/10). 0 of 10 → [0, 0.2775]; 10 of 10 →
[0.7225, 1].

Graded scores 1, 0.9, 0.9, 0: mean 2.8/4 = 0.7; Σx² = 2.62; s² = (2.62 − 4·0.49)/3 = 0.22;
se = √(0.22/4) = 0.234521; half = 0.459652 → [0.2403, 1.1597 clipped to 1].
"""

from __future__ import annotations

import pytest

from chuangcheng.surveys.domain.intervals import Interval, Moments, normal, wilson
from chuangcheng.surveys.domain.results import q


def rounded(i: Interval | None) -> tuple[float | None, float | None]:
    assert i is not None
    return q(i.low), q(i.high)


def moments(scores: list[float], weights: list[float] | None = None) -> Moments:
    m = Moments()
    for i, x in enumerate(scores):
        m.add(1, x, x * x, None if weights is None else weights[i])
    return m


def test_wilson_matches_the_published_values() -> None:
    assert rounded(wilson(0.8, 10)) == (0.4902, 0.9433)
    assert rounded(wilson(0.0, 10)) == (0.0, 0.2775)
    assert rounded(wilson(1.0, 10)) == (0.7225, 1.0)


def test_scores_of_zero_and_one_use_wilson() -> None:
    m = moments([1] * 8 + [0] * 2)
    assert m.binary
    assert rounded(m.interval()) == (0.4902, 0.9433)


def test_graded_scores_use_the_normal_interval_clipped_to_one() -> None:
    m = moments([1, 0.9, 0.9, 0])
    assert not m.binary
    assert q(m.rate) == 0.7
    assert rounded(m.interval()) == (0.2403, 1.0)


def test_one_graded_answer_says_nothing_about_the_spread() -> None:
    assert rounded(moments([0.9]).interval()) == (0.0, 1.0)
    assert normal(0.5, 0.1, 1) == Interval(0.0, 1.0)


def test_no_answers_no_rate_and_no_interval() -> None:
    m = Moments()
    assert m.rate is None and m.interval() is None and m.weighted_interval() is None


def test_equal_weights_change_nothing() -> None:
    plain = moments([1] * 8 + [0] * 2)
    weighted = moments([1] * 8 + [0] * 2, [3.0] * 10)
    assert weighted.weighted_rate == pytest.approx(0.8)
    assert weighted.effective_n == pytest.approx(10)
    assert rounded(weighted.weighted_interval()) == rounded(plain.interval())


def test_unequal_weights_shrink_the_effective_sample() -> None:
    """Weights 1 for five 1s and 3 for five 0s: rate (5)/(5+15) = 0.25; Σw = 20, Σw² = 5 + 45
    = 50, n_eff = 400/50 = 8. Wilson at p = 0.25, n = 8: z²/8 = 0.480182, denominator
    1.480182; centre = (0.25 + 0.240091)/1.480182 = 0.331102; half = 1.324138·√(0.0234375 +
    0.015006) = 1.324138·0.196072 = 0.259626 → [0.0715, 0.5907]."""
    m = moments([1] * 5 + [0] * 5, [1] * 5 + [3] * 5)
    assert m.weighted_rate == pytest.approx(0.25)
    assert m.effective_n == pytest.approx(8)
    assert rounded(m.weighted_interval()) == (0.0715, 0.5907)


def test_weighted_graded_interval_uses_the_weighted_variance() -> None:
    """Scores 1, 0.9, 0.9, 0 with weight 2 each: the same as unweighted (n_eff = 4)."""
    m = moments([1, 0.9, 0.9, 0], [2, 2, 2, 2])
    assert rounded(m.weighted_interval()) == (0.2403, 1.0)
