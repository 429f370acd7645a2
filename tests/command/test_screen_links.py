"""Read-only big-screen links issued by the office: scoped, expiring, audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from chuangcheng.command.domain import screen_links
from chuangcheng.core.models import AuditEntry
from tests.command.boards_data import build
from tests.conftest import World, login


def issue(world: World, region: object, hours: str = "24") -> str:
    response = login(world.office).post(
        reverse("command:screen_links"), {"region": region.pk, "hours": hours}
    )
    assert response.status_code == 200, response.content
    return response.context["issued"].token  # type: ignore[no-any-return]


def test_office_issues_a_link_that_opens_without_login(world: World) -> None:
    build(world, timezone.now())
    token = issue(world, world.s1)
    anonymous = Client()
    page = anonymous.get(reverse("command:link_screen", args=[token]))
    assert page.status_code == 200
    assert "东华门街道" in page.content.decode()
    data = anonymous.get(reverse("command:link_screen_data", args=[token])).json()
    assert data["region"] == "东华门街道"
    assert (data["totals"]["open"], data["totals"]["overdue"]) == (6, 1)
    assert data["ticker"] == ""  # no registered panel: they are about people's rows
    entries = list(AuditEntry.objects.filter(object_type="command.screen_link").order_by("pk"))
    assert [(e.action, e.actor_id) for e in entries] == [
        ("create", world.office.pk),
        ("login", None),
    ]
    # Refreshes are not audited one by one.
    anonymous.get(reverse("command:link_screen_data", args=[token]))
    assert AuditEntry.objects.filter(object_type="command.screen_link").count() == 2


def test_a_link_never_shows_another_region(world: World) -> None:
    build(world, timezone.now())
    token = issue(world, world.s2)
    data = Client().get(reverse("command:link_screen_data", args=[token]), {"region": "110101001"})
    assert data.json()["region"] == "景山街道"
    assert data.json()["totals"]["open"] == 2


def test_expired_tampered_or_orphaned_links_are_404(world: World) -> None:
    now = timezone.now()
    old = screen_links.issue(
        actor=world.office, region=world.district, hours=1, now=now - dt.timedelta(hours=2)
    )
    assert Client().get(reverse("command:link_screen", args=[old.token])).status_code == 404
    token = issue(world, world.district)
    assert screen_links.read(token) is not None
    forged = signing.dumps(
        {"r": world.district.pk, "u": world.office.pk, "e": 9999999999, "n": "x"}
    )
    for bad in (token[:-2] + "xx", forged, "nonsense"):
        assert Client().get(reverse("command:link_screen", args=[bad])).status_code == 404
        assert Client().get(reverse("command:link_screen_data", args=[bad])).status_code == 404
    world.office.is_active = False
    world.office.save()
    assert Client().get(reverse("command:link_screen_data", args=[token])).status_code == 404


@pytest.mark.parametrize("hours", ["0", "abc", "721", "-3"])
@override_settings(SCREEN_LINK_MAX_DAYS=30)
def test_a_bad_validity_is_refused(world: World, hours: str) -> None:
    response = login(world.office).post(
        reverse("command:screen_links"), {"region": world.district.pk, "hours": hours}
    )
    assert response.status_code == 422 and response.context["error"]
    assert not AuditEntry.objects.filter(object_type="command.screen_link").exists()


@pytest.mark.parametrize("who", ["leader", "user_s1", "nobody"])
def test_only_the_office_issues_links(world: World, who: str) -> None:
    client = login(getattr(world, who))
    assert client.get(reverse("command:screen_links")).status_code == 404
    response = client.post(
        reverse("command:screen_links"), {"region": world.district.pk, "hours": "24"}
    )
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(object_type="command.screen_link").exists()


def test_a_street_office_issues_links_for_its_street_only(world: World) -> None:
    from chuangcheng.accounts.enums import Role
    from tests.factories import UserFactory, grant

    clerk = UserFactory(username="street_office")
    grant(clerk, Role.OFFICE, region=world.s1)
    client = login(clerk)
    assert [r.pk for r in client.get(reverse("command:screen_links")).context["regions"]] == [
        world.s1.pk
    ]
    other = client.post(reverse("command:screen_links"), {"region": world.s2.pk, "hours": "2"})
    assert other.status_code == 404
