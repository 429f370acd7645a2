"""Figures pages, drill-downs, export and the bulletin form: who sees what, nothing leaks, the
query count stays flat."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.cases.enums import CaseStatus as S
from chuangcheng.core.models import AuditEntry
from tests.cases.figures_fixtures import at, make_case
from tests.conftest import World, login
from tests.factories import RegionFactory, UnitFactory

URL = "/cases/figures/"


@pytest.fixture
def month(world: World) -> dict[str, Any]:
    w = world
    return {
        # 东华门: one closed on time, one overdue.
        "s1_ok": make_case(
            w.c1, w.unit_s1, status=S.CLOSED, due=at(11, 3), feedback=at(11, 2), closed=at(11, 3)
        ),
        "s1_late": make_case(w.c1, w.unit_s1, status=S.DISPATCHED, due=at(11, 9)),
        # 景山 (another street): one closed late.
        "s2_late": make_case(
            w.c2,
            w.unit_s2,
            status=S.CLOSED,
            due=at(11, 4),
            feedback=at(11, 6),
            closed=at(11, 7),
            description="景山的问题",
        ),
        # 城管委 in 景山.
        "cg": make_case(
            w.c2,
            w.line_cg,
            status=S.CLOSED,
            due=at(11, 5),
            feedback=at(11, 4),
            closed=at(11, 5),
            description="城管委的问题",
        ),
    }


def _get(user: Any, url: str, **params: Any) -> Any:
    return login(user).get(url + ("?" + urlencode(params) if params else ""))


def test_office_sees_every_unit_street_and_total(world: World, month: Any) -> None:
    r = _get(world.office, URL, period="2026-11")
    assert r.status_code == 200
    html = r.content.decode()
    for name in (
        "东华门街道办事处",
        "景山街道办事处",
        "区城管委",
        "东华门街道",
        "景山街道",
        "合计",
    ):
        assert name in html
    table = r.context["table"]
    assert table.total.due == 4 and table.total.overdue == 1
    # Numbers link to the cases behind them.
    assert f"unit={world.unit_s1.pk}" in html and "figure=overdue" in html


def test_unit_sees_only_its_row_and_rank(world: World, month: Any) -> None:
    r = _get(world.user_s2, URL, period="2026-11")
    assert r.status_code == 200
    html = r.content.decode()
    assert "景山街道办事处" in html
    assert "东华门街道办事处" not in html and "区城管委" not in html and "合计" not in html
    rows = r.context["table"].units
    # 城管委: 30 + 30 + 30 + 2 = 92; 东华门 (1 of 2 closed, 1 of 2 on time): 15 + 15 + 30 + 2 =
    # 62; 景山 (closed late): 30 + 0 + 30 + 2 = 62. 景山 shares second place with 东华门.
    assert [(x.unit.name, x.rank) for x in rows] == [("景山街道办事处", 2)]
    assert r.context["scoped"].ranked == 3
    # Asking for a region is refused: a unit has no overview.
    assert _get(world.user_s2, URL, period="2026-11", region=world.district.pk).status_code == 404


def test_unit_detail_scoped(world: World, month: Any) -> None:
    url = f"{URL}unit/{world.unit_s1.pk}/"
    r = _get(world.user_s1, url, period="2026-11")
    assert r.status_code == 200
    months = [m for m, _q in r.context["rows"]]
    assert len(months) == 12 and months[0].period.key == "2026-11"
    assert months[0].counts.due == 2
    # Another street's unit, and a line department, are not the 东华门 user's.
    assert _get(world.user_s1, f"{URL}unit/{world.unit_s2.pk}/").status_code == 404
    assert _get(world.user_s1, f"{URL}unit/{world.line_cg.pk}/").status_code == 404
    assert _get(world.office, f"{URL}unit/{world.unit_s2.pk}/").status_code == 200
    assert _get(world.office, f"{URL}unit/999999/").status_code == 404


def test_people_without_figures_access_are_refused(world: World, month: Any) -> None:
    assert _get(world.nobody, URL).status_code == 403
    assert _get(world.inspector, URL).status_code == 403
    assert login(world.office).get(URL).status_code == 200
    from django.test import Client

    assert Client().get(URL).status_code == 302  # to the login page


def test_drilldown_lists_exactly_the_cases(world: World, month: Any) -> None:
    r = _get(
        world.office,
        URL + "cases/",
        period="2026-11",
        region=world.district.pk,
        unit=world.unit_s1.pk,
        figure="overdue",
    )
    assert r.status_code == 200
    assert [c.number for c in r.context["page"]] == [month["s1_late"].number]
    r = _get(world.office, URL + "cases/", period="2026-11", region=world.s2.pk, figure="due")
    assert {c.number for c in r.context["page"]} == {month["s2_late"].number, month["cg"].number}


def test_drilldown_does_not_leak(world: World, month: Any) -> None:
    # A unit asking for another unit's cases, or a region, gets 404.
    assert (
        _get(
            world.user_s1, URL + "cases/", period="2026-11", unit=world.unit_s2.pk, figure="due"
        ).status_code
        == 404
    )
    assert (
        _get(
            world.user_s1, URL + "cases/", period="2026-11", region=world.s2.pk, figure="due"
        ).status_code
        == 404
    )
    r = _get(world.user_s1, URL + "cases/", period="2026-11", unit=world.unit_s1.pk, figure="due")
    assert r.status_code == 200
    html = r.content.decode()
    assert month["s1_ok"].number in html and month["s2_late"].number not in html
    assert (
        _get(
            world.office, URL + "cases/", period="2026-11", figure="bogus", region=world.district.pk
        ).status_code
        == 404
    )


def test_bad_period_says_so_and_shows_this_month(world: World, month: Any) -> None:
    r = _get(world.office, URL, period="2026-13")
    assert r.status_code == 200
    assert "2026-13" in r.content.decode()
    assert r.context["error"]


def test_sorting_by_overdue(world: World, month: Any) -> None:
    r = _get(world.office, URL, period="2026-11", sort="overdue", dir="desc")
    assert r.context["table"].units[0].unit == world.unit_s1


def test_export_xlsx_scoped_and_audited(world: World, month: Any) -> None:
    from openpyxl import load_workbook

    r = _get(world.user_s1, URL + "export.xlsx", period="2026-11")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["责任单位"]
    ws = wb["责任单位"]
    assert [ws.cell(row=i, column=2).value for i in range(2, ws.max_row + 1)] == [
        "东华门街道办事处"
    ]
    entry = AuditEntry.objects.filter(action="export").latest("id")
    assert entry.actor == world.user_s1 and entry.note == "figures.xlsx"
    r = _get(world.office, URL + "export.xlsx", period="2026-11")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["责任单位", "街道"]
    assert wb["街道"].cell(row=4, column=1).value == "合计"


def test_page_queries_constant(world: World, month: Any) -> None:
    client = login(world.office)
    client.get(URL, {"period": "2026-11"})

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"period": "2026-11"}).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(15):
        street = RegionFactory(parent=world.district)
        unit = UnitFactory(region=street)
        make_case(
            street,
            unit,
            status=S.CLOSED,
            due=at(11, 10),
            feedback=at(11, 9),
            closed=at(11, 10),
            partners=(world.line_sj,),
        )
        make_case(street, world.line_cg, status=S.DISPATCHED, due=at(11, 2 + i))
    assert count() == small


def test_bulletin_form_and_download(world: World, month: Any) -> None:
    client = login(world.office)
    r = client.get(URL + "bulletin/")
    assert r.status_code == 200
    data = {
        "period": "2026-11",
        "region": world.district.pk,
        "issuer": "东城区文明办",
        "number": "东城区文明办〔2026〕第11期",
        "title": "关于2026年11月城市管理问题督查整改情况的通报",
        "recipients": "各街道办事处：",
        "date": "2026-12-05",
        "format": "docx",
    }
    r = client.post(URL + "bulletin/", data)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.word")
    assert r["Content-Disposition"] == 'attachment; filename="bulletin-2026-11-110101.docx"'
    r = client.post(URL + "bulletin/", {**data, "format": "xlsx"})
    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(r.content))["案件明细"].max_row == 1 + 4


def test_bulletin_form_refuses_bad_input(world: World, month: Any) -> None:
    client = login(world.office)
    before = AuditEntry.objects.filter(action="export").count()
    r = client.post(
        URL + "bulletin/",
        {"period": "2026-Q5", "region": world.district.pk, "issuer": "", "format": "pdf"},
    )
    assert r.status_code == 200 and r["Content-Type"].startswith("text/html")
    form = r.context["form"]
    assert set(form.errors) >= {"period", "issuer", "number", "title", "date"}
    assert AuditEntry.objects.filter(action="export").count() == before


def test_bulletin_only_for_the_office(world: World, month: Any) -> None:
    assert login(world.user_s1).get(URL + "bulletin/").status_code == 403
    assert login(world.leader).get(URL + "bulletin/").status_code == 403
    # An office may not pick a region outside its own.
    other = RegionFactory(code="110102", name="西城区", level="district")
    r = login(world.office).post(
        URL + "bulletin/", {"period": "2026-11", "region": other.pk, "format": "pdf"}
    )
    assert "region" in r.context["form"].errors
