"""Standings, flags and stars with hand-computed values (totals out of 20)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chuangcheng.awards.domain.standings import confirm_awards, standings, star_table, stars_for
from chuangcheng.awards.models import RedFlagAward
from chuangcheng.cases.domain.periods import month_period, parse_period
from chuangcheng.core.models import AuditEntry
from chuangcheng.points.models import Point
from tests.awards.conftest import Windows

OCT = month_period(2026, 10)


def test_average_is_exact_and_equal_averages_share_a_rank(windows: Windows) -> None:
    w = windows
    w.rate(w.world.inspector, w.w1, 9, 9)  # 18
    w.rate(w.insp2, w.w1, 8, 7)  # 15 → w1: 33/2 = 16.5
    w.rate(w.insp2, w.w2, 9, 8)  # 17
    w.rate(w.insp3, w.w2, 8, 8)  # 16 → w2: 33/2 = 16.5, tie with w1
    w.rate(w.insp2, w.w3, 10, 10)  # 20, but one rating only: not ranked
    rows = {r.target.code: r for r in standings(w.scheme, OCT)}
    assert rows["W1"].average == Fraction(33, 2)
    assert rows["W2"].average == Fraction(33, 2)
    assert (rows["W1"].rank, rows["W2"].rank) == (1, 1)
    assert rows["W3"].rank is None and rows["W3"].ratings == 1
    # One flag a month, but the tie at rank 1 means both win; W3 has too few ratings.
    assert {r.target.code for r in standings(w.scheme, OCT) if r.wins} == {"W1", "W2"}


def test_ranks_skip_after_a_tie_and_averages_show_two_decimals(windows: Windows) -> None:
    w = windows
    w.scheme.winners = 2
    w.scheme.save()
    w.rate(w.world.inspector, w.w1, 9, 8)  # 17
    w.rate(w.insp2, w.w1, 8, 8)  # 16
    w.rate(w.insp3, w.w1, 8, 8)  # 16 → 49/3 = 16.33
    w.rate(w.insp2, w.w2, 10, 9)  # 19
    w.rate(w.insp3, w.w2, 9, 9)  # 18 → 18.5
    w.rate(w.insp2, w.w3, 9, 9)  # 18
    w.rate(w.insp3, w.w3, 10, 9)  # 19 → 18.5
    rows = standings(w.scheme, OCT)
    assert [(r.target.code, r.rank, r.average_display) for r in rows] == [
        ("W2", 1, Decimal("18.50")),
        ("W3", 1, Decimal("18.50")),
        ("W1", 3, Decimal("16.33")),
    ]
    assert rows[2].average == Fraction(49, 3)
    assert [r.wins for r in rows] == [True, True, False]


def test_standings_cut_to_a_region_rank_only_its_targets(windows: Windows) -> None:
    w = windows
    for user in (w.insp2, w.insp3):
        w.rate(user, w.w1, 5, 5)
        w.rate(user, w.w3, 9, 9)
    rows = standings(w.scheme, OCT, w.world.s1)
    assert [(r.target.code, r.rank) for r in rows] == [("W1", 1)]


def test_other_months_do_not_count(windows: Windows) -> None:
    w = windows
    w.rate(w.insp2, w.w1, 5, 5, day=dt.date(2026, 9, 15))
    w.rate(w.insp2, w.w1, 9, 9)
    rows = standings(w.scheme, OCT)
    assert [(r.ratings, r.total) for r in rows] == [(1, 18)]


def test_confirm_awards_the_winners_once_and_audits(windows: Windows) -> None:
    w = windows
    for user, a in ((w.insp2, 9), (w.insp3, 8)):
        w.rate(user, w.w1, a, 8)  # 17, 16 → 16.5
        w.rate(user, w.w2, a, 6)  # 15, 14 → 14.5
    w.rate(w.insp2, w.w3, 10, 10)  # one rating: does not qualify
    before = AuditEntry.objects.count()
    awards = confirm_awards(
        actor=w.world.office, scheme=w.scheme, month=OCT, region=w.world.district
    )
    assert [(a.point.code, a.rank, a.score, a.ratings) for a in awards] == [
        ("W1", 1, Decimal("16.50"), 2)
    ]
    again = confirm_awards(
        actor=w.world.office, scheme=w.scheme, month=OCT, region=w.world.district
    )
    assert [a.pk for a in again] == [a.pk for a in RedFlagAward.objects.all()]
    assert RedFlagAward.objects.count() == 1
    assert AuditEntry.objects.count() == before + 1


def test_confirm_refused_without_qualifying_targets_and_for_a_leader(windows: Windows) -> None:
    w = windows
    w.rate(w.insp2, w.w1, 9, 9)
    with pytest.raises(ValidationError):
        confirm_awards(actor=w.world.office, scheme=w.scheme, month=OCT, region=w.world.district)
    with pytest.raises(PermissionDenied):
        confirm_awards(actor=w.world.leader, scheme=w.scheme, month=OCT, region=w.world.district)
    assert not RedFlagAward.objects.exists()


@pytest.mark.parametrize(
    ("percent", "stars"),
    [
        (Fraction(100), 5),
        (Fraction(90), 5),
        (Fraction(8999, 100), 4),
        (Fraction(80), 4),
        (Fraction(70), 3),
        (Fraction(6999, 100), 2),
        (Fraction(60), 2),
        (Fraction(5999, 100), 1),
        (Fraction(0), 1),
        (None, None),
    ],
)
def test_star_thresholds_at_the_boundaries(percent: Fraction | None, stars: int | None) -> None:
    assert stars_for(percent, [90, 80, 70, 60]) == stars


def test_star_table_over_a_quarter_and_unrated_targets(windows: Windows) -> None:
    w = windows
    w.rate(w.insp2, w.w1, 9, 9)  # 18/20 = 90 % → 5 stars
    w.rate(w.insp2, w.w2, 8, 8, day=dt.date(2026, 11, 2))  # 16
    w.rate(w.insp3, w.w2, 7, 7, day=dt.date(2026, 12, 2))  # 14 → 30/40 = 75 % → 3 stars
    rows = star_table(w.scheme, parse_period("2026-Q4"), Point.objects.filter(type=w.window))
    assert [(r.target.code, r.percent, r.stars, r.ratings) for r in rows] == [
        ("W1", Fraction(90), 5, 1),
        ("W2", Fraction(75), 3, 2),
        ("W3", None, None, 0),
    ]
    # October alone: W2 has no rating yet.
    october = star_table(w.scheme, OCT, Point.objects.filter(type=w.window))
    assert [(r.target.code, r.stars) for r in october] == [("W1", 5), ("W2", None), ("W3", None)]


def test_month_end_proposal_notifies_the_office_once(windows: Windows) -> None:
    from chuangcheng.awards.domain.proposals import propose_monthly
    from chuangcheng.core.models_messages import Notification

    w = windows
    for user in (w.insp2, w.insp3):
        w.rate(user, w.w3, 9, 9)  # October: W3 wins
    assert propose_monthly(today=dt.date(2026, 11, 1)) == 1
    notice = Notification.objects.get()
    assert notice.recipient == w.world.office
    assert "景山政务服务中心" in notice.body
    assert propose_monthly(today=dt.date(2026, 11, 2)) == 0
    confirm_awards(actor=w.world.office, scheme=w.scheme, month=OCT, region=w.world.district)
    Notification.objects.all().delete()
    assert propose_monthly(today=dt.date(2026, 11, 3)) == 0  # confirmed: nothing to propose
