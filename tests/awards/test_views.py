"""Pages: who sees what (leaks → 404), the rating form, confirming, constant queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangcheng.awards.models import RedFlagAward, RedFlagRating, RedFlagScheme
from chuangcheng.points.models import Point
from tests.awards.conftest import Windows
from tests.conftest import login
from tests.factories import PointFactory

THIS = timezone.localdate().replace(day=1)


def _rate_now(w: Windows) -> None:
    for user, a in ((w.insp2, 9), (w.insp3, 8)):
        w.rate(user, w.w1, a, 8, day=THIS)  # 17, 16 → 16.50
        w.rate(user, w.w3, a, 9, day=THIS)  # 18, 17 → 17.50


def test_office_sees_every_target_and_confirms_the_award(windows: Windows) -> None:
    w = windows
    _rate_now(w)
    client = login(w.world.office)
    page = client.get("/awards/", {"scheme": w.scheme.code}).content.decode()
    assert "景山政务服务中心" in page and "多福巷便民服务站" in page
    assert "17.50" in page and "16.50" in page
    assert "data-confirm-award" in page
    response = client.post(
        "/awards/confirm/",
        {"scheme": w.scheme.code, "period": f"{THIS:%Y-%m}", "region": w.world.district.pk},
    )
    assert response.status_code == 302
    award = RedFlagAward.objects.get()
    assert (award.point, award.rank, award.score) == (w.w3, 1, Decimal("17.50"))
    board = client.get("/awards/board/").content.decode()
    assert "景山政务服务中心" in board


def test_leader_reads_but_may_not_confirm(windows: Windows) -> None:
    w = windows
    _rate_now(w)
    client = login(w.world.leader)
    page = client.get("/awards/", {"scheme": w.scheme.code}).content.decode()
    assert "景山政务服务中心" in page and "data-confirm-award" not in page
    response = client.post(
        "/awards/confirm/",
        {"scheme": w.scheme.code, "period": f"{THIS:%Y-%m}", "region": w.world.district.pk},
    )
    assert response.status_code == 404
    assert not RedFlagAward.objects.exists()


def test_unit_sees_only_its_own_targets(windows: Windows) -> None:
    w = windows
    _rate_now(w)
    page = login(w.world.user_s1).get("/awards/", {"scheme": w.scheme.code}).content.decode()
    assert "多福巷便民服务站" in page
    assert "景山政务服务中心" not in page and "17.50" not in page
    stars = login(w.world.user_s1).get("/awards/stars/", {"scheme": w.scheme.code}).content.decode()
    assert "多福巷便民服务站" in stars and "景山政务服务中心" not in stars
    # A region outside the user's overview answers 404.
    assert (
        login(w.world.user_s1).get("/awards/", {"region": w.world.district.pk}).status_code == 404
    )


def test_nobody_is_refused(windows: Windows) -> None:
    client = login(windows.world.nobody)
    for url in ("/awards/", "/awards/stars/", "/awards/board/", "/awards/rate/"):
        assert client.get(url).status_code == 403


def test_inspector_rates_on_the_form_and_replaces(windows: Windows) -> None:
    w = windows
    client = login(w.world.inspector)
    assert client.get("/awards/").status_code == 302  # an inspector lands on the rating list
    listing = client.get("/awards/rate/", {"scheme": w.scheme.code}).content.decode()
    assert "多福巷便民服务站" in listing and "景山政务服务中心" not in listing
    url = f"/awards/rate/{w.scheme.code}/p{w.w1.pk}/"
    assert client.post(url, {"d0": "9", "d1": "7", "note": "好"}).status_code == 302
    assert client.post(url, {"d0": "10", "d1": "10"}).status_code == 302
    rating = RedFlagRating.objects.get()
    assert (rating.total, rating.scores, rating.note) == (20, {"A": 10, "B": 10}, "")
    # A score above the maximum is refused by the form and writes nothing new.
    bad = client.post(url, {"d0": "11", "d1": "10"})
    assert bad.status_code == 200
    assert RedFlagRating.objects.get().total == 20
    # A window in another street, or a point of another type: 404.
    assert client.get(f"/awards/rate/{w.scheme.code}/p{w.w3.pk}/").status_code == 404
    assert client.get(f"/awards/rate/{w.scheme.code}/p{w.world.p1.pk}/").status_code == 404
    assert client.get(f"/awards/rate/{w.scheme.code}/u{w.world.unit_s1.pk}/").status_code == 404


def test_office_edits_a_scheme_and_bad_dimensions_write_nothing(windows: Windows) -> None:
    w = windows
    client = login(w.world.office)
    url = f"/awards/schemes/{w.scheme.pk}/"
    data = {
        "code": w.scheme.code,
        "name": "测试窗口红旗",
        "target": "points",
        "point_types": [w.window.pk],
        "dimensions": "服务热情 0\n快捷高效 10",
        "winners": "1",
        "min_ratings": "2",
        "thresholds": "90 80 70 60",
        "active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "必须是大于 0 的整数" in response.content.decode()
    w.scheme.refresh_from_db()
    assert w.scheme.dimensions == [{"name": "A", "max": 10}, {"name": "B", "max": 10}]
    data["dimensions"] = "服务热情 10\n服务热情 10"
    assert "重复" in client.post(url, data).content.decode()
    data["dimensions"] = "服务热情：20\n快捷高效 30"
    assert client.post(url, data).status_code == 302
    w.scheme.refresh_from_db()
    assert w.scheme.max_total == 50
    assert login(w.world.leader).get(url).status_code == 403


def _grow(w: Windows, n: int, prefix: str) -> None:
    """``n`` more windows in 景山, each rated by two inspectors this month."""
    for i in range(n):
        point = PointFactory(
            code=f"{prefix}{i:03d}",
            type=w.window,
            region=w.world.s2,
            territorial_unit=w.world.unit_s2,
            line_unit=None,
        )
        for user in (w.insp2, w.insp3):
            w.rate(user, point, 5 + i % 5, 6, day=THIS)


def _queries(client: object, url: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200  # type: ignore[attr-defined]
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/awards/", "/awards/stars/", "/awards/board/"])
def test_pages_take_constant_queries(windows: Windows, url: str) -> None:
    w = windows
    client = login(w.world.office)
    params = {"scheme": w.scheme.code}
    _grow(w, 2, "WX")
    _queries(client, url, params)  # the first request of a session reads the grants once
    small = _queries(client, url, params)
    _grow(w, 18, "WY")
    assert Point.objects.filter(type=w.window).count() == 23
    assert _queries(client, url, params) == small
    assert RedFlagScheme.objects.filter(active=True).count() == 1


def test_demo_like_dates_past_month_selectable(windows: Windows) -> None:
    w = windows
    last = THIS - dt.timedelta(days=1)
    w.rate(w.insp2, w.w1, 9, 9, day=last)
    page = login(w.world.office).get("/awards/", {"period": f"{last:%Y-%m}"}).content.decode()
    assert "多福巷便民服务站" in page
