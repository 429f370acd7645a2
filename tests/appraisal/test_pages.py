"""The appraisal pages, export and API: scoped to what each user may see, audited, with a
constant number of queries as units grow."""

from __future__ import annotations

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.appraisal.domain.providers import clause_reading
from chuangcheng.cases.domain.periods import parse_period
from chuangcheng.core.models import AuditEntry
from chuangcheng.orgs.enums import UnitKind
from tests.appraisal.conftest import Month, closed
from tests.conftest import login
from tests.factories import UnitFactory

Q = "?period=2026-10"


def test_office_sees_the_whole_ranking(month: Month) -> None:
    body = login(month.world.office).get("/appraisal/" + Q).content.decode()
    assert "单位考核" in body and "综合考核（整改60%+测评40%）" in body
    for name in ("景山街道办事处", "区城管委", "东华门街道办事处", "区市场监管局"):
        assert name in body
    assert "不参与排名" in body and "红黑榜" in body


def test_unit_sees_only_its_own_row_with_its_rank(month: Month) -> None:
    w = month.world
    body = login(w.user_s1).get("/appraisal/" + Q).content.decode()
    assert "东华门街道办事处" in body
    for other in ("景山街道办事处", "区城管委", "区市场监管局"):
        assert other not in body
    assert "/ 3" in body  # its rank among all three ranked units
    assert "红黑榜" not in body


def test_unit_detail_is_404_for_another_units_appraisal(month: Month) -> None:
    w = month.world
    client = login(w.user_s1)
    assert client.get(f"/appraisal/units/{w.unit_s1.pk}/" + Q).status_code == 200
    assert client.get(f"/appraisal/units/{w.unit_s2.pk}/" + Q).status_code == 404
    assert client.get(f"/appraisal/units/{w.line_cg.pk}/" + Q).status_code == 404


def test_unit_detail_shows_components_and_the_figures_behind(month: Month) -> None:
    w = month.world
    body = login(w.office).get(f"/appraisal/units/{w.line_cg.pk}/" + Q).content.decode()
    assert "72.20" in body and "77.00%" in body and "65.00%" in body
    assert f"/cases/figures/unit/{w.line_cg.pk}/?period=2026-10" in body
    assert "道路街巷整洁" in body and "无乱停车" in body


def test_honour_page_is_for_the_office_and_leader_only(month: Month) -> None:
    w = month.world
    body = login(w.leader).get("/appraisal/honour/" + Q + "&n=1").content.decode()
    assert "红榜" in body and "黑榜" in body
    assert body.index("景山街道办事处") < body.index("东华门街道办事处")
    assert "最弱分项：整改，62.00%" in body
    assert login(w.user_s1).get("/appraisal/honour/" + Q).status_code == 403
    bad = login(w.office).get("/appraisal/honour/" + Q + "&n=abc").content.decode()
    assert "请填写1–50之间的数字" in bad


def test_people_without_access_are_refused(month: Month) -> None:
    w = month.world
    for user in (w.nobody, w.inspector):
        assert login(user).get("/appraisal/" + Q).status_code == 403
    assert login(w.office).get("/appraisal/?period=2026-10&region=999999").status_code == 404
    assert login(w.office).get(f"/appraisal/?period=2026-10&region={w.s1.pk}").status_code == 404


def test_export_is_scoped_and_audited(month: Month) -> None:
    from openpyxl import load_workbook

    w = month.world
    response = login(w.user_s1).get("/appraisal/export.xlsx" + Q)
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws is not None
    units = [row[1] for row in ws.iter_rows(min_row=2, values_only=True) if row[1]]
    assert units[0] == "东华门街道办事处" and "景山街道办事处" not in units
    office = load_workbook(io.BytesIO(login(w.office).get("/appraisal/export.xlsx" + Q).content))
    sheet = office.active
    assert sheet is not None
    first = [c.value for c in sheet[2]]
    assert first[:4] == [1, "景山街道办事处", "S002", 3]
    assert first[4] == 0.92 and first[6] == 92.0
    entry = AuditEntry.objects.filter(action="export").latest("id")
    assert entry.object_type == "appraisal.ranking" and entry.actor == w.office


def test_api_ranking_with_components(month: Month) -> None:
    w = month.world
    data = login(w.office).get("/api/v1/appraisal/" + Q).json()
    assert data["overview"] is True and data["ranked"] == 3
    assert data["formula"]["used"] == ["rectification", "clauses"]
    first = data["rows"][1]
    assert first["unit"]["code"] == "L001" and first["composite"] == "72.20"
    assert [(c["code"], c["value"]) for c in first["components"]] == [
        ("rectification", "0.7700"),
        ("clauses", "0.6500"),
    ]
    assert data["rows"][-1]["not_ranked"] == "below_volume"


def test_api_gives_a_unit_its_own_row_only(month: Month) -> None:
    w = month.world
    data = login(w.user_s2).get("/api/v1/appraisal/" + Q).json()
    assert [r["unit"]["code"] for r in data["rows"]] == ["S002"]
    assert data["rows"][0]["rank"] == 1 and data["ranked"] == 3 and data["region"] is None
    assert login(w.user_s2).get("/api/v1/appraisal/?period=2026-13").status_code == 422
    assert login(w.user_s2).get(f"/api/v1/appraisal/?region={w.district.pk}").status_code == 404
    assert login(w.nobody).get("/api/v1/appraisal/").status_code == 403


def test_no_ranking_by_time_online_or_check_ins(month: Month) -> None:
    body = login(month.world.office).get("/appraisal/" + Q).content.decode()
    assert "在线时长" not in body.replace("不考核在线时长和打卡次数", "")
    assert "打卡" not in body.replace("不考核在线时长和打卡次数", "")


def test_page_queries_constant_as_units_grow(month: Month) -> None:
    w = month.world
    client = login(w.office)
    clause_reading(parse_period("2026-10"), w.district)  # the live runs exist before counting
    clause_reading(parse_period("2026-09"), w.district)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = ["/appraisal/" + Q, "/appraisal/honour/" + Q, "/api/v1/appraisal/" + Q]
    for url in urls:
        count(url)
    before = [count(url) for url in urls]
    for i in range(6):
        unit = UnitFactory(code=f"X{i:03d}", kind=UnitKind.LINE, region=w.district)
        for day in (3, 6, 9):
            closed(w.c1, unit, 10, day + i)
    assert [count(url) for url in urls] == before
