"""Office pages: plan, look, draw again, open, finish; scoped and permission-checked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chuangcheng.accounts.enums import Role
from chuangcheng.core.models import AuditEntry
from chuangcheng.inspections.domain import planning
from chuangcheng.inspections.enums import RoundStatus
from chuangcheng.inspections.models import Round
from tests.conftest import World, login
from tests.factories import UserFactory, grant
from tests.inspections.conftest import Streets, inspector
from tests.inspections.helpers import make_round

pytestmark = pytest.mark.django_db


def _form(world: World, fw, walker, **extra: str) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "11月背街小巷督查",
        "kind": "routine",
        "framework": fw.framework.pk,
        "region": world.district.pk,
        "period_start": "2026-11-01",
        "period_end": "2026-11-30",
        f"quota_{world.alley.pk}": "3",
        f"quota_{world.market.pk}": "",
        "inspectors": [walker.pk],
        "stratify_by_street": "on",
    }
    data.update(extra)
    return data


def test_office_plans_a_round_in_the_form(world: World, fw, streets: Streets) -> None:
    walker = inspector("w1", world.district, home=world.s1)
    client = login(world.office)
    page = client.get(reverse("inspections:round_create"))
    assert page.status_code == 200
    text = page.content.decode()
    # Only types with field clauses, each with its active points in the district.
    assert "背街小巷" in text and "农贸市场" in text
    assert [
        (r.point_type.code, r.available, r.clauses) for r in page.context["form"].quota_rows
    ] == [
        ("alley", 10, 2),
        ("market", 3, 2),
    ]
    assert "督查员w1（东华门街道）" in text
    response = client.post(reverse("inspections:round_create"), _form(world, fw, walker))
    round_ = Round.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:round_detail", args=[round_.pk])
    assert round_.stratify_by_street and round_.round_points.count() == 3
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert (
        "3 points drawn." in detail.content.decode() or "已抽取 3 个点位" in detail.content.decode()
    )


def test_form_errors_keep_the_page_and_write_nothing(world: World, fw, streets: Streets) -> None:
    walker = inspector("w1", world.district)
    client = login(world.office)
    data = _form(world, fw, walker, **{f"quota_{world.alley.pk}": "0", "period_end": "2026-10-01"})
    response = client.post(reverse("inspections:round_create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"period_end"}
    assert len(form.quota_errors) == 1
    assert Round.objects.count() == 0


def test_form_parts_follow_the_region(world: World, fw, streets: Streets) -> None:
    inspector("dw", world.district)
    inspector("s2w", world.s2)
    client = login(world.office)
    response = client.get(
        reverse("inspections:round_form_parts"),
        {"framework": fw.framework.pk, "region": world.s2.pk},
        HTTP_HX_REQUEST="true",
    )
    form = response.context["form"]
    assert [(r.point_type.code, r.available) for r in form.quota_rows] == [
        ("alley", 3),
        ("market", 1),
    ]
    assert [u.username for u in form.fields["inspectors"].queryset] == ["dw", "s2w"]


def test_redraw_open_finish_buttons(world: World, fw, streets: Streets) -> None:
    walker = inspector("w1", world.district)
    round_ = make_round(world, fw, seed=11, inspectors=[walker])
    client = login(world.office)
    client.post(reverse("inspections:round_redraw", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.seed != 11
    client.post(reverse("inspections:round_open", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN
    # An open round cannot be edited or drawn again.
    assert client.get(reverse("inspections:round_edit", args=[round_.pk])).status_code == 302
    seed = round_.seed
    client.post(reverse("inspections:round_redraw", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.seed == seed
    client.post(reverse("inspections:round_finish", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    assert AuditEntry.objects.filter(object_type="inspections.round").count() == 4


def test_edit_keeps_the_seed(world: World, fw, streets: Streets) -> None:
    walker = inspector("w1", world.district)
    round_ = make_round(world, fw, seed=42, inspectors=[walker])
    client = login(world.office)
    page = client.get(reverse("inspections:round_edit", args=[round_.pk]))
    assert page.context["form"][f"quota_{world.alley.pk}"].value() == 2
    client.post(
        reverse("inspections:round_edit", args=[round_.pk]),
        _form(world, fw, walker, **{f"quota_{world.alley.pk}": "5"}),
    )
    round_.refresh_from_db()
    assert round_.seed == 42 and round_.round_points.count() == 5


def test_scoping_and_permissions(world: World, fw, streets: Streets) -> None:
    walker = inspector("w1", world.district)
    round_ = make_round(world, fw, inspectors=[walker], region=world.s1)
    s2_office = UserFactory(username="office_s2")
    grant(s2_office, Role.OFFICE, region=world.s2)
    detail = reverse("inspections:round_detail", args=[round_.pk])
    # Another street's office and a unit never learn the round exists.
    for user in (s2_office, world.user_s2, world.user_s1, world.nobody):
        assert login(user).get(detail).status_code == 404, user
        assert (
            login(user).post(reverse("inspections:round_open", args=[round_.pk])).status_code == 404
        )
    assert (
        login(s2_office).get(reverse("inspections:round_list")).context["page"].paginator.count == 0
    )
    assert login(world.user_s1).get(reverse("inspections:round_list")).status_code == 404
    # The district leader reads the round but may not change it.
    leader = login(world.leader)
    assert leader.get(detail).status_code == 200
    assert leader.post(reverse("inspections:round_open", args=[round_.pk])).status_code == 403
    assert leader.get(reverse("inspections:round_create")).status_code == 403
    # The inspector works from the phone pages: the whole round (with everyone's assignments)
    # stays hidden, before and after it is opened.
    assert login(walker).get(detail).status_code == 404
    planning.open_round(round_, actor=world.office)
    assert login(walker).get(detail).status_code == 404
    assert (
        login(walker).get(reverse("inspections:round_results", args=[round_.pk])).status_code == 404
    )


def test_the_s2_office_may_not_plan_in_s1(world: World, fw, streets: Streets) -> None:
    s2_office = UserFactory(username="office_s2")
    grant(s2_office, Role.OFFICE, region=world.s2)
    walker = inspector("w1", world.district)
    client = login(s2_office)
    page = client.get(reverse("inspections:round_create"))
    assert [r.code for r in page.context["form"].fields["region"].queryset] == ["110101002"]
    response = client.post(
        reverse("inspections:round_create"), _form(world, fw, walker, region=str(world.s1.pk))
    )
    assert "region" in response.context["form"].errors
    assert Round.objects.count() == 0


def test_list_query_count_is_constant(
    world: World, fw, streets: Streets, django_assert_max_num_queries
) -> None:
    walker = inspector("w1", world.district)
    client = login(world.office)
    make_round(world, fw, inspectors=[walker])
    client.get(reverse("inspections:round_list"))
    with django_assert_max_num_queries(9) as small:
        client.get(reverse("inspections:round_list"))
    for _ in range(6):
        make_round(world, fw, inspectors=[walker], quotas={world.alley.pk: 5})
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("inspections:round_list"))
    assert response.context["page"].paginator.count == 7


def test_detail_query_count_is_constant(
    world: World, fw, streets: Streets, django_assert_max_num_queries
) -> None:
    walker = inspector("w1", world.district)
    other = inspector("w2", world.district)
    client = login(world.office)
    small_round = make_round(world, fw, inspectors=[walker], quotas={world.alley.pk: 1})
    big_round = make_round(
        world, fw, inspectors=[walker, other], quotas={world.alley.pk: 10, world.market.pk: 3}
    )
    client.get(reverse("inspections:round_detail", args=[small_round.pk]))
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("inspections:round_detail", args=[small_round.pk]))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("inspections:round_detail", args=[big_round.pk]))
    assert len(response.context["rows"]) == 13
