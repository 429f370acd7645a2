"""The classifier trained on closed cases, against the keyword rules it replaces.

The generated cases use words none of the categories' keywords contain, so the keyword rules
guess no category at all (0 % by construction), while the words of each category are its own:
a model that learns from the cases must get every held-out case right. The lead unit depends on
the street for two categories and on the line department for the other two.
"""

from __future__ import annotations

import io
import itertools

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangcheng.cases import classifier
from chuangcheng.cases.domain.suggest import keyword_scores, suggest
from chuangcheng.cases.enums import CaseSource, CaseStatus
from chuangcheng.cases.models import Case, CaseAssignment, Category, TrainedClassifier
from tests.conftest import World

PHRASES = {
    "S0101": ["塑料袋和纸箱扔了一地", "果皮纸屑满地都是", "剩饭剩菜倒在墙角"],
    "S0501": ["卖水果的推车堵在路口", "早点铺把桌椅搬到外面", "修鞋摊子占满通道"],
    "B0102": ["晚上那排灯一直黑着", "灯泡闪个不停", "照明杆歪了"],
    "S0502": ["电动自行车横七竖八挡住门口", "小汽车骑在人行道上", "三轮车占了盲人通道"],
}
PLACES = ["东华门大街", "多福巷", "景山前街", "北池子", "南河沿"]
TAILS = ["，请尽快处理", "，已经好几天了", "，影响行人", ""]
BY_STREET = {"S0101", "S0501"}  # the street office leads; otherwise the line department


def texts(code: str, n: int) -> list[str]:
    combos = itertools.cycle(itertools.product(PHRASES[code], PLACES, TAILS))
    return [f"{place}{phrase}{tail}" for phrase, place, tail in itertools.islice(combos, n)]


@pytest.fixture
def closed(world: World, categories: dict[str, Category]) -> list[Case]:
    """240 closed cases, 60 per category, alternating between the two streets."""
    lead_for = {"B0102": world.line_cg, "S0502": world.line_sj}
    now = timezone.now()
    cases, leads = [], []
    n = 0
    for code in PHRASES:
        for i, text in enumerate(texts(code, 60)):
            street, unit = (world.s1, world.unit_s1) if i % 2 == 0 else (world.s2, world.unit_s2)
            n += 1
            cases.append(
                Case(
                    number=f"2025-{n:06d}",
                    source=CaseSource.SUPERVISOR,
                    status=CaseStatus.CLOSED,
                    category=categories[code],
                    description=text,
                    region=street,
                    reported_at=now,
                    closed_at=now,
                )
            )
            leads.append(unit if code in BY_STREET else lead_for[code])
    Case.objects.bulk_create(cases)
    CaseAssignment.objects.bulk_create(
        CaseAssignment(case=c, unit=u, lead=True, dispatched_at=now)
        for c, u in zip(cases, leads, strict=True)
    )
    return cases


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    classifier._loaded.update(pk=None, model=None)


def test_the_generated_words_avoid_every_keyword(closed, categories) -> None:
    cats = list(Category.objects.all())
    assert all(keyword_scores(c.description, cats) == [] for c in closed)


def test_training_rows_carry_text_category_street_and_lead_unit(world: World, closed) -> None:
    rows = classifier.training_rows()
    assert len(rows) == 240
    first = rows[0]
    assert (first.text, first.category, first.street, first.unit) == (
        "东华门大街塑料袋和纸箱扔了一地，请尽快处理",
        "S0101",
        "110101001",
        world.unit_s1.pk,
    )
    assert classifier.street_key(world.c2.path) == "110101002"


@pytest.mark.parametrize("seed", [0, 7])
def test_both_feature_sets_beat_the_keywords_on_held_out_cases(world: World, closed, seed) -> None:
    rows = classifier.training_rows()
    ev = classifier.evaluate(rows, test_share=0.2, seed=seed)
    assert (ev.train, ev.test) == (192, 48)
    _train, test = classifier.split(rows, 0.2, seed)
    # Keywords: no category ever; the unit is the street office (the territorial unit of the
    # case's street), right exactly for the street-led categories.
    street_led = sum(1 for r in test if r.category in BY_STREET) / len(test)
    kw = ev.score("keywords")
    assert (kw.category_accuracy, kw.unit_accuracy) == (0.0, street_led)
    for features in ("char", "jieba"):
        s = ev.score(features)
        assert (s.category_accuracy, s.unit_accuracy) == (1.0, 1.0)
    assert ev.best == "char"  # ties keep the first, character n-grams
    assert ev.confusions == []


