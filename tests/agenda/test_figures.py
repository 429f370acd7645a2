"""The appraisal's ``tasks`` component and the warning kinds, with exact values."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from chuangcheng.agenda.domain.tasks import SeriesData, complete_occurrence, save_series
from chuangcheng.agenda.enums import Frequency
from chuangcheng.agenda.models import TaskOccurrence
from chuangcheng.alerts.domain.kinds import KINDS
from chuangcheng.appraisal.domain.components import PROVIDERS, Context
from chuangcheng.cases.domain.periods import month_period
from tests.agenda.conftest import Agenda, build_agenda, moment
from tests.conftest import World

TODAY = dt.date(2026, 11, 18)
NOW = moment(TODAY, 20)


@pytest.fixture
def ag(world: World) -> Agenda:
    agenda = build_agenda(world, today=TODAY)
    w = agenda.world

    def done(unit: object, day: int, at: dt.datetime, user: object) -> None:
        occ = TaskOccurrence.objects.get(
            series=agenda.daily, unit=unit, due_date=dt.date(2026, 11, day)
        )
        complete_occurrence(actor=user, occurrence=occ, now=at)

    done(w.unit_s1, 15, moment(dt.date(2026, 11, 15), 17), w.user_s1)  # on time
    done(w.unit_s1, 16, moment(dt.date(2026, 11, 17), 9), w.user_s1)  # late
    done(w.unit_s1, 17, moment(dt.date(2026, 11, 17), 18), w.user_s1)  # on time, to the minute
    # A series of 城管委 starting next week: occurrences in November, none due yet.
    save_series(
        actor=w.office,
        data=SeriesData(
            title="月底盘点",
            frequency=Frequency.DAILY,
            start_date=dt.date(2026, 11, 25),
            region=w.district,
            units=[w.line_cg],
        ),
        today=TODAY,
    )
    return agenda


def tasks(ag: Agenda, region: object, period: object = None) -> dict[int, object]:
    ctx = Context(period=period or month_period(2026, 11), region=region, now=NOW, formula=None)  # type: ignore[arg-type]
    return PROVIDERS.providers["tasks"](ctx)


def test_tasks_provider_is_registered() -> None:
    assert "tasks" in PROVIDERS.available()


def test_on_time_rate_per_unit_is_exact(ag: Agenda) -> None:
    w = ag.world
    found = tasks(ag, w.district)
    # 东华门: 15–18 due (4), on time 15 and 17; the Friday 周小结 is not due yet.
    assert found[w.unit_s1.pk].value == Fraction(1, 2)  # type: ignore[attr-defined]
    detail = found[w.unit_s1.pk].detail  # type: ignore[attr-defined]
    assert (detail.due, detail.done, detail.late, detail.missed) == (4, 2, 1, 1)
    assert found[w.unit_s2.pk].value == Fraction(0)  # type: ignore[attr-defined]
    assert found[w.line_cg.pk].value is None  # type: ignore[attr-defined]
    assert set(found) == {w.unit_s1.pk, w.unit_s2.pk, w.line_cg.pk}


def test_provider_keeps_to_the_region_and_the_period(ag: Agenda) -> None:
    w = ag.world
    assert set(tasks(ag, w.s2)) == {w.unit_s2.pk}
    assert tasks(ag, w.district, month_period(2026, 10)) == {}


def test_provider_answers_in_one_query(ag: Agenda, django_assert_num_queries: object) -> None:
    with django_assert_num_queries(1):  # type: ignore[operator]
        tasks(ag, ag.world.district)


def test_deadline_near_finds_each_unit_of_a_material_deadline(ag: Agenda) -> None:
    w = ag.world
    kind = KINDS["agenda.deadline_near"]
    assert kind.evaluate({"days": 4}, moment(TODAY, 9)) == []
    found = list(kind.evaluate({"days": 5}, moment(TODAY, 9)))
    assert [(f.key, f.unit_id, f.value) for f in found] == [
        (f"event:{ag.e_cg.pk}:unit:{w.line_cg.pk}", w.line_cg.pk, 5.0),
        (f"event:{ag.e_cg.pk}:unit:{w.unit_s1.pk}", w.unit_s1.pk, 5.0),
    ]
    assert found[0].title == "区城管委：台账材料报送 还有 5 天截止"
    assert found[0].url == f"/agenda/events/{ag.e_cg.pk}/"
    # Only material deadlines: the meeting tomorrow is not one.
    assert all(f"event:{ag.e_s2.pk}:" not in f.key for f in kind.evaluate({"days": 30}, NOW))


def test_tasks_missed_finds_units_at_or_over_the_count(ag: Agenda) -> None:
    w = ag.world
    kind = KINDS["agenda.tasks_missed"]
    found = list(kind.evaluate({"count": 2, "days": 7}, NOW))
    # 景山 missed 15–18 (4); 东华门 missed the 18th only (1).
    assert [(f.key, f.unit_id, f.value) for f in found] == [
        (f"tasks_missed:unit:{w.unit_s2.pk}", w.unit_s2.pk, 4.0)
    ]
    assert found[0].title == "景山街道办事处 近 7 天漏做 4 项任务"
    assert found[0].url.startswith("/agenda/occurrences/?unit=")
    assert "state=missed" in found[0].url
    assert len(list(kind.evaluate({"count": 1, "days": 7}, NOW))) == 2
    # Over the last day only: the 18th for both units.
    assert [f.value for f in kind.evaluate({"count": 1, "days": 1}, NOW)] == [1.0, 1.0]


def test_kinds_use_their_defaults_without_params(ag: Agenda) -> None:
    assert KINDS["agenda.deadline_near"].params["days"].default == 3
    assert next(iter(KINDS["agenda.tasks_missed"].evaluate({}, NOW))).value == 4.0


def test_preset_rules_raise_the_calendar_warnings(ag: Agenda) -> None:
    """The migration's presets: valid parameters, and the deadline rule (3 days) raises nothing
    for the deadline 5 days away until it is 3 days away; then one warning per unit, once."""
    from chuangcheng.alerts.domain.engine import evaluate
    from chuangcheng.alerts.domain.params import clean_params, kind_of
    from chuangcheng.alerts.models import Warning, WarningRule

    presets = {r.kind: r for r in WarningRule.objects.filter(kind__startswith="agenda.")}
    assert sorted(presets) == ["agenda.deadline_near", "agenda.tasks_missed"]
    for rule in presets.values():
        assert clean_params(kind_of(rule.kind), rule.params) == rule.params
    deadline = presets["agenda.deadline_near"]
    evaluate(now=moment(TODAY, 9), rules=[deadline], send=False)
    assert not Warning.objects.filter(rule=deadline).exists()
    two_days_later = moment(TODAY + dt.timedelta(days=2), 9)
    evaluate(now=two_days_later, rules=[deadline], send=False)
    evaluate(now=two_days_later + dt.timedelta(hours=1), rules=[deadline], send=False)
    assert sorted(
        Warning.objects.filter(rule=deadline).values_list("unit_id", flat=True)
    ) == sorted([ag.world.line_cg.pk, ag.world.unit_s1.pk])
