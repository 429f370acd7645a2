"""Composite appraisals computed by hand (see conftest): components, composites, ranks, ties,
the change of rank, units listed apart, and renormalisation when a component is unavailable."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from chuangcheng.appraisal.domain.components import PROVIDERS, Component
from chuangcheng.appraisal.domain.honour import honour_lists
from chuangcheng.appraisal.domain.ranking import (
    BELOW_VOLUME,
    NO_COMPOSITE,
    Ranking,
    default_formula,
    previous_period,
    rank_units,
)
from chuangcheng.appraisal.models import AppraisalFormula
from chuangcheng.cases.domain.periods import parse_period
from tests.appraisal.conftest import NOW, Month

OCT = parse_period("2026-10")


def formula(code: str) -> AppraisalFormula:
    return AppraisalFormula.objects.select_related("scheme").get(code=code)


def ranked(month: Month, code: str = "composite-60-40", **kw: Any) -> Ranking:
    return rank_units(OCT, month.world.district, formula=formula(code), now=NOW, **kw)


def table(r: Ranking) -> list[tuple[int | None, str, Decimal | None]]:
    return [(row.rank, row.unit.code, row.composite) for row in r.rows]


def test_presets_ship_with_the_comprehensive_one_as_default(db: None) -> None:
    f = default_formula()
    assert (f.code, f.name, f.scheme.code) == (
        "composite-60-40",
        "综合考核（整改60%+测评40%）",
        "closure-30",
    )
    assert f.weights() == {
        "rectification": Decimal(60),
        "clauses": Decimal(40),
        "tasks": Decimal(0),
        "materials": Decimal(0),
    }
    codes = list(AppraisalFormula.objects.values_list("code", "scheme__code"))
    assert codes == [
        ("composite-60-40", "closure-30"),
        ("rectification-closure-30", "closure-30"),
        ("rectification-handled-30", "handled-30"),
        ("full-40-30-15-15", "closure-30"),
    ]


def test_components_are_exact(month: Month) -> None:
    r = ranked(month)
    w = month.world
    s1, s2, cg = (r.row(u.pk) for u in (w.unit_s1, w.unit_s2, w.line_cg))
    assert s1 and s2 and cg
    assert s1.part("rectification").value == Fraction(62, 100)  # type: ignore[union-attr]
    assert s2.part("rectification").value == Fraction(92, 100)  # type: ignore[union-attr]
    assert cg.part("rectification").value == Fraction(77, 100)  # type: ignore[union-attr]
    assert cg.part("clauses").value == Fraction(13, 20)  # type: ignore[union-attr]
    sj = r.row(w.line_sj.pk)
    assert sj is not None and sj.part("clauses").value == Fraction(5, 6)  # type: ignore[union-attr]
    # Territorial offices lead no clause: their composite is rectification alone.
    assert s1.part("clauses").value is None and s1.missing == ["clauses"]  # type: ignore[union-attr]


def test_comprehensive_composites_and_ranks(month: Month) -> None:
    r = ranked(month)
    # 城管委: 60 × 0.77 + 40 × 0.65 = 72.20; the street offices: rectification only.
    assert table(r) == [
        (1, "S002", Decimal("92.00")),
        (2, "L001", Decimal("72.20")),
        (3, "S001", Decimal("62.00")),
    ]
    assert r.used == ["rectification", "clauses"] and r.left_out == []
    # 市场监管局: 60 × 0.92 + 40 × 5/6 = 88.533… → 88.53, but 1 case due < 3: listed apart.
    assert [(a.unit.code, a.composite, a.reason, a.due) for a in r.apart] == [
        ("L002", Decimal("88.53"), BELOW_VOLUME, 1)
    ]
    assert r.columns == [("整改", Decimal("60.00")), ("牵头测评内容", Decimal("40.00"))]


def test_change_of_rank_against_the_previous_month(month: Month) -> None:
    r = ranked(month)
    assert previous_period(OCT) == parse_period("2026-09")
    # September: 东华门 92 (1st), 景山 72 (2nd); 城管委 had nothing due (not ranked).
    assert [(row.unit.code, row.previous_rank, row.change) for row in r.rows] == [
        ("S002", 2, 1),
        ("L001", None, None),
        ("S001", 1, -2),
    ]


def test_equal_composites_share_a_rank(month: Month) -> None:
    f = formula("rectification-closure-30")
    f.min_due = 1
    r = rank_units(OCT, month.world.district, formula=f, now=NOW)
    # 景山 and 市场监管局 both 92.00: both first, the next is third; ties listed by name.
    assert table(r) == [
        (1, "L002", Decimal("92.00")),  # 区市场监管局 sorts before 景山街道办事处
        (1, "S002", Decimal("92.00")),
        (3, "L001", Decimal("77.00")),
        (4, "S001", Decimal("62.00")),
    ]
    assert [row.unit.name for row in r.rows[:2]] == sorted(row.unit.name for row in r.rows[:2])


def test_unavailable_components_are_left_out_and_weights_renormalised(
    month: Month, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As in a deployment without the calendar and the archives: no "tasks", no "materials".
    providers = {k: v for k, v in PROVIDERS.providers.items() if k not in ("tasks", "materials")}
    monkeypatch.setattr(PROVIDERS, "providers", providers)
    r = ranked(month, "full-40-30-15-15")
    assert r.used == ["rectification", "clauses"]
    assert r.left_out == ["tasks", "materials"]
    assert r.left_out_labels == ["任务完成及时率", "资料报送及时率"]
    # 城管委: (40 × 0.77 + 30 × 0.65) / 70 = 50.3 / 70 = 0.718571… → 71.86.
    assert table(r) == [
        (1, "S002", Decimal("92.00")),
        (2, "L001", Decimal("71.86")),
        (3, "S001", Decimal("62.00")),
    ]
    assert r.columns == [("整改", Decimal("57.14")), ("牵头测评内容", Decimal("42.86"))]


def test_a_registered_provider_is_used(month: Month, monkeypatch: pytest.MonkeyPatch) -> None:
    cg = month.world.line_cg.pk
    # Without the archives' "materials" provider (tested in tests/archives).
    providers = {k: v for k, v in PROVIDERS.providers.items() if k != "materials"}
    providers["tasks"] = lambda ctx: {cg: Component(value=Fraction(1, 2))}
    monkeypatch.setattr(PROVIDERS, "providers", providers)
    r = ranked(month, "full-40-30-15-15")
    assert r.used == ["rectification", "clauses", "tasks"] and r.left_out == ["materials"]
    # (40 × 0.77 + 30 × 0.65 + 15 × 0.5) / 85 = 57.8 / 85 = 0.68.
    row = r.row(cg)
    assert row is not None and row.composite == Decimal("68.00")


def test_the_calendar_provides_tasks_and_units_without_occurrences_miss_it(month: Month) -> None:
    r = ranked(month, "full-40-30-15-15")
    assert r.used == ["rectification", "clauses", "tasks", "materials"] and r.left_out == []
    # No task occurrences and no owed materials in the fixture: every unit lacks both
    # components, composites unchanged.
    assert all({"tasks", "materials"} <= set(row.missing) for row in r.every_row)
    assert table(r) == [
        (1, "S002", Decimal("92.00")),
        (2, "L001", Decimal("71.86")),
        (3, "S001", Decimal("62.00")),
    ]


def test_no_framework_leaves_every_clause_component_empty(world: Any) -> None:
    from tests.appraisal.conftest import build_cases

    build_cases(world)
    r = rank_units(OCT, world.district, formula=formula("composite-60-40"), now=NOW)
    assert table(r) == [
        (1, "S002", Decimal("92.00")),
        (2, "L001", Decimal("77.00")),
        (3, "S001", Decimal("62.00")),
    ]


def test_a_unit_with_nothing_to_weigh_has_no_composite(month: Month) -> None:
    r = rank_units(
        parse_period("2026-09"), month.world.district, formula=formula("composite-60-40"), now=NOW
    )
    apart = {a.unit.code: a.reason for a in r.apart}
    # 城管委 and 市场监管局 lead clauses not measured in September and had nothing due.
    assert apart == {"L001": NO_COMPOSITE, "L002": NO_COMPOSITE}


def test_honour_lists_never_overlap(month: Month) -> None:
    h = honour_lists(ranked(month), 5)
    # 3 ranked units: one on each list.
    assert [e.row.unit.code for e in h.red] == ["S002"]
    assert [e.row.unit.code for e in h.black] == ["S001"]
    reasons = h.black[0].reasons
    assert reasons is not None and reasons.weakest is not None
    assert reasons.weakest.code == "rectification" and reasons.figures is not None
    assert reasons.figures.counts.overdue == 1


def test_black_list_names_the_clauses_losing_most(month: Month) -> None:
    f = formula("composite-60-40")
    f.min_due = 0
    r = rank_units(OCT, month.world.district, formula=f, now=NOW)
    h = honour_lists(r, 2)
    assert [e.row.unit.code for e in h.red] == ["S002", "L002"]
    assert [e.row.unit.code for e in h.black] == ["S001", "L001"]
    cg = h.black[1].reasons
    assert cg is not None and cg.weakest is not None and cg.weakest.code == "clauses"
    # 1.1.1 lost 0.75 of 3, 2.1.1 lost 1 of 2: the biggest loss first.
    assert [(c.code, c.lost) for c in cg.clauses] == [
        ("2.1.1", Decimal("1.0000")),
        ("1.1.1", Decimal("0.7500")),
    ]
