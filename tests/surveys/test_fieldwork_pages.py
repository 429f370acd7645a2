"""The office's fieldwork pages: progress, quota grid, margins, QR code and poster, the
responses list (constant queries), a response and voiding it; 404 outside the scope."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from chuangcheng.surveys.domain import fieldwork
from chuangcheng.surveys.enums import Mode
from chuangcheng.surveys.models import Credit, Margin, QuotaCell, Response
from tests.conftest import login
from tests.surveys.conftest import SurveyWorld
from tests.surveys.fieldwork_helpers import grid, respond


def pages(sw: SurveyWorld) -> list[str]:
    pk = sw.survey.pk
    return [
        f"/surveys/{pk}/fieldwork/",
        f"/surveys/{pk}/fieldwork/quotas/",
        f"/surveys/{pk}/fieldwork/margins/",
        f"/surveys/{pk}/fieldwork/margins/template.xlsx",
        f"/surveys/{pk}/fieldwork/qr.png",
        f"/surveys/{pk}/fieldwork/qr.svg",
        f"/surveys/{pk}/fieldwork/poster/",
        f"/surveys/{pk}/responses/",
    ]


def test_office_opens_every_page(sw: SurveyWorld) -> None:
    respond(sw)
    client = login(sw.world.office)
    for url in pages(sw):
        assert client.get(url).status_code == 200, url


def test_another_district_and_units_get_404(sw: SurveyWorld) -> None:
    r = respond(sw)
    for user in (sw.other_office, sw.world.user_s1, sw.world.nobody):
        client = login(user)
        for url in [*pages(sw), f"/surveys/{sw.survey.pk}/responses/{r.pk}/"]:
            assert client.get(url).status_code == 404, (user, url)
        assert (
            client.post(
                f"/surveys/{sw.survey.pk}/responses/{r.pk}/void/", {"reason": "x"}
            ).status_code
            == 404
        )
    assert Response.objects.get().state == "complete"


def test_leader_reads_progress_but_does_not_plan(sw: SurveyWorld) -> None:
    client = login(sw.world.leader)
    assert client.get(f"/surveys/{sw.survey.pk}/fieldwork/").status_code == 200
    assert client.get(f"/surveys/{sw.survey.pk}/fieldwork/quotas/").status_code == 403
    assert client.get(f"/surveys/{sw.survey.pk}/fieldwork/margins/").status_code == 403
    # The street's inspector sees the open survey (to interview) but not its office pages.
    assert login(sw.world.inspector).get(f"/surveys/{sw.survey.pk}/fieldwork/").status_code == 403


def test_progress_shows_cells_streets_interviewers_and_days(sw: SurveyWorld) -> None:
    grid(sw, 1, age_band="30-44", sex="f")
    respond(sw)
    respond(sw, sex="m")
    respond(sw, actor=sw.world.inspector, mode=Mode.HOME, age="20", region="110101001")
    page = login(sw.world.office).get(f"/surveys/{sw.survey.pk}/fieldwork/")
    body = page.content.decode()
    assert "1/1" in body and "已满" in body
    assert "督查员甲" in body
    streets = {r.label: (r.complete, r.quota_full) for r in page.context["streets"]}
    assert streets == {"东华门街道": (1, 2), "景山街道": (0, 0)}
    people = [(r.label, r.complete, r.quota_full) for r in page.context["interviewers"]]
    assert people == [("督查员甲", 0, 1), ("", 1, 1)]
    totals = page.context["totals"]
    assert (totals.complete, totals.quota_full, totals.target, totals.filled) == (1, 2, 1, 1)
    assert [(d.complete, d.quota_full) for d in page.context["days"]] == [(1, 2)]


def test_quota_grid_saves_and_refuses_bad_numbers(sw: SurveyWorld) -> None:
    client = login(sw.world.office)
    url = f"/surveys/{sw.survey.pk}/fieldwork/quotas/"
    s1 = sw.world.s1.pk
    data = {"action": "save", "shown": "1", "dims": ["band", "sex"], f"t-{s1}-30-44-f-": "abc"}
    bad = client.post(url, data)
    assert bad.status_code == 400
    assert "有的目标数不是整数。" in bad.content.decode()
    assert not QuotaCell.objects.exists()
    data[f"t-{s1}-30-44-f-"] = "12"
    data[f"t-{s1}-30-44-m-"] = "10"
    saved = client.post(url, data)
    assert saved.status_code == 302
    cells = {(c.street_id, c.age_band, c.sex): c.target for c in QuotaCell.objects.all()}
    assert len(cells) == 16  # 2 streets × 4 bands × 2 sexes, blanks saved as 0
    assert cells[(s1, "30-44", "f")] == 12 and cells[(s1, "30-44", "m")] == 10
    assert sum(cells.values()) == 22


def test_quota_grid_fill_from_margins_proposes_without_saving(sw: SurveyWorld) -> None:
    sw.survey.target_size = 10
    sw.survey.save()
    fieldwork.save_margins(
        sw.survey,
        actor=sw.world.office,
        populations={("street", sw.world.s1.code): 2, ("street", sw.world.s2.code): 1},
    )
    client = login(sw.world.office)
    url = f"/surveys/{sw.survey.pk}/fieldwork/quotas/"
    page = client.post(url, {"action": "fill", "shown": "1"})
    assert page.status_code == 200
    values = [c["value"] for row in page.context["rows"] for c in row["cells"]]
    assert values == [7, 3]
    assert not QuotaCell.objects.exists()
    missing = client.post(url, {"action": "fill", "shown": "1", "dims": ["sex"]})
    assert missing.status_code == 400
    assert "请先填写每个性别的人口数。" in missing.content.decode()


def test_margins_form_and_import_errors(sw: SurveyWorld) -> None:
    client = login(sw.world.office)
    url = f"/surveys/{sw.survey.pk}/fieldwork/margins/"
    assert client.post(url, {"m-sex-m": "5", "m-sex-f": "x"}).status_code == 400
    assert not Margin.objects.exists()
    assert client.post(url, {"m-sex-m": "5", "m-sex-f": "6"}).status_code == 302
    assert fieldwork.margins_of(sw.survey) == {("sex", "m"): 5, ("sex", "f"): 6}
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(["维度", "值", "人口"])
    sheet.append(["性别", "男", "-3"])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "margins.xlsx"
    page = client.post(url, {"action": "import", "file": buffer})
    assert page.status_code == 400
    assert page.context["file_errors"] == ["第 2 行第 C 列：人口数应为整数，而不是“-3”。"]
    assert fieldwork.margins_of(sw.survey) == {("sex", "m"): 5, ("sex", "f"): 6}


def test_qr_code_and_poster_carry_the_public_link(sw: SurveyWorld) -> None:
    client = login(sw.world.office)
    png = client.get(f"/surveys/{sw.survey.pk}/fieldwork/qr.png?download=1")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert png["Content-Disposition"] == 'attachment; filename="survey-s2026.png"'
    svg = client.get(f"/surveys/{sw.survey.pk}/fieldwork/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    poster = client.get(f"/surveys/{sw.survey.pk}/fieldwork/poster/").content.decode()
    assert f"http://testserver/s/{sw.survey.public_token}/" in poster
    assert sw.survey.title in poster
    assert client.get(f"/surveys/{sw.survey.pk}/fieldwork/qr.gif").status_code == 404


def _list_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("query", ["", "?state=complete&mode=home&street=&since=2020-01-01"])
def test_responses_list_keeps_its_query_count(sw: SurveyWorld, query: str) -> None:
    client = login(sw.world.office)
    url = f"/surveys/{sw.survey.pk}/responses/{query}"
    for _ in range(2):
        respond(sw, actor=sw.world.inspector, mode=Mode.HOME)
    client.get(url)  # caches warmed (content types, the session)
    few = _list_queries(client, url)
    for i in range(10):
        respond(sw, actor=sw.world.office if i % 2 else sw.world.inspector, mode=Mode.HOME)
        respond(sw, age="80")
    assert _list_queries(client, url) == few


def test_responses_filters(sw: SurveyWorld) -> None:
    respond(sw)
    interviewed = respond(sw, actor=sw.world.inspector, mode=Mode.STREET)
    respond(sw, age="80")
    client = login(sw.world.office)
    url = f"/surveys/{sw.survey.pk}/responses/"
    by_interviewer = client.get(url, {"interviewer": str(sw.world.inspector.pk)})
    assert [r.pk for r in by_interviewer.context["page"].object_list] == [interviewed.pk]
    public = client.get(url, {"interviewer": "self", "state": "complete"})
    assert len(public.context["page"].object_list) == 1
    assert len(client.get(url, {"state": "screened_out"}).context["page"].object_list) == 1


def test_response_detail_masks_the_phone_and_shows_answers(sw: SurveyWorld) -> None:
    sw.survey.ask_phone = True
    sw.survey.save()
    r = respond(
        sw, {"aware": "yes", "joined": ["vol", "clean"], "satisfied": "bs"}, phone="13800138000"
    )
    body = login(sw.world.office).get(f"/surveys/{sw.survey.pk}/responses/{r.pk}/").content.decode()
    assert "138****8000" in body and "13800138000" not in body
    assert "志愿服务、环境清洁" in body and "基本满意" in body


def test_void_from_the_page_removes_credits_and_gives_the_place_back(sw: SurveyWorld) -> None:
    cell = grid(sw, 1)
    r = respond(sw)
    client = login(sw.world.office)
    url = f"/surveys/{sw.survey.pk}/responses/{r.pk}/void/"
    assert client.post(url, {"reason": ""}).status_code == 302
    assert Response.objects.get(pk=r.pk).state == "complete"
    assert login(sw.world.leader).post(url, {"reason": "x"}).status_code == 403
    assert client.post(url, {"reason": "访员自填"}).status_code == 302
    r.refresh_from_db()
    cell.refresh_from_db()
    assert (r.state, r.void_reason, cell.filled) == ("void", "访员自填", 0)
    assert not Credit.objects.filter(response=r).exists()


def test_progress_page_keeps_its_query_count(sw: SurveyWorld) -> None:
    grid(sw, 30, age_band="30-44", sex="f")
    client = login(sw.world.office)
    url = f"/surveys/{sw.survey.pk}/fieldwork/"
    respond(sw, actor=sw.world.inspector, mode=Mode.HOME)
    client.get(url)
    few = _list_queries(client, url)
    for i in range(6):
        respond(sw, actor=sw.world.office if i % 2 else sw.world.inspector, mode=Mode.STREET)
        respond(sw, region="110101002001", age="70")
    assert _list_queries(client, url) == few
