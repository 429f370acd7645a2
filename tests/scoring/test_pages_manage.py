"""/scoring/negative/ and /scoring/rules/: the office records events and edits rules; audited,
validated, refused to everybody else."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chuangcheng.core.models import AuditEntry
from chuangcheng.scoring.enums import RunKind, ScopeKind
from chuangcheng.scoring.models import ClauseRule, NegativeEvent, NodeScore
from tests.conftest import World, login
from tests.scoring.conftest import Scored
from tests.scoring.pages_data import PERIOD, October, october

NEG = "/scoring/negative/"
RULES = "/scoring/rules/"


@pytest.fixture
def oct_data(world: World, scored: Scored) -> October:
    return october(world, scored)


def _event(scored: Scored, world: World, **kw: Any) -> dict[str, Any]:
    data = {
        "clause": scored.parking.pk,
        "region": world.c1.pk,
        "unit": world.line_cg.pk,
        "occurred_on": "2026-10-09",
        "deduction": "0.5",
        "title": "占道经营被媒体曝光",
        "description": "北京日报10月9日报道",
    }
    data.update(kw)
    return data


def _live_parking(world: World, scored: Scored, **scope: Any) -> Decimal | None:
    return NodeScore.objects.get(run__kind=RunKind.LIVE, node=scored.parking, **scope).score


def test_office_records_event_and_live_scores_follow(
    world: World, scored: Scored, oct_data: October
) -> None:
    client = login(world.office)
    client.get("/scoring/", {"period": PERIOD})  # the live run exists
    assert _live_parking(world, scored, scope=ScopeKind.REGION, region=world.district) == 1
    r = client.post(NEG, _event(scored, world))
    assert r.status_code == 302
    ev = NegativeEvent.objects.get()
    assert (ev.deduction, ev.recorded_by) == (Decimal("0.5"), world.office)
    entry = AuditEntry.objects.get(object_type="scoring.negative_event")
    assert entry.after["deduction"] == "0.5" and entry.after["unit"] == "L001"
    assert _live_parking(world, scored, scope=ScopeKind.REGION, region=world.district) == Decimal(
        "0.5"
    )
    assert _live_parking(world, scored, scope=ScopeKind.REGION, region=world.s1) == Decimal("0.5")
    assert _live_parking(world, scored, scope=ScopeKind.UNIT, unit=world.line_cg) == Decimal("0.5")
    assert _live_parking(world, scored, scope=ScopeKind.REGION, region=world.s2) is None
    page = client.get(NEG)
    assert "占道经营被媒体曝光" in page.content.decode()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deduction": "0"}, "deduction"),
        ({"deduction": "-1"}, "deduction"),
        ({"deduction": "5"}, "deduction"),  # the clause carries 2 points
        ({"title": ""}, "title"),
        ({"occurred_on": "2026-13-01"}, "occurred_on"),
        ({"clause": "project"}, "clause"),
    ],
)
def test_event_validation_is_clear(
    world: World, scored: Scored, change: dict[str, str], field: str
) -> None:
    if change.get("clause") == "project":
        change = {"clause": str(scored.project1.pk)}
    r = login(world.office).post(NEG, _event(scored, world, **change))
    assert r.status_code == 200
    assert r.context["form"].errors[field]
    assert NegativeEvent.objects.count() == 0


def test_event_form_refused_to_readers(world: World, scored: Scored) -> None:
    for user in (world.leader, world.user_line):
        assert login(user).post(NEG, _event(scored, world)).status_code == 403
        assert login(user).get(NEG).context["form"] is None
    assert login(world.nobody).get(NEG).status_code == 403
    assert NegativeEvent.objects.count() == 0


def test_unit_sees_only_events_charged_to_it(world: World, scored: Scored) -> None:
    for unit, title in ((world.line_cg, "城管事件"), (world.unit_s2, "景山事件")):
        NegativeEvent.objects.create(
            clause=scored.parking,
            region=world.s2 if unit == world.unit_s2 else world.c1,
            unit=unit,
            occurred_on="2026-10-09",
            deduction=Decimal(1),
            title=title,
        )
    html = login(world.user_line).get(NEG).content.decode()
    assert "城管事件" in html and "景山事件" not in html
    html = login(world.leader).get(NEG).content.decode()
    assert "城管事件" in html and "景山事件" in html


def test_rules_list_shows_every_scored_clause(world: World, scored: Scored) -> None:
    r = login(world.office).get(RULES)
    assert [row["node"].number for row in r.context["rows"]] == [
        "1.1.1",
        "1.1.2.1",
        "1.1.2.2",
        "1.2.1.1",
        "2.1.1",
    ]
    assert login(world.leader).get(RULES).status_code == 403
    assert login(world.user_s1).get(RULES).status_code == 403
    assert login(world.office).get(f"{RULES}{scored.project1.pk}/").status_code == 404


def test_office_edits_a_rule_with_audit(world: World, scored: Scored) -> None:
    url = f"{RULES}{scored.market_records.pk}/"
    r = login(world.office).get(url)
    assert set(r.context["form"].fields) == {"field_rule", "deduction", "w_field", "w_survey"}
    r = login(world.office).post(
        url, {"field_rule": "deduct", "deduction": "0.25", "w_field": "1", "w_survey": "0"}
    )
    assert r.status_code == 302
    rule = ClauseRule.objects.get(node=scored.market_records)
    assert (rule.field_rule, rule.deduction, rule.weights) == (
        "deduct",
        Decimal("0.25"),
        {"field": 1.0, "survey": 0.0},
    )
    entry = AuditEntry.objects.get(object_type="scoring.rule")
    assert entry.before["weights"] == {"field": 0.7, "survey": 0.3}
    assert entry.after["field_rule"] == "deduct"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"w_field": "0", "w_survey": "0"}, "__all__"),
        ({"w_field": "-1", "w_survey": "1"}, "w_field"),
        ({"deduction": "0"}, "deduction"),
        ({"field_rule": "other"}, "field_rule"),
    ],
)
def test_rule_validation(world: World, scored: Scored, data: dict[str, str], field: str) -> None:
    base = {"field_rule": "ratio", "deduction": "0.5", "w_field": "1", "w_survey": "1"}
    r = login(world.office).post(f"{RULES}{scored.market_records.pk}/", {**base, **data})
    assert r.status_code == 200
    assert r.context["form"].errors[field]
    assert ClauseRule.objects.get(node=scored.market_records).weights == {
        "field": 0.7,
        "survey": 0.3,
    }


def test_rule_edit_refused_to_readers(world: World, scored: Scored) -> None:
    url = f"{RULES}{scored.parking.pk}/"
    data = {"field_rule": "deduct", "deduction": "1", "w_field": "1"}
    assert login(world.leader).post(url, data).status_code == 403
    assert login(world.user_line).post(url, data).status_code == 403
    assert not ClauseRule.objects.filter(node=scored.parking).exists()
