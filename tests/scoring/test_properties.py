"""Properties over the demo district: for any period, any scope and any scoring rules, every
parent equals the sum of its children and 0 ≤ score ≤ max_score everywhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chuangcheng.cases.domain.periods import parse_period
from chuangcheng.demo.loader import load_demo
from chuangcheng.demo.rounds import load_demo_rounds
from chuangcheng.demo.score_history import load_score_history
from chuangcheng.frameworks.models import Framework
from chuangcheng.scoring.domain.compute import compute_run
from chuangcheng.scoring.domain.reading import campaign_region, default_framework, scope_tree
from chuangcheng.scoring.domain.tree import load_tree
from chuangcheng.scoring.models import ClauseRule, ScoreRun
from tests.module_data import module_data
from tests.scoring.test_engine import assert_sums

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def demo(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Framework]:
    """The demo district with its rounds and score history, once for the module."""

    def load() -> Framework:
        load_demo(include_cases=False, stdout=StringIO())
        load_demo_rounds(today=TODAY)
        load_score_history(today=TODAY)
        return default_framework()

    media = str(tmp_path_factory.mktemp("media"))
    with module_data(django_db_blocker, load, media_root=media) as framework:
        yield framework


pytestmark = pytest.mark.usefixtures("demo", "db")

PERIODS = st.sampled_from(
    [
        "2024",
        "2025",
        "2026",
        "2025-Q3",
        "2026-Q3",
        "2025-12",
        "2026-03",
        "2026-09",
        "2026-10",
        "2026-08-15..2026-10-10",
    ]
)
RULES = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10_000),  # which scored node (modulo their count)
        st.sampled_from(["ratio", "deduct"]),
        st.decimals(min_value=Decimal("0.1"), max_value=Decimal(3), places=1),
        st.dictionaries(
            st.sampled_from(["field", "survey", "material", "online"]),
            st.integers(min_value=0, max_value=5),
            max_size=4,
        ),
    ),
    max_size=6,
)


def test_the_history_scores_every_period(demo: Framework) -> None:
    region = campaign_region()
    assert ScoreRun.objects.filter(region=region, period_key="2026-09").exists()
    run = compute_run(framework=demo, region=region, period=parse_period("2026-10"))
    tree = scope_tree(run, ("region", region.pk))
    assert tree.score is not None and tree.cell.coverage > 0
    assert_sums(tree)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(period=PERIODS, rules=RULES, scope_pick=st.integers(min_value=0, max_value=10_000))
def test_parents_are_sums_and_scores_stay_within_their_maximum(
    demo: Framework,
    period: str,
    rules: list[tuple[int, str, Decimal, dict[str, int]]],
    scope_pick: int,
) -> None:
    tree = load_tree(demo)
    scored = tree.scored_ids()
    with transaction.atomic():
        for pick, field_rule, deduction, weights in rules:
            ClauseRule.objects.update_or_create(
                node_id=scored[pick % len(scored)],
                defaults={"field_rule": field_rule, "deduction": deduction, "weights": weights},
            )
        region = campaign_region()
        run = compute_run(framework=demo, region=region, period=parse_period(period))
        keys = sorted({(r.scope, r.region_id or r.unit_id) for r in run.rows.all()})
        # Always the district, plus one street or unit chosen by hypothesis.
        for key in {("region", region.pk), keys[scope_pick % len(keys)]}:
            result = scope_tree(run, key)  # type: ignore[arg-type]
            assert_sums(result)
            assert result.cell.max_score == tree.max_score
        transaction.set_rollback(True)
