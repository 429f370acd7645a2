"""What the archives register elsewhere, with exact values: the scoring evidence of "material"
and "online", the appraisal's ``materials`` component, the ``archives.overdue`` warning kind
(and its preset rule), and the two dashboard panels."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.test import RequestFactory
from django.utils import timezone

from chuangcheng.alerts.domain.kinds import KINDS
from chuangcheng.alerts.models import WarningRule
from chuangcheng.appraisal.domain.components import PROVIDERS as COMPONENTS
from chuangcheng.appraisal.domain.components import Context as AppraisalContext
from chuangcheng.archives.domain.review import decide
from chuangcheng.archives.enums import Decision
from chuangcheng.archives.models import Attachment
from chuangcheng.cases.domain.periods import month_period, parse_period
from chuangcheng.core.dashboards import PANELS
from chuangcheng.frameworks.models import Node
from chuangcheng.scoring.domain.compute import make_context
from chuangcheng.scoring.domain.evidence import PROVIDERS
from chuangcheng.scoring.domain.tree import load_tree
from chuangcheng.scoring.enums import ScopeKind
from tests.archives.conftest import Arch, file_for
from tests.archives.test_matrix import approve_fully

TZ = timezone.get_current_timezone()


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def approved_on_time_and_late(arch: Arch) -> None:
    """line_cg approves ledger (filed before 3-31); unit_s2's plan filed, returned, refiled on
    5-10 (after 4-30) and approved; unit_s1 files nothing."""
    w = arch.world
    a = Attachment.objects.get(
        material=file_for(arch, w.user_line, arch.req(arch.ledger, w.line_cg))
    )
    Attachment.objects.filter(pk=a.pk).update(submitted_at=at(dt.date(2026, 3, 20)))
    approve_fully(arch, a)
    b = Attachment.objects.get(
        material=file_for(arch, w.user_s2, arch.req(arch.plan, w.unit_s2), title="方案")
    )
    Attachment.objects.filter(pk=b.pk).update(submitted_at=at(dt.date(2026, 5, 10)))
    approve_fully(arch, b)
    Attachment.objects.filter(approved_at__isnull=False).update(
        approved_at=at(dt.date(2026, 5, 12))
    )


def test_scoring_evidence_material_and_online(arch: Arch) -> None:
    w = arch.world
    Node.objects.filter(pk__in=[arch.ledger.pk, arch.plan.pk]).update(score=Decimal("2"))
    approved_on_time_and_late(arch)
    tree = load_tree(arch.framework)
    ctx = make_context(tree, w.district, parse_period("2026"), at(dt.date(2026, 12, 31)))
    material = PROVIDERS.providers["material"](ctx)
    ledger = material[arch.ledger.pk]
    assert (
        ledger[(ScopeKind.UNIT, w.line_cg.pk)].positive,
        ledger[(ScopeKind.UNIT, w.line_cg.pk)].total,
    ) == (1, 1)
    assert (
        ledger[(ScopeKind.UNIT, w.unit_s1.pk)].positive,
        ledger[(ScopeKind.UNIT, w.unit_s1.pk)].failed,
    ) == (0, 1)
    district = ledger[(ScopeKind.REGION, w.district.pk)]
    assert (district.positive, district.total) == (Fraction(1), Fraction(2))
    online = PROVIDERS.providers["online"](ctx)
    assert set(online) == {arch.plan.pk}  # only the plan clause is declared online
    assert online[arch.plan.pk][(ScopeKind.UNIT, w.unit_s2.pk)].ratio == 1
    # Before the approvals nothing is approved yet; before its due date, plan is not owed.
    early = make_context(tree, w.district, parse_period("2026"), at(dt.date(2026, 4, 15)))
    tallies = PROVIDERS.providers["material"](early)
    assert set(tallies) == {arch.ledger.pk}
    assert tallies[arch.ledger.pk][(ScopeKind.REGION, w.district.pk)].ratio == 0


def test_appraisal_materials_component(arch: Arch) -> None:
    w = arch.world
    approved_on_time_and_late(arch)
    provider = COMPONENTS.providers["materials"]
    ctx = AppraisalContext(
        period=parse_period("2026"), region=w.district, now=at(dt.date(2026, 12, 1)), formula=None
    )
    values = {unit_id: c.value for unit_id, c in provider(ctx).items()}
    assert values == {
        w.line_cg.pk: Fraction(1),
        w.unit_s1.pk: Fraction(0),
        w.unit_s2.pk: Fraction(0),
    }
    march = AppraisalContext(
        period=month_period(2026, 3), region=w.district, now=at(dt.date(2026, 12, 1)), formula=None
    )
    assert set(provider(march)) == {w.line_cg.pk, w.unit_s1.pk}


def test_overdue_kind(arch: Arch) -> None:
    w = arch.world
    kind = KINDS["archives.overdue"]
    before = list(kind.evaluate({"days": 0}, at(dt.date(2026, 3, 31))))  # due today: not late
    assert before == []
    found = {f.key: f for f in kind.evaluate({"days": 0}, at(dt.date(2026, 4, 2)))}
    ledger_cg, ledger_s1 = arch.req(arch.ledger, w.line_cg), arch.req(arch.ledger, w.unit_s1)
    assert set(found) == {f"requirement:{ledger_cg.pk}", f"requirement:{ledger_s1.pk}"}
    f = found[f"requirement:{ledger_s1.pk}"]
    assert f.title == "东华门街道办事处：1. 建立志愿服务台账 的材料已逾期 2 天"
    assert (f.unit_id, f.region_id, f.value) == (w.unit_s1.pk, w.s1.pk, 2.0)
    assert f.url == f"/archives/requirements/{ledger_s1.pk}/"
    # Filed (in review) is no longer overdue; returned is again.
    a = Attachment.objects.get(material=file_for(arch, w.user_s1, ledger_s1))
    assert f"requirement:{ledger_s1.pk}" not in {
        x.key for x in kind.evaluate({}, at(dt.date(2026, 4, 2)))
    }
    decide(actor=w.office, attachment=a, decision=Decision.RETURN, comment="缺页")
    assert f"requirement:{ledger_s1.pk}" in {
        x.key for x in kind.evaluate({}, at(dt.date(2026, 4, 2)))
    }
    assert len(list(kind.evaluate({"days": 2}, at(dt.date(2026, 4, 2))))) == 0
    assert len(list(kind.evaluate({"days": 1}, at(dt.date(2026, 4, 2))))) == 2


def test_preset_rule_and_levels_from_the_migration(arch: Arch) -> None:
    rule = WarningRule.objects.get(kind="archives.overdue")
    assert (rule.name, rule.params, rule.level) == ("材料逾期未报送", {"days": 0}, "orange")
    assert [(lv.number, lv.name, lv.role) for lv in arch.levels] == [
        (1, "区初审", "office"),
        (2, "市复审", "office"),
    ]


def request_for(user: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_unit_panel_materials_due(arch: Arch, monkeypatch: Any) -> None:
    w = arch.world
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2026, 4, 2))
    file_for(arch, w.user_s2, arch.req(arch.plan, w.unit_s2), title="方案")
    panel = PANELS["archives.materials_due"]
    ctx = panel.build(request_for(w.user_s1), "unit")
    assert ctx is not None
    assert {c["state"].value: c["n"] for c in ctx["counts"]} == {
        "missing": 1,
        "submitted": 0,
        "returned": 0,
        "approved": 0,
    }
    assert [r.pk for r, _s in ctx["next"]] == [arch.req(arch.ledger, w.unit_s1).pk]
    assert panel.build(request_for(w.office), "unit") is None


def test_office_panel_awaiting_review(arch: Arch) -> None:
    w = arch.world
    a = Attachment.objects.get(material=file_for(arch, w.user_s1, arch.req(arch.ledger, w.unit_s1)))
    panel = PANELS["archives.awaiting_review"]
    ctx = panel.build(request_for(w.office), "office")
    assert ctx is not None
    assert [(row["level"].number, row["n"]) for row in ctx["levels"]] == [(1, 1), (2, 0)]
    assert [x.pk for x in ctx["oldest"]] == [a.pk]
    assert panel.build(request_for(w.user_s1), "office") is None
    assert panel.build(request_for(w.leader), "office") is None
