"""Phone pages: an inspector sees only their own assignments; the checklist is the right one."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from chuangcheng.inspections.domain import planning
from chuangcheng.inspections.domain.submit import ItemData, SubmissionData, submit_inspection
from chuangcheng.inspections.models import RoundPoint
from tests.conftest import World, login
from tests.inspections.conftest import Streets, inspector
from tests.inspections.helpers import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(world: World, fw, streets: Streets) -> dict[str, Any]:
    """An open round of 4 alleys and 2 markets shared by w1 and w2."""
    w1 = inspector("w1", world.district)
    w2 = inspector("w2", world.district)
    round_ = make_round(
        world, fw, seed=8, quotas={world.alley.pk: 4, world.market.pk: 2}, inspectors=[w1, w2]
    )
    planning.open_round(round_, actor=world.office)
    points = list(RoundPoint.objects.filter(round=round_).select_related("point", "inspector"))
    return {
        "round": round_,
        "w1": w1,
        "w2": w2,
        "mine": [rp for rp in points if rp.inspector == w1],
        "theirs": [rp for rp in points if rp.inspector == w2],
    }


def test_my_rounds_and_round_page_show_only_my_points(world: World, opened) -> None:
    client = login(opened["w1"])
    rounds = client.get(reverse("inspections:my_rounds"))
    assert rounds.status_code == 200
    (r,) = rounds.context["rounds"]
    assert (r.n_mine, r.n_done) == (3, 0)
    page = client.get(reverse("inspections:field_round", args=[opened["round"].pk]))
    ids = {p["id"] for p in page.context["config"]["points"]}
    assert ids == {rp.pk for rp in opened["mine"]}
    assert page.context["config"]["precache"][0] == reverse("inspections:my_rounds")


def test_checklist_holds_the_field_clauses_of_the_point_type(world: World, fw, opened) -> None:
    client = login(opened["w1"])
    for rp in opened["mine"]:
        page = client.get(reverse("inspections:field_point", args=[rp.pk]))
        ids = [c.id for c in page.context["items"]]
        if rp.point.type == world.alley:
            assert ids == [fw.clean.pk, fw.posters.pk]  # not the survey or material clauses
        else:
            assert ids == [fw.posters.pk, fw.market.pk]
        html = page.content.decode()
        assert 'capture="environment"' in html and 'accept="image/*"' in html


def test_another_inspectors_point_is_not_found(world: World, opened) -> None:
    client = login(opened["w1"])
    for rp in opened["theirs"]:
        assert client.get(reverse("inspections:field_point", args=[rp.pk])).status_code == 404
    for user in (world.user_s1, world.user_s2, world.inspector, world.nobody):
        c = login(user)
        assert (
            c.get(reverse("inspections:field_point", args=[opened["mine"][0].pk])).status_code
            == 404
        )
        assert (
            c.get(reverse("inspections:field_round", args=[opened["round"].pk])).status_code == 404
        )
    # The office may open any point of its round.
    office = login(world.office)
    assert (
        office.get(reverse("inspections:field_point", args=[opened["theirs"][0].pk])).status_code
        == 200
    )


def test_a_draft_is_not_in_the_field(world: World, fw, streets: Streets) -> None:
    w1 = inspector("w1", world.district)
    round_ = make_round(world, fw, inspectors=[w1])
    rp = round_.round_points.first()
    client = login(w1)
    assert client.get(reverse("inspections:my_rounds")).context["rounds"] == []
    assert client.get(reverse("inspections:field_point", args=[rp.pk])).status_code == 404


def test_an_inspected_point_shows_what_was_recorded(world: World, fw, opened) -> None:
    import uuid

    rp = next(rp for rp in opened["mine"] if rp.point.type == world.alley)
    rp = RoundPoint.objects.select_related("round", "point").get(pk=rp.pk)
    submit_inspection(
        SubmissionData(
            client_id=uuid.uuid4(), round_point=rp, items=[ItemData(fw.clean.pk, "pass")]
        ),
        actor=opened["w1"],
    )
    page = login(opened["w1"]).get(reverse("inspections:field_point", args=[rp.pk]))
    assert page.context["visit"] is not None
    assert 'id="inspect"' not in page.content.decode()
    rounds = login(opened["w1"]).get(reverse("inspections:my_rounds")).context["rounds"]
    assert (rounds[0].n_mine, rounds[0].n_done) == (3, 1)


def test_service_worker_is_served_at_the_inspections_scope(world: World) -> None:
    response = login(world.inspector).get("/inspections/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    body = response.content.decode()
    assert '"/static/inspections/outbox.js"' in body and 'var SCOPE = "/inspections/field/"' in body
    # Anonymous visitors get it too: the worker itself holds nothing private.
    from django.test import Client

    assert Client().get("/inspections/sw.js").status_code == 200


def test_field_pages_keep_a_constant_query_count(
    world: World, fw, streets: Streets, django_assert_max_num_queries
) -> None:
    w1 = inspector("w1", world.district)
    small = make_round(world, fw, quotas={world.alley.pk: 1}, inspectors=[w1])
    big = make_round(world, fw, quotas={world.alley.pk: 10, world.market.pk: 3}, inspectors=[w1])
    for r in (small, big):
        planning.open_round(r, actor=world.office)
    client = login(w1)
    client.get(reverse("inspections:field_round", args=[small.pk]))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("inspections:field_round", args=[small.pk]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("inspections:field_round", args=[big.pk]))
    assert len(page.context["rows"]) == 13
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("inspections:my_rounds"))
