"""The inspections API: scoped reads, and the multipart submission the phone page uses."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangcheng.cases.models import Case, Photo
from chuangcheng.inspections.domain import planning
from chuangcheng.inspections.models import Inspection, Observation, RoundPoint
from tests.conftest import World, login
from tests.images import jpeg
from tests.inspections.conftest import inspector, stored_files
from tests.inspections.helpers import make_round

pytestmark = pytest.mark.django_db
URL = "/api/v1/inspections/submissions"


@pytest.fixture
def opened(world: World, fw, categories, media: Path) -> dict[str, Any]:
    w1 = inspector("w1", world.district)
    w2 = inspector("w2", world.district)
    round_ = make_round(
        world, fw, quotas={world.alley.pk: 1, world.market.pk: 1}, inspectors=[w1, w2]
    )
    planning.open_round(round_, actor=world.office)
    by_user = {rp.inspector.username: rp for rp in RoundPoint.objects.filter(round=round_)}
    return {"round": round_, "w1": w1, "w2": w2, "rp1": by_user["w1"], "rp2": by_user["w2"]}


def _post(client: Any, rp: RoundPoint, items: list[dict[str, Any]], photos=(), **fields: Any):
    data = {
        "client_id": str(fields.pop("client_id", "0d5e3b0c-8f0b-4bb1-9f3c-5b8f7e0a1c2d")),
        "round_point": str(rp.pk),
        "items": json.dumps(items),
        "observed_at": "2026-11-20T09:30:00+08:00",
        "lng": "116.405123",
        "lat": "39.925456",
        "accuracy": "8.6",
        "note": "",
        **fields,
    }
    if photos:
        data["photos"] = list(photos)
    return client.post(URL, data)


def _clause(rp: RoundPoint, fw) -> int:
    return fw.clean.pk if rp.point.type.code == "alley" else fw.market.pk


def test_submission_stores_and_replay_answers_200(world: World, fw, opened) -> None:
    client = login(opened["w1"])
    rp = opened["rp1"]
    items = [{"clause": _clause(rp, fw), "result": "fail", "note": "有垃圾", "photos": [0]}]
    first = _post(client, rp, items, [SimpleUploadedFile("x.jpg", jpeg(), "image/jpeg")])
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["created"] is True and body["observations"] == 1
    (case_ref,) = body["cases"]
    case = Case.objects.get(number=case_ref["number"])
    assert case_ref["url"] == f"/cases/{case.pk}/"
    inspection = Inspection.objects.get()
    assert inspection.accuracy_m == 9 and str(inspection.lat) == "39.925456"
    again = _post(client, rp, items, [SimpleUploadedFile("x.jpg", jpeg(), "image/jpeg")])
    assert again.status_code == 200
    assert again.json()["inspection"] == body["inspection"] and again.json()["created"] is False
    assert (Inspection.objects.count(), Observation.objects.count(), Case.objects.count()) == (
        1,
        1,
        1,
    )
    assert Photo.objects.count() == 1


def test_bad_photo_answers_422_and_writes_nothing(world: World, fw, opened, media: Path) -> None:
    client = login(opened["w1"])
    rp = opened["rp1"]
    items = [{"clause": _clause(rp, fw), "result": "fail", "photos": [0, 1]}]
    photos = [
        SimpleUploadedFile("good.jpg", jpeg(), "image/jpeg"),
        SimpleUploadedFile("evil.jpg", b"MZ\x90\x00 not an image", "image/jpeg"),
    ]
    response = _post(client, rp, items, photos)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["form", "photos"]
    assert "evil.jpg" in response.json()["errors"][0]["msg"]
    assert (Inspection.objects.count(), Case.objects.count(), Photo.objects.count()) == (0, 0, 0)
    assert stored_files(media) == []


def test_malformed_items_are_422(world: World, fw, opened) -> None:
    client = login(opened["w1"])
    assert _post(client, opened["rp1"], []).status_code == 422
    bad_json = client.post(
        URL,
        {"client_id": str(uuid.uuid4()), "round_point": opened["rp1"].pk, "items": "[{oops"},
    )
    assert bad_json.status_code == 422
    no_photo = _post(
        client,
        opened["rp1"],
        [{"clause": _clause(opened["rp1"], fw), "result": "fail", "photos": [3]}],
    )
    assert no_photo.status_code == 422
    assert Inspection.objects.count() == 0


def test_another_inspectors_point_is_404(world: World, fw, opened) -> None:
    rp2 = opened["rp2"]
    items = [{"clause": _clause(rp2, fw), "result": "pass"}]
    for user in (opened["w1"], world.user_s2, world.inspector):
        assert _post(login(user), rp2, items).status_code == 404
    # The leader sees the round but may not record for it.
    assert _post(login(world.leader), rp2, items).status_code == 404
    assert _post(login(world.office), rp2, items).status_code == 201


def test_finished_round_answers_409(world: World, fw, opened) -> None:
    planning.finish_round(opened["round"], actor=world.office)
    rp = opened["rp1"]
    response = _post(login(opened["w1"]), rp, [{"clause": _clause(rp, fw), "result": "pass"}])
    assert response.status_code == 409


def test_anonymous_is_401(world: World, fw, opened) -> None:
    from django.test import Client

    rp = opened["rp1"]
    assert _post(Client(), rp, [{"clause": _clause(rp, fw), "result": "pass"}]).status_code == 401


def test_csrf_is_required_with_a_session(world: World, fw, opened) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(opened["w1"])
    rp = opened["rp1"]
    assert _post(client, rp, [{"clause": _clause(rp, fw), "result": "pass"}]).status_code == 403
    assert Inspection.objects.count() == 0


def test_rounds_and_assignments_are_scoped(world: World, fw, opened) -> None:
    office = login(world.office)
    rounds = office.get("/api/v1/inspections/rounds").json()
    assert rounds["count"] == 1 and rounds["items"][0]["points"] == 2
    detail = office.get(f"/api/v1/inspections/rounds/{opened['round'].pk}").json()
    assert {p["inspector"] for p in detail["round_points"]} == {"w1", "w2"}
    w1 = login(opened["w1"])
    # An inspector reads their own assignments, not the whole round.
    assert w1.get("/api/v1/inspections/rounds").json()["count"] == 0
    assert w1.get(f"/api/v1/inspections/rounds/{opened['round'].pk}").status_code == 404
    mine = w1.get("/api/v1/inspections/assignments").json()
    assert [a["round_point"] for a in mine] == [opened["rp1"].pk]
    expected = (
        [fw.clean.pk, fw.posters.pk]
        if opened["rp1"].point.type.code == "alley"
        else [
            fw.posters.pk,
            fw.market.pk,
        ]
    )
    assert [c["id"] for c in mine[0]["checklist"]] == expected
    for user in (world.user_s1, world.user_s2, world.nobody):
        client = login(user)
        assert client.get("/api/v1/inspections/rounds").json()["count"] == 0
        assert client.get(f"/api/v1/inspections/rounds/{opened['round'].pk}").status_code == 404
        assert client.get("/api/v1/inspections/assignments").json() == []
