"""Survey answers as scoring evidence (method 问卷调查), on the hand-scorable framework of
tests/scoring (1.2.1.1 市民满意: 2 points, survey only; 1.1.2.2 消毒记录: 1 point, field 0.7 +
survey 0.3).

Credits in November 2026 on 1.2.1.1: 东华门 (s1) 1, 0.9, 0 → 1.9 of 3; 景山 (s2) 1, 1 → 2 of 2.
Never counted: an October answer, a voided response's answer, an answer given after the run's
cut-off, one from another district's street. District: 3.9 of 5 → 2 × 0.78 = 1.56; 东华门:
2 × 1.9/3 = 1.2667; 景山: 2 × 1 = 2; the street offices as their streets.
1.1.2.2: one answer of 0.9 in 景山 and no inspection: the survey carries the whole point:
1 × 0.9 = 0.9, coverage 0.3 (its weight).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from chuangcheng.cases.domain.periods import parse_period
from chuangcheng.scoring.domain.compute import compute_run, make_context
from chuangcheng.scoring.domain.reading import ScoreNode, region_key, scope_tree, unit_key
from chuangcheng.scoring.domain.tree import load_tree
from chuangcheng.surveys.domain.evidence import survey_evidence
from chuangcheng.surveys.enums import Measure, QuestionKind, ResponseState, SurveyStatus
from chuangcheng.surveys.models import Survey
from tests.conftest import World
from tests.factories import RegionFactory
from tests.scoring.conftest import Scored, at, build_scored
from tests.surveys.conftest import add_question
from tests.surveys.results_data import respond

NOV = parse_period("2026-11")
D = Decimal


@pytest.fixture
def scored(world: World) -> Scored:
    return build_scored(world)


@pytest.fixture
def answers(world: World, scored: Scored) -> Survey:
    survey = Survey.objects.create(
        code="sc2026", title="满意度", region=world.district, status=SurveyStatus.OPEN
    )
    scale = [("s", "满意", "1"), ("bs", "基本满意", "0.9"), ("ns", "不满意", "0")]
    sat = add_question(
        survey, 1, "sat", QuestionKind.SINGLE, "满意吗?", scale,
        measure=Measure.SATISFACTION, clause=scored.satisfaction,
    )  # fmt: skip
    rec = add_question(
        survey, 2, "rec", QuestionKind.SINGLE, "市场消毒满意吗?", scale,
        measure=Measure.SATISFACTION, clause=scored.market_records,
    )  # fmt: skip
    day = at("2026-11-12")
    for street, value in ((world.s1, "s"), (world.s1, "bs"), (world.s1, "ns")):
        respond(survey, street, "m", "30-44", {sat: value}, submitted_at=day)
    respond(survey, world.s2, "f", "30-44", {sat: "s", rec: "bs"}, submitted_at=day)
    respond(survey, world.s2, "f", "45-59", {sat: "s"}, submitted_at=day)
    # Never counted:
    respond(survey, world.s1, "m", "30-44", {sat: "ns"}, submitted_at=at("2026-10-30"))
    respond(survey, world.s2, "m", "30-44", {sat: "ns"}, state=ResponseState.VOID)
    respond(survey, world.s2, "m", "30-44", {sat: "ns"}, submitted_at=at("2026-11-20"))
    xicheng = RegionFactory(code="110102", name="西城区")
    far = RegionFactory(code="110102001", name="西长安街街道", parent=xicheng)
    respond(survey, far, "m", "30-44", {sat: "ns"}, submitted_at=day)
    return survey


def by_code(tree: ScoreNode) -> dict[str, ScoreNode]:
    return {n.code: n for n in tree.walk()}


CUTOFF = at("2026-11-15")


def test_the_provider_tallies_scores_by_clause_and_scope(
    world: World, scored: Scored, answers: Survey
) -> None:
    ctx = make_context(load_tree(scored.framework), world.district, NOV, CUTOFF)
    found = survey_evidence(ctx)
    sat = {k: (t.positive, t.total) for k, t in found[scored.satisfaction.pk].items()}
    assert sat == {
        region_key(world.district): (D("3.9"), 5),
        region_key(world.s1): (D("1.9"), 3),
        region_key(world.s2): (2, 2),
        unit_key(world.unit_s1): (D("1.9"), 3),
        unit_key(world.unit_s2): (2, 2),
    }
    rec = {k: (t.positive, t.total) for k, t in found[scored.market_records.pk].items()}
    assert rec[region_key(world.district)] == (D("0.9"), 1)


def test_a_score_run_scores_the_survey_clause_instead_of_not_measured(
    world: World, scored: Scored, answers: Survey
) -> None:
    run = compute_run(framework=scored.framework, region=world.district, period=NOV, cutoff=CUTOFF)
    district = by_code(scope_tree(run, region_key(world.district)))
    assert district["1.2.1.1"].cell.score == D("1.56")
    assert district["1.2.1.1"].cell.coverage == 1
    assert (district["1.1.2.2"].cell.score, district["1.1.2.2"].cell.coverage) == (
        D("0.9"),
        D("0.3"),
    )
    s1 = by_code(scope_tree(run, region_key(world.s1)))
    assert s1["1.2.1.1"].cell.score == D("1.2667")
    unit = by_code(scope_tree(run, unit_key(world.unit_s2)))
    assert unit["1.2.1.1"].cell.score == D(2)


def test_without_answers_the_survey_clause_stays_not_measured(world: World, scored: Scored) -> None:
    run = compute_run(framework=scored.framework, region=world.district, period=NOV, cutoff=CUTOFF)
    assert by_code(scope_tree(run, region_key(world.district)))["1.2.1.1"].cell.score is None


def test_a_draft_surveys_answers_do_not_count(
    world: World, scored: Scored, answers: Survey
) -> None:
    Survey.objects.filter(pk=answers.pk).update(status=SurveyStatus.DRAFT)
    ctx = make_context(load_tree(scored.framework), world.district, NOV, CUTOFF)
    assert dict(survey_evidence(ctx)) == {}


def test_an_incremental_run_reads_only_its_clauses(
    world: World, scored: Scored, answers: Survey
) -> None:
    ctx = make_context(
        load_tree(scored.framework), world.district, NOV, CUTOFF,
        only_nodes=frozenset({scored.market_records.pk}),
    )  # fmt: skip
    assert list(survey_evidence(ctx)) == [scored.market_records.pk]


def test_the_run_is_a_provider_of_the_registry() -> None:
    from chuangcheng.scoring.domain.evidence import PROVIDERS

    assert PROVIDERS.providers["survey"] is survey_evidence
    assert dt.date(2026, 11, 1) == NOV.start
