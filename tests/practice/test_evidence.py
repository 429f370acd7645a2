"""Practice data as scoring evidence (method 志愿服务数据), on the month of ``figures_data``.

Counted in May up to the cut-off (06-05): orders not cancelled — c1 o1 o2 o3 o5 (3 done), c2 o6
o7 o8 (1 done) — and wishes not cancelled — c1 w1–w5 (2 fulfilled or rated), c2 w7 w8 (1).
东华门 (s1): 5 of 9; 景山 (s2): 2 of 5; the district 7 of 14. Sponsoring units: unit_c1 (多福巷小队:
o1 o2 o3) 3 of 3; 城管委 (总队: o6 o7) 1 of 2. Never: April, 西城, o4 and w6 (cancelled).

The clause 3.1.1 志愿服务开展 (2 points, practice only): district 2 × 7/14 = 1; s1 2 × 5/9 =
1.1111; s2 2 × 2/5 = 0.8; unit_c1 2; 城管委 1.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from chuangcheng.cases.domain.periods import parse_period
from chuangcheng.frameworks.enums import FrameworkStatus, Method, NodeLevel
from chuangcheng.frameworks.interfaces.importer import method_lookup
from chuangcheng.frameworks.models import Framework, Node
from chuangcheng.practice.domain.evidence import practice_evidence
from chuangcheng.practice.enums import OrderStatus
from chuangcheng.practice.models import ServiceOrder
from chuangcheng.scoring.domain.compute import compute_run, make_context
from chuangcheng.scoring.domain.evidence import PROVIDERS
from chuangcheng.scoring.domain.reading import region_key, scope_tree, unit_key
from chuangcheng.scoring.domain.tree import load_tree
from tests.practice.conftest import PracticeWorld
from tests.practice.figures_data import Month, at, build_month

MAY = parse_period("2026-05")
CUTOFF = at("2026-06-05")
D = Decimal


@pytest.fixture
def month(pw: PracticeWorld) -> Month:
    return build_month(pw)


@pytest.fixture
def framework(pw: PracticeWorld) -> tuple[Framework, Node, Node]:
    fw = Framework.objects.create(
        code="PR", version=1, name="志愿服务测评", status=FrameworkStatus.ACTIVE
    )
    project = Node.objects.create(
        framework=fw, level=NodeLevel.PROJECT, number="3", text="志愿服务", seq=1
    )
    indicator = Node.objects.create(
        framework=fw,
        level=NodeLevel.INDICATOR,
        number="3.1",
        text="新时代文明实践",
        parent=project,
        seq=2,
    )
    clause = Node.objects.create(
        framework=fw,
        level=NodeLevel.STANDARD,
        number="3.1.1",
        text="志愿服务开展",
        parent=indicator,
        seq=3,
        score=D(2),
        methods=[Method.PRACTICE],
    )
    other = Node.objects.create(
        framework=fw,
        level=NodeLevel.STANDARD,
        number="3.1.2",
        text="阵地建设",
        parent=indicator,
        seq=4,
        score=D(1),
        methods=[Method.MATERIAL],
    )
    return fw, clause, other


def tallies(pw: PracticeWorld, fw: Framework, cutoff=CUTOFF) -> dict:
    ctx = make_context(load_tree(fw), pw.world.district, MAY, cutoff)
    return practice_evidence(ctx)


def test_the_provider_tallies_orders_and_wishes_by_street_and_sponsoring_unit(
    pw: PracticeWorld, month: Month, framework: tuple[Framework, Node, Node]
) -> None:
    fw, clause, _other = framework
    found = tallies(pw, fw)
    assert list(found) == [clause.pk]  # the material clause gets nothing from practice
    got = {k: (t.positive, t.total) for k, t in found[clause.pk].items()}
    w = pw.world
    assert got == {
        region_key(w.district): (Fraction(7), Fraction(14)),
        region_key(w.s1): (Fraction(5), Fraction(9)),
        region_key(w.s2): (Fraction(2), Fraction(5)),
        unit_key(w.unit_c1): (Fraction(3), Fraction(3)),
        unit_key(w.line_cg): (Fraction(1), Fraction(2)),
    }


def test_status_is_read_as_it_stood_at_the_cutoff(
    pw: PracticeWorld, month: Month, framework: tuple[Framework, Node, Node]
) -> None:
    fw, clause, _other = framework
    # o3 was completed after the cut-off of 05-20, o8 placed after it; o4 cancelled before.
    ServiceOrder.objects.filter(pk=month.orders["o3"].pk).update(completed_at=at("2026-05-21"))
    # o5 was cancelled after the cut-off: at the cut-off it still counted.
    ServiceOrder.objects.filter(pk=month.orders["o5"].pk).update(
        status=OrderStatus.CANCELLED, cancelled_at=at("2026-05-22")
    )
    found = tallies(pw, fw, at("2026-05-20"))[clause.pk]
    w = pw.world
    # s1: orders o1 o2 (done) o3 o5 + wishes w1 w2 (done) w3 w4 w5 → 4 of 9;
    # s2: orders o6 (done) o7 + wishes w7 w8 → 2 of 4 (w8 fulfilled 05-14).
    assert (found[region_key(w.s1)].positive, found[region_key(w.s1)].total) == (4, 9)
    assert (found[region_key(w.s2)].positive, found[region_key(w.s2)].total) == (2, 4)


def test_a_score_run_scores_the_practice_clause(
    pw: PracticeWorld, month: Month, framework: tuple[Framework, Node, Node]
) -> None:
    fw, _clause, _other = framework
    run = compute_run(framework=fw, region=pw.world.district, period=MAY, cutoff=CUTOFF)

    def score(key: tuple[str, int]) -> Decimal | None:
        nodes = {n.code: n for n in scope_tree(run, key).walk()}
        return nodes["3.1.1"].cell.score

    w = pw.world
    assert score(region_key(w.district)) == D("1")
    assert score(region_key(w.s1)) == D("1.1111")
    assert score(region_key(w.s2)) == D("0.8")
    assert score(unit_key(w.unit_c1)) == D("2")
    assert score(unit_key(w.line_cg)) == D("1")


def test_without_practice_data_the_clause_stays_not_measured(
    pw: PracticeWorld, framework: tuple[Framework, Node, Node]
) -> None:
    fw, _clause, _other = framework
    run = compute_run(framework=fw, region=pw.world.district, period=MAY, cutoff=CUTOFF)
    nodes = {n.code: n for n in scope_tree(run, region_key(pw.world.district)).walk()}
    assert nodes["3.1.1"].cell.score is None


def test_an_incremental_run_reads_only_its_clauses(
    pw: PracticeWorld, month: Month, framework: tuple[Framework, Node, Node]
) -> None:
    fw, _clause, other = framework
    ctx = make_context(
        load_tree(fw), pw.world.district, MAY, CUTOFF, only_nodes=frozenset({other.pk})
    )
    assert dict(practice_evidence(ctx)) == {}


def test_the_method_is_registered_and_imports_by_its_chinese_name() -> None:
    assert PROVIDERS.providers["practice"] is practice_evidence
    lookup = method_lookup()
    assert lookup["志愿服务数据"] == lookup["practice data"] == "practice"