def test_nothing_is_trained_below_the_minimum(closed, settings) -> None:
    settings.CLASSIFIER_MIN_CASES = 241
    assert classifier.train_and_store() is None
    assert TrainedClassifier.objects.count() == 0


def test_a_stored_model_suggests_category_and_street_unit(
    world: World, closed, categories, settings
) -> None:
    settings.CLASSIFIER_MIN_CASES = 200
    stored = classifier.train_and_store(seed=1)
    assert stored is not None
    assert (stored.cases, stored.features, stored.category_accuracy) == (240, "char", 1.0)
    assert stored.baseline_accuracy == 0.0
    text = "南河沿修鞋摊子占满通道"  # seen words, a new combination
    assert suggest(text).method == "model"
    s2 = suggest(text, region=world.c2)
    assert (s2.category, s2.unit, s2.method) == (categories["S0501"], world.unit_s2, "model")
    s1 = suggest(text, region=world.c1)
    assert s1.unit == world.unit_s1
    lamp = suggest("北池子灯泡闪个不停", region=world.c2)
    assert (lamp.category, lamp.unit) == (categories["B0102"], world.line_cg)


def test_the_model_is_loaded_once_per_process(closed, settings) -> None:
    settings.CLASSIFIER_MIN_CASES = 200
    classifier.train_and_store()
    classifier.current_model()
    with CaptureQueriesContext(connection) as ctx:
        assert classifier.current_model() is not None
    assert len(ctx.captured_queries) == 1  # only "which model is newest?"


def test_keywords_answer_while_the_model_was_trained_on_too_few_cases(
    closed, categories, settings
) -> None:
    settings.CLASSIFIER_MIN_CASES = 200
    classifier.train_and_store()
    settings.CLASSIFIER_MIN_CASES = 1000  # the deployment raised the bar since
    found = suggest("路口垃圾堆放")
    assert (found.category, found.method) == (categories["S0101"], "keywords")


def test_only_three_models_are_kept(closed, settings) -> None:
    settings.CLASSIFIER_MIN_CASES = 200
    for seed in range(4):
        classifier.train_and_store(seed=seed)
    assert TrainedClassifier.objects.count() == 3


def test_evaluate_command_prints_both_and_the_baseline(closed) -> None:
    out = io.StringIO()
    call_command("cases", "evaluate-classifier", "--test-share", "0.25", "--seed", "3", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "已结案件：180 件用于训练，60 件留出评估（随机种子 3）。"
    assert lines[2].split()[:2] == ["keywords", "0.0%"]
    assert lines[3].split() == ["char", "100.0%", "100.0%", "*"]
    assert lines[4].split() == ["jieba", "100.0%", "100.0%"]


def test_train_command(closed, settings) -> None:
    settings.CLASSIFIER_MIN_CASES = 300
    out = io.StringIO()
    call_command("cases", "train-classifier", stdout=out)
    assert "未训练：已结案且有小类的案件 240 件，需要 300 件" in out.getvalue()
    out = io.StringIO()
    call_command("cases", "train-classifier", "--min-cases", "100", stdout=out)
    assert out.getvalue().startswith(
        "已用 240 件已结案件训练（特征：char）：留出案件上类别准确率 100.0%"
    )


def test_evaluate_refuses_too_few_cases(db) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("cases", "evaluate-classifier", stdout=io.StringIO())


def test_load_categories_command(db) -> None:
    out = io.StringIO()
    call_command("cases", "load-categories", stdout=out)
    n = Category.objects.count()
    assert n > 40 and out.getvalue().strip() == f"已创建 {n} 个类别。"
    out = io.StringIO()
    call_command("cases", "load-categories", stdout=out)
    assert out.getvalue().strip() == "已创建 0 个类别。"


def test_a_report_gets_the_models_suggestion(world: World, closed, categories, settings) -> None:
    from chuangcheng.cases.domain.intake import CaseData
    from chuangcheng.cases.domain.reporting import submit_report

    settings.CLASSIFIER_MIN_CASES = 200
    classifier.train_and_store()
    case = submit_report(
        CaseData(
            source=CaseSource.RESIDENT, description="景山前街小汽车骑在人行道上", point=world.p2
        ),
        actor=world.office,
    )
    assert (case.suggested_category, case.suggested_unit) == (categories["S0502"], world.line_sj)
