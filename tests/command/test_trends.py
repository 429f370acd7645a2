"""动态分析: exact figures for a small set of cases and inspections, computed by hand."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from chuangcheng.cases.enums import CaseStatus
from chuangcheng.cases.models import Case
from chuangcheng.command.domain.trends_cases import case_trends, change_pct
from chuangcheng.command.domain.trends_compliance import compliance_trend
from chuangcheng.command.domain.trends_periods import TrendFilters, read_filters
from chuangcheng.command.domain.trends_recurring import recurring
from chuangcheng.core.models import AuditEntry
from chuangcheng.inspections.enums import Result
from tests.cases.figures_fixtures import at, make_case
from tests.conftest import World, login
from tests.scoring.conftest import Scored, observe

AT = dt.date(2026, 11, 20)
MONTH = TrendFilters("month", AT)


@dataclass
class Cases:
    a: Case
    b: Case
    c: Case
    d: Case
    e: Case
    f: Case
    g: Case
    i: Case
    j: Case
    k: Case


def _case(world: World, when: dt.datetime, **kw: Any) -> Case:
    s2 = kw.pop("s2", False)
    lead = kw.pop("lead", world.unit_s2 if s2 else world.unit_c1)
    return make_case(
        world.c2 if s2 else world.c1,
        lead,
        reported=when,
        due=when + dt.timedelta(days=3) if lead else None,
        dispatched=when if lead else None,
        **kw,
    )


def build(world: World, cat: dict[str, Any]) -> Cases:
    """October: a, b (东华门), i (景山). November: c, d, e, f, g (东华门), j, k (景山)."""
    dirt, ads = cat["S0101"], cat["S0201"]
    p1, p2 = world.p1, world.p2
    near = {"lng": Decimal("116.404800"), "lat": Decimal("39.925000")}
    near2 = {"lng": Decimal("116.404900"), "lat": Decimal("39.925050")}  # ~10 m away
    far = {"lng": Decimal("116.420000"), "lat": Decimal("39.940000")}
    cases = Cases(
        a=_case(world, at(10, 31, 23, 30), category=dirt, point=p1),  # last minutes of October
        b=_case(world, at(10, 20), category=dirt, point=p1),
        c=_case(world, at(11, 3), category=dirt, point=p1),
        d=_case(world, at(11, 10), category=ads, **near),
        e=_case(world, at(11, 12), category=ads, **near2),
        f=_case(world, at(11, 15), category=ads, **far),
        g=_case(
            world,
            at(11, 1, 0, 10),
            category=dirt,
            status=CaseStatus.CLOSED,
            closed=at(11, 5),
            feedback=at(11, 4),
            rework=2,
        ),
        i=_case(world, at(10, 8), category=dirt, point=p2, s2=True),
        j=_case(world, at(11, 8), category=dirt, point=p2, s2=True),
        k=_case(world, at(11, 9), s2=True, lead=None, status=CaseStatus.REGISTERED),
    )
    # Never counted: a declined report; not listed as reworked: one failed re-check.
    _case(world, at(11, 2), category=dirt, point=p1, status=CaseStatus.REJECTED, lead=None)
    _case(world, at(11, 2), category=ads, rework=1)
    # Reported in September, closed in October: counts as closed in October only.
    _case(world, at(9, 28), status=CaseStatus.CLOSED, closed=at(10, 2), feedback=at(10, 1))
    return cases


@pytest.fixture
def data(world: World, categories: dict[str, Any]) -> Cases:
    return build(world, categories)


def test_change_pct() -> None:
    assert change_pct(7, 3) == Decimal("133.3")
    assert change_pct(3, 3) == Decimal("0.0")
    assert change_pct(1, 3) == Decimal("-66.7")
    assert change_pct(3, 0) is None


def test_cases_by_month_with_change(world: World, data: Cases) -> None:
    t = case_trends(world.office, MONTH)
    assert t.periods[0].period.key == "2025-12"
    assert len(t.periods) == 12
    rows = {p.period.key: (p.reported, p.closed, p.delta, p.pct) for p in t.periods}
    assert rows["2026-09"] == (1, 0, 1, None)
    assert rows["2026-10"] == (3, 1, 2, Decimal("200.0"))
    assert rows["2026-11"] == (8, 1, 5, Decimal("166.7"))
    assert (t.current.key, t.previous.key) == ("2026-11", "2026-10")


def test_weeks_start_on_monday_and_quarters_add_up(world: World, data: Cases) -> None:
    weeks = case_trends(world.office, TrendFilters("week", AT)).periods
    assert len(weeks) == 12
    found = {p.period.start.isoformat(): p.reported for p in weeks[-4:]}
    # 11-01 is a Sunday (week of 10-26); 11-15 too (week of 11-09).
    assert found == {"2026-10-26": 2, "2026-11-02": 3, "2026-11-09": 4, "2026-11-16": 0}
    quarters = case_trends(world.office, TrendFilters("quarter", AT)).periods
    assert len(quarters) == 8
    assert [(p.period.key, p.reported) for p in quarters[-2:]] == [("2026-Q3", 1), ("2026-Q4", 11)]


def test_by_category_street_and_unit(world: World, data: Cases, categories: dict[str, Any]) -> None:
    t = case_trends(world.office, MONTH)
    dirt, ads = categories["S0101"], categories["S0201"]
    assert [(c.name, c.now, c.before, c.delta, c.pct) for c in t.categories] == [
        (f"{ads.parent.name} › {ads.name}", 4, 0, 4, None),
        (f"{dirt.parent.name} › {dirt.name}", 3, 3, 0, Decimal("0.0")),
        ("未分类", 1, 0, 1, None),
    ]
    assert [(c.name, c.now, c.before) for c in t.streets] == [
        ("东华门街道", 6, 2),
        ("景山街道", 2, 1),
    ]
    assert [(c.name, c.now, c.before) for c in t.units] == [
        ("多福巷社区居委会", 6, 2),
        ("景山街道办事处", 1, 1),
        ("未派遣", 1, 0),
    ]


def test_filters_narrow_to_a_street_or_unit_within_scope(world: World, data: Cases) -> None:
    street = read_filters(world.office, {"street": str(world.s1.pk), "at": "2026-11-20"})
    assert [p.reported for p in case_trends(world.office, street).periods[-2:]] == [2, 6]
    unit = read_filters(world.office, {"unit": str(world.unit_s2.pk), "at": "2026-11-20"})
    assert [p.reported for p in case_trends(world.office, unit).periods[-2:]] == [1, 1]
    # 景山 cannot ask for 东华门: the filter is dropped, and it still sees only its own cases.
    outside = read_filters(world.user_s2, {"street": str(world.s1.pk), "at": "2026-11-20"})
    assert outside.street is None
    assert [p.reported for p in case_trends(world.user_s2, outside).periods[-2:]] == [1, 2]
    assert read_filters(world.office, {"grain": "year", "at": "bad"}) == TrendFilters()


def test_compliance_by_street_and_period(world: World, scored: Scored) -> None:
    s = scored
    observe(
        s.framework,
        world.p1,
        "2026-10-10",
        {s.clean_ground: Result.PASS, s.clean_posters: Result.FAIL},
    )
    observe(
        s.framework,
        world.p1,
        "2026-11-05",
        {s.clean_ground: Result.PASS, s.clean_posters: Result.PASS},
    )
    observe(
        s.framework,
        world.p2,
        "2026-11-06",
        {s.market_rows: Result.PASS, s.market_records: Result.FAIL, s.satisfaction: Result.NA},
    )
    c = compliance_trend(world.office, MONTH)
    rates = {x.name: [r.percent for r in x.rates[-3:]] for x in c.streets}
    assert rates == {
        "东华门街道": [None, Decimal("50.0"), Decimal("100.0")],
        "景山街道": [None, None, Decimal("50.0")],
    }
    assert [r.percent for r in c.total.rates[-2:]] == [Decimal("50.0"), Decimal("75.0")]
    assert c.total.rates[-1].na == 1
    mine = compliance_trend(world.user_s1, MONTH)
    assert [x.name for x in mine.streets] == ["东华门街道"]
    assert [r.percent for r in mine.total.rates[-2:]] == [Decimal("50.0"), Decimal("100.0")]


def test_recurring_groups_rework_and_streets(world: World, data: Cases) -> None:
    r = recurring(world.office, MONTH)
    assert [(g.kind, g.place, g.count, [c.number for c in g.cases]) for g in r.groups] == [
        ("point", "多福巷", 3, [data.c.number, data.a.number, data.b.number]),
        ("place", "", 2, [data.e.number, data.d.number]),  # the newer of the two groups of 2
        ("point", "景山市场", 2, [data.j.number, data.i.number]),
    ]
    assert [(x.number, x.rework) for x in r.rework] == [(data.g.number, 2)]
    assert [(x.street.name, x.groups, x.cases, x.rework) for x in r.streets] == [
        ("东华门街道", 2, 5, 1),
        ("景山街道", 1, 2, 0),
    ]
    theirs = recurring(world.user_s2, MONTH)
    assert [g.place for g in theirs.groups] == ["景山市场"]
    assert theirs.rework == []


def test_page_api_and_export_agree_and_do_not_leak(world: World, data: Cases) -> None:
    office = login(world.office)
    page = office.get("/command/trends/", {"at": "2026-11-20"})
    assert page.status_code == 200
    assert page.context["cases"].periods[-1].reported == 8
    assert data.a.number in page.content.decode()
    api = office.get("/api/v1/trends/cases", {"at": "2026-11-20"}).json()
    assert [p["reported"] for p in api["periods"][-2:]] == [3, 8]
    assert api["periods"][-1]["pct"] == 166.7
    unit = login(world.user_s2)
    body = unit.get("/command/trends/", {"at": "2026-11-20"}).content.decode()
    assert data.a.number not in body and "多福巷" not in body and data.j.number in body
    for name in ("cases", "compliance", "recurring"):
        text = unit.get(f"/api/v1/trends/{name}", {"at": "2026-11-20"}).content.decode()
        assert data.a.number not in text and "\\u4e1c\\u534e\\u95e8" not in text  # 东华门
    export = unit.get("/command/trends/export.xlsx", {"at": "2026-11-20"})
    cells = [
        str(v)
        for sheet in load_workbook(io.BytesIO(export.content))
        for row in sheet.iter_rows(values_only=True)
        for v in row
    ]
    assert data.j.number in ", ".join(cells) and data.a.number not in ", ".join(cells)
    assert "东华门街道" not in cells
    for user in (world.leader, world.user_line):
        r = login(user).get("/command/trends/")
        assert r.status_code == 200
        assert "/command/trends/" in [i["url"] for i in r.context["nav_items"]]
    assert login(world.nobody).get("/command/trends/").status_code == 403
    assert login(world.nobody).get("/api/v1/trends/cases").status_code == 403


def test_export_is_an_audited_workbook(world: World, data: Cases) -> None:
    r = login(world.office).get("/command/trends/export.xlsx", {"at": "2026-11-20"})
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames[:4] == ["按期间", "按类别", "按街道", "按单位"]
    periods = list(wb["按期间"].iter_rows(values_only=True))
    assert periods[-1] == ("2026年11月", 8, 1, 5, 166.7)
    streets = list(wb["按街道"].iter_rows(values_only=True))
    assert streets[1] == ("东华门街道", 6, 2, 4, 200.0)
    entry = AuditEntry.objects.get(action="export", object_type="command.trends")
    assert entry.actor == world.office and "at=2026-11-20" in entry.note


def test_trends_page_in_a_constant_number_of_queries(
    world: World, categories: dict[str, Any]
) -> None:
    client = login(world.office)
    build(world, categories)
    client.get("/command/trends/", {"at": "2026-11-20"})
    with CaptureQueriesContext(connection) as few:
        client.get("/command/trends/", {"at": "2026-11-20"})
    for _i in range(4):
        build(world, categories)
    with CaptureQueriesContext(connection) as many:
        r = client.get("/command/trends/", {"at": "2026-11-20"})
    assert r.context["cases"].periods[-1].reported == 40
    assert len(many) == len(few)
