"""API /api/v1/awards/: posting ratings, scoped reads, leaks answer 404."""

from __future__ import annotations

import json

from django.utils import timezone

from chuangcheng.awards.models import RedFlagRating
from tests.awards.conftest import Windows
from tests.conftest import login

THIS = timezone.localdate().replace(day=1)
BASE = "/api/v1/awards"


def _post(client: object, body: dict[str, object]) -> object:
    return client.post(f"{BASE}/ratings", json.dumps(body), content_type="application/json")  # type: ignore[attr-defined]


def test_inspector_posts_then_replaces_a_rating(windows: Windows) -> None:
    w = windows
    client = login(w.insp2)
    first = _post(client, {"scheme": w.scheme.code, "point": w.w3.pk, "scores": {"A": 7, "B": 8}})
    assert first.status_code == 201  # type: ignore[attr-defined]
    body = first.json()  # type: ignore[attr-defined]
    assert (body["total"], body["max_total"], body["month"]) == (15, 20, f"{THIS:%Y-%m}")
    again = _post(client, {"scheme": w.scheme.code, "point": w.w3.pk, "scores": {"A": 9, "B": 8}})
    assert again.status_code == 200  # type: ignore[attr-defined]
    assert RedFlagRating.objects.get().total == 17


def test_bad_ratings_answer_422_and_write_nothing(windows: Windows) -> None:
    w = windows
    client = login(w.insp2)
    for scores in ({"A": 11, "B": 1}, {"A": 1, "B": 1, "Z": 1}):
        response = _post(client, {"scheme": w.scheme.code, "point": w.w1.pk, "scores": scores})
        assert response.status_code == 422  # type: ignore[attr-defined]
    assert (
        _post(
            client, {"scheme": w.scheme.code, "unit": w.world.unit_s1.pk, "scores": {}}
        ).status_code
        == 422
    )  # type: ignore[attr-defined]
    assert not RedFlagRating.objects.exists()


def test_rating_outside_the_region_is_404_and_a_unit_may_not_rate(windows: Windows) -> None:
    w = windows
    body = {"scheme": w.scheme.code, "point": w.w3.pk, "scores": {"A": 1, "B": 1}}
    assert _post(login(w.world.inspector), body).status_code == 404  # type: ignore[attr-defined]
    assert _post(login(w.world.user_s2), body).status_code == 403  # type: ignore[attr-defined]
    assert not RedFlagRating.objects.exists()


def test_unit_cannot_read_another_units_ratings(windows: Windows) -> None:
    w = windows
    mine = w.rate(w.insp2, w.w1, 9, 9, day=THIS)  # 多福巷 (c1 under s1)
    theirs = w.rate(w.insp2, w.w3, 5, 5, day=THIS)  # 景山 (s2)
    s1 = login(w.world.user_s1)
    assert s1.get(f"{BASE}/ratings/{mine.pk}").status_code == 200
    assert s1.get(f"{BASE}/ratings/{theirs.pk}").status_code == 404
    assert [r["id"] for r in s1.get(f"{BASE}/ratings").json()] == [mine.pk]
    s2 = login(w.world.user_s2)
    assert s2.get(f"{BASE}/ratings/{mine.pk}").status_code == 404
    # The inspector of s1 reads only the ratings they gave.
    assert login(w.world.inspector).get(f"{BASE}/ratings/{theirs.pk}").status_code == 404


def test_standings_and_stars_scoped(windows: Windows) -> None:
    w = windows
    for user in (w.insp2, w.insp3):
        w.rate(user, w.w1, 9, 8, day=THIS)  # 17 each → 17.00, 85 %
        w.rate(user, w.w3, 9, 9, day=THIS)  # 18 each → 18.00, 90 %
    office = login(w.world.office).get(f"{BASE}/standings", {"scheme": w.scheme.code}).json()
    assert [(r["target"]["code"], r["rank"], r["average"], r["wins"]) for r in office["rows"]] == [
        ("W3", 1, "18.00", True),
        ("W1", 2, "17.00", False),
    ]
    unit = login(w.world.user_s1).get(f"{BASE}/standings", {"scheme": w.scheme.code}).json()
    assert unit["ranked"] == 2
    assert [(r["target"]["code"], r["rank"]) for r in unit["rows"]] == [("W1", 2)]
    stars = login(w.world.user_s2).get(f"{BASE}/stars", {"scheme": w.scheme.code}).json()
    assert [(r["target"]["code"], r["stars"], r["percent"]) for r in stars["rows"]] == [
        ("W3", 5, "90.00")
    ]
    office_stars = login(w.world.office).get(f"{BASE}/stars", {"scheme": w.scheme.code}).json()
    assert [(r["target"]["code"], r["stars"]) for r in office_stars["rows"]] == [
        ("W3", 5),
        ("W1", 4),
        ("W2", None),
    ]
    assert (
        login(w.world.nobody).get(f"{BASE}/standings", {"scheme": w.scheme.code}).status_code == 403
    )


def test_unit_sees_its_districts_award_list(windows: Windows) -> None:
    from chuangcheng.awards.domain.standings import confirm_awards
    from chuangcheng.cases.domain.periods import current_month

    w = windows
    for user in (w.insp2, w.insp3):
        w.rate(user, w.w3, 9, 9, day=THIS)
    confirm_awards(
        actor=w.world.office, scheme=w.scheme, month=current_month(), region=w.world.district
    )
    awards = login(w.world.user_s1).get(f"{BASE}/awards").json()
    assert [(a["target"]["code"], a["rank"], a["score"]) for a in awards] == [("W3", 1, "18.00")]
    schemes = login(w.world.user_s1).get(f"{BASE}/schemes").json()
    assert [s["code"] for s in schemes] == [w.scheme.code]


def test_a_units_id_never_matches_a_point_with_the_same_id(windows: Windows) -> None:
    from decimal import Decimal

    from chuangcheng.accounts.enums import Role
    from chuangcheng.awards.domain.access import readable_targets
    from chuangcheng.orgs.enums import UnitKind
    from tests.factories import PointFactory, UnitFactory, UserFactory, grant

    w = windows
    company = UnitFactory(
        pk=7001, code="E001", name="某公司", kind=UnitKind.ENTERPRISE, region=None
    )
    PointFactory(
        pk=7001,
        code="W7001",
        type=w.window,
        region=w.world.s2,
        territorial_unit=w.world.unit_s2,
        line_unit=None,
        lng=Decimal("116.4"),
        lat=Decimal("39.9"),
    )
    user = UserFactory(username="company")
    grant(user, Role.UNIT, unit=company)
    assert list(readable_targets(user, w.scheme)) == []
