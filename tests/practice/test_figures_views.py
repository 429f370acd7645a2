"""The figures page, its export and the dashboard panel: scoped like the API, constant queries,
and never a ranking of volunteers."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chuangcheng.core.models import AuditEntry
from chuangcheng.practice.panels import practice_month
from tests.conftest import login
from tests.practice.conftest import PracticeWorld
from tests.practice.figures_data import build_month, grow


def page(user: Any, **query: Any) -> Any:
    return login(user).get(reverse("practice:figures"), query)


def test_the_page_shows_the_months_figures(pw: PracticeWorld) -> None:
    build_month(pw)
    r = page(pw.world.office, period="2026-05")
    assert r.status_code == 200
    html = r.content.decode()
    f = r.context["figures"]
    assert (f.region, f.period.key, f.total.orders.total) == (pw.world.district, "2026-05", 8)
    assert '<div class="value" id="pf-fulfil">57.1%</div>' in html
    assert '<div class="value" id="pf-sat">66.7%</div>' in html
    assert '<div class="value" id="pf-hours">7.5</div>' in html
    assert ("已评价", 3) in r.context["status_rows"]
    assert "志愿者甲" not in html  # no volunteer by name, no league table


def test_this_year_by_default_and_a_street_for_its_office(pw: PracticeWorld) -> None:
    r = page(pw.world.user_s1)
    assert r.context["figures"].region == pw.world.s1
    assert len(r.context["figures"].period.key) == 4
    assert page(pw.world.user_s1, region=pw.world.s2.pk).status_code == 404
    assert page(pw.world.office, region=pw.other_district.pk).status_code == 404
    assert page(pw.other_office, period="2026-05").context["figures"].total.orders.total == 0


def test_who_is_refused(pw: PracticeWorld) -> None:
    assert page(pw.world.auditor).status_code == 403
    assert page(pw.vol1_user).status_code == 403
    # A line department may read figures in general but has no region: an explanation, no data.
    r = page(pw.world.user_line)
    assert r.status_code == 200 and r.context["figures"] is None


def test_a_bad_period_says_why_and_shows_this_year(pw: PracticeWorld) -> None:
    r = page(pw.world.office, period="2026-13")
    assert r.context["period_error"] == "月份须在1至12之间。"


def test_the_page_takes_constant_queries(pw: PracticeWorld) -> None:
    build_month(pw)

    def measure() -> int:
        client = login(pw.world.office)
        client.get(reverse("practice:figures"), {"period": "2026-05"})
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("practice:figures"), {"period": "2026-05"})
        return len(ctx.captured_queries)

    small = measure()
    grow(pw, 5)
    assert measure() == small


def test_the_export_has_a_sheet_per_table_and_is_audited(pw: PracticeWorld) -> None:
    build_month(pw)
    client = login(pw.world.office)
    r = client.get(reverse("practice:figures_export"), {"period": "2026-05"})
    assert r.status_code == 200
    assert r["Content-Disposition"] == 'attachment; filename="practice-figures-110101-2026-05.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["队伍", "实践阵地", "街道"]
    streets = list(wb["街道"].iter_rows(values_only=True))
    assert streets[0][:3] == ("街道", "订单数", "已点单")
    header = streets[0]
    s1 = dict(zip(header, streets[1], strict=True))
    total = dict(zip(header, streets[3], strict=True))
    assert (s1["街道"], s1["订单数"], s1["服务时长"], s1["圆单率 %"]) == (
        "东华门街道",
        5,
        4.5,
        75.0,
    )
    assert (total["街道"], total["订单数"], total["积分发放"], total["积分兑换"]) == (
        "东城区",
        8,
        28,
        10,
    )
    teams = list(wb["队伍"].iter_rows(values_only=True))
    assert [row[0] for row in teams[1:]] == ["东城区志愿服务总队", "多福巷小队", "未派给队伍"]
    entry = AuditEntry.objects.get(object_type="practice.figures")
    assert (entry.action, entry.note) == ("export", "2026-05 110101")
    assert (
        client.get(reverse("practice:figures_export"), {"region": pw.other_district.pk}).status_code
        == 404
    )


class FakeRequest:
    def __init__(self, user: Any) -> None:
        self.user = user


def test_the_dashboard_panel_shows_this_months_service(pw: PracticeWorld) -> None:
    ctx = practice_month(FakeRequest(pw.world.leader), "leader")
    assert ctx is not None
    assert ctx["figures"].region == pw.world.district
    assert ctx["link"].startswith(reverse("practice:figures") + "?period=")
    assert practice_month(FakeRequest(pw.world.auditor), "office") is None
    assert practice_month(FakeRequest(pw.world.user_line), "office") is None
    home = login(pw.world.leader).get("/").content.decode()
    assert "本月志愿服务" in home
