"""Round results: exact counts and rates, observations with photos and cases, the export."""

from __future__ import annotations

import io
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chuangcheng.accounts.enums import Role
from chuangcheng.core.models import AuditEntry
from chuangcheng.inspections import results
from chuangcheng.inspections.domain import planning
from chuangcheng.inspections.domain.submit import (
    ItemData,
    PhotoFile,
    SubmissionData,
    submit_inspection,
)
from chuangcheng.inspections.models import RoundPoint
from tests.conftest import World, login
from tests.factories import UserFactory, grant
from tests.images import jpeg
from tests.inspections.conftest import Streets, inspector
from tests.inspections.helpers import make_round

pytestmark = pytest.mark.django_db


def _inspect(world: World, fw, round_, who, plan: dict[str, list[tuple[Any, str]]]) -> None:
    rps = {
        rp.point.code: rp
        for rp in RoundPoint.objects.filter(round=round_).select_related("round", "point")
    }
    for code, marks in plan.items():
        submit_inspection(
            SubmissionData(
                client_id=uuid.uuid4(),
                round_point=rps[code],
                items=[
                    ItemData(
                        clause.pk,
                        result,
                        note="发现问题" if result == "fail" else "",
                        photos=[PhotoFile("p.jpg", jpeg())] if result == "fail" else [],
                    )
                    for clause, result in marks
                ],
            ),
            actor=who or rps[code].inspector,
        )


@pytest.fixture
def inspected(world: World, fw, streets: Streets, categories, media: Path) -> dict[str, Any]:
    """Every alley and market drawn (13 points); four of them inspected:
    P00001 (s1, alley): clean pass, posters fail
    A0201 (s2, alley): clean pass, posters pass
    P00002 (s2, market): posters na, market fail
    M0301 (s3, market): posters pass, market pass
    """
    w1 = inspector("w1", world.district)
    w2 = inspector("w2", world.district)
    world.alley.seq, world.market.seq = 1, 2
    world.alley.save()
    world.market.save()
    round_ = make_round(
        world, fw, quotas={world.alley.pk: 10, world.market.pk: 3}, inspectors=[w1, w2]
    )
    planning.open_round(round_, actor=world.office)
    _inspect(
        world,
        fw,
        round_,
        None,
        {
            "P00001": [(fw.clean, "pass"), (fw.posters, "fail")],
            "A0201": [(fw.clean, "pass"), (fw.posters, "pass")],
            "P00002": [(fw.posters, "na"), (fw.market, "fail")],
            "M0301": [(fw.posters, "pass"), (fw.market, "pass")],
        },
    )
    return {"round": round_, "w1": w1, "w2": w2}


def _rates(rows: list[results.Rate]) -> list[tuple[str, int, int, int, Decimal | None]]:
    return [(r.label, r.passed, r.failed, r.na, r.percent) for r in rows]


def test_rates_by_type_street_and_clause(world: World, fw, inspected) -> None:
    round_ = inspected["round"]
    overall = results.overall(round_)
    assert (overall.passed, overall.failed, overall.na) == (5, 2, 1)
    assert overall.percent == Decimal("71.4")  # 5 / 7
    assert _rates(results.by_type(round_)) == [
        ("背街小巷", 3, 1, 0, Decimal("75.0")),
        ("农贸市场", 2, 1, 1, Decimal("66.7")),
    ]
    assert _rates(results.by_street(round_)) == [
        ("东华门街道", 1, 1, 0, Decimal("50.0")),
        ("景山街道", 2, 1, 1, Decimal("66.7")),
        ("交道口街道", 2, 0, 0, Decimal("100.0")),
    ]
    assert _rates(results.by_clause(round_)) == [
        ("1 路面平整，无垃圾、无积存污水", 2, 0, 0, Decimal("100.0")),
        ("2 无乱贴乱画，无小广告", 2, 1, 1, Decimal("66.7")),
        ("农贸市场划行归市，有消毒记录", 1, 1, 0, Decimal("50.0")),
    ]
    progress = {p.name: (p.drawn, p.done) for p in results.progress(round_)}
    # The office recorded the four inspections itself: each inspector's points stay open.
    assert (
        sorted(progress.values()) == [(6, 2), (7, 2)]
        or sum(d for _n, (_t, d) in progress.items()) == 4
    )
    assert sum(t for t, _d in progress.values()) == 13


def test_results_page_lists_failures_with_photos_and_case_links(world: World, inspected) -> None:
    client = login(world.office)
    page = client.get(reverse("inspections:round_results", args=[inspected["round"].pk]))
    assert page.status_code == 200
    rows = list(page.context["page"])
    assert [o.result for o in rows] == ["fail", "fail"]
    html = page.content.decode()
    for o in rows:
        assert f'href="/cases/{o.case.pk}/"' in html
        (photo,) = o.photos.all()
        assert reverse("inspections:photo", args=[photo.pk]) in html
    everything = client.get(
        reverse("inspections:round_results", args=[inspected["round"].pk]), {"result": "all"}
    )
    assert everything.context["page"].paginator.count == 8


def test_results_query_count_is_constant(
    world: World, fw, inspected, django_assert_max_num_queries
) -> None:
    client = login(world.office)
    url = reverse("inspections:round_results", args=[inspected["round"].pk])
    small_round = make_round(world, fw, quotas={world.alley.pk: 1}, inspectors=[inspected["w1"]])
    planning.open_round(small_round, actor=world.office)
    code = small_round.round_points.get().point.code
    _inspect(world, fw, small_round, None, {code: [(fw.clean, "fail")]})  # 1 observation, not 8
    small_url = reverse("inspections:round_results", args=[small_round.pk])
    client.get(small_url)
    with django_assert_max_num_queries(20) as few:
        client.get(small_url, {"result": "all"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"result": "all"})


def test_export_has_every_observation(world: World, inspected) -> None:
    client = login(world.office)
    response = client.get(reverse("inspections:round_export", args=[inspected["round"].pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 8
    header = rows[0]
    code_col, result_col, case_col = 0, header.index(rows[0][10]), 13
    failed = [r for r in rows[1:] if r[case_col]]
    assert sorted(r[code_col] for r in failed) == ["P00001", "P00002"]
    assert {r[3] for r in rows[1:]} == {"东华门街道", "景山街道", "交道口街道"}
    assert result_col == 10
    assert AuditEntry.objects.filter(action="export", object_type="inspections.round").count() == 1


def test_results_and_photos_are_scoped(world: World, inspected) -> None:
    round_ = inspected["round"]
    s2_office = UserFactory(username="office_s2")
    grant(s2_office, Role.OFFICE, region=world.s2)
    photo = results.observation_rows(round_, result="fail").first().photos.first()
    for user in (world.user_s1, world.user_s2, s2_office, world.nobody):
        client = login(user)
        assert client.get(reverse("inspections:round_results", args=[round_.pk])).status_code == 404
        assert client.get(reverse("inspections:round_export", args=[round_.pk])).status_code == 404
        assert client.get(reverse("inspections:photo", args=[photo.pk])).status_code == 404
    # The inspector who took it may open it; another inspector of the round may not.
    owner = photo.uploaded_by
    other = next(u for u in (inspected["w1"], inspected["w2"]) if u != owner)
    assert login(owner).get(reverse("inspections:photo", args=[photo.pk])).status_code == 200
    assert login(other).get(reverse("inspections:photo", args=[photo.pk])).status_code == 404
    leader = login(world.leader)
    assert leader.get(reverse("inspections:round_results", args=[round_.pk])).status_code == 200
    response = leader.get(reverse("inspections:photo", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
