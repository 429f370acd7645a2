"""The inbox (own notifications only), the bell's count and the office's outbound messages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chuangcheng.accounts.enums import Role
from chuangcheng.core import messaging, notify
from chuangcheng.core.models_messages import Channel, Level, Notification
from tests.conftest import World, login
from tests.factories import UserFactory, grant

T0 = dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC)


def _notices(user, n: int, prefix: str = "k") -> None:
    notify.notify(
        [
            (
                notify.Notice(key=f"{prefix}{i}", title=f"通知{prefix}{i}", body="正文", link="/"),
                [user],
            )
            for i in range(n)
        ],
        now=T0,
    )


def test_inbox_shows_only_own_notifications(world: World) -> None:
    notify.notify(
        [
            (notify.Notice(key="a", title="东华门的案件超期", level=Level.DANGER), [world.user_s1]),
            (notify.Notice(key="b", title="景山的案件即将到期"), [world.user_s2]),
        ],
        now=T0,
    )
    resp = login(world.user_s1).get(reverse("core:inbox"))
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "东华门的案件超期" in body and "景山的案件即将到期" not in body
    assert [n.title for n in resp.context["page"]] == ["东华门的案件超期"]
    assert resp.context["unread"] == 1


def test_another_users_notification_answers_404(world: World) -> None:
    _notices(world.user_s2, 1, "s2-")
    theirs = Notification.objects.get(recipient=world.user_s2)
    client = login(world.user_s1)
    assert (
        client.post(reverse("core:inbox_read", args=[theirs.pk]), {"open": "1"}).status_code == 404
    )
    assert client.post(reverse("core:inbox_read", args=[999999])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post(reverse("core:inbox_read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_open_marks_read_and_follows_the_link(world: World) -> None:
    notify.notify([(notify.Notice(key="x", title="t", link="/points/"), [world.user_s1])], now=T0)
    item = Notification.objects.get()
    client = login(world.user_s1)
    resp = client.post(reverse("core:inbox_read", args=[item.pk]), {"open": "1"})
    assert resp.status_code == 302 and resp["Location"] == "/points/"
    item.refresh_from_db()
    assert item.read_at is not None


def test_links_to_other_sites_are_not_followed(world: World) -> None:
    notify.notify(
        [(notify.Notice(key="x", title="t", link="https://evil.example/"), [world.user_s1])], now=T0
    )
    item = Notification.objects.get()
    resp = login(world.user_s1).post(reverse("core:inbox_read", args=[item.pk]), {"open": "1"})
    assert resp["Location"] == reverse("core:inbox")


def test_mark_all_read_and_unread_filter(world: World) -> None:
    _notices(world.user_s1, 3)
    client = login(world.user_s1)
    first = Notification.objects.filter(recipient=world.user_s1).order_by("id").first()
    client.post(reverse("core:inbox_read", args=[first.pk]), {"next": "/inbox/?show=unread"})
    resp = client.get(reverse("core:inbox"), {"show": "unread"})
    assert [n.title for n in resp.context["page"]] == ["通知k2", "通知k1"]
    assert client.post(reverse("core:inbox_read_all"))["Location"] == reverse("core:inbox")
    resp = client.get(reverse("core:inbox"), {"show": "unread"})
    assert list(resp.context["page"]) == [] and resp.context["unread"] == 0


def test_badge_counts_unread(world: World) -> None:
    _notices(world.user_s1, 3)
    _notices(world.user_s2, 5, "s2-")
    body = login(world.user_s1).get(reverse("core:inbox_badge")).content.decode()
    assert 'class="bell-count"' in body and ">3</span>" in body
    _notices(world.user_s1, 120, "many-")
    body = login(world.user_s1).get(reverse("core:inbox_badge")).content.decode()
    assert ">99+</span>" in body
    # Nothing unread: an empty answer, which removes the placeholder.
    assert login(world.office).get(reverse("core:inbox_badge")).content.decode().strip() == ""


def test_every_page_loads_the_bell_lazily(world: World) -> None:
    body = login(world.user_s1).get(reverse("command:home")).content.decode()
    assert f'hx-get="{reverse("core:inbox_badge")}"' in body
    # Only the count is taken from the answer, so a redirect never nests a page in the bar.
    assert 'hx-select=".bell-count"' in body


def test_inbox_needs_login(client) -> None:
    assert client.get(reverse("core:inbox")).status_code == 302


@pytest.mark.parametrize("view", ["core:inbox", "core:inbox_badge"])
def test_inbox_queries_do_not_grow(world: World, view: str) -> None:
    from django.db import connection

    client = login(world.user_s1)
    _notices(world.user_s1, 2)
    client.get(reverse(view))  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(view)).status_code == 200
    _notices(world.user_s1, 25, "more-")
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(view)).status_code == 200
    assert len(few) == len(many)


def _texts(world: World) -> None:
    """One text about a case in each street."""
    for region, unit, phone in (
        (world.s1, world.unit_s1, "13911110001"),
        (world.s2, world.unit_s2, "13922220002"),
    ):
        messaging.queue(
            [
                messaging.Outgoing(
                    key=f"case:{unit.pk}:overdue:head",
                    channel=Channel.SMS,
                    to=phone,
                    to_name="李主任",
                    to_role="主要负责人",
                    unit_id=unit.pk,
                    text=f"【创城】{unit.name}：案件已超期",
                    about=f"2026-00000{unit.pk}",
                    scope_path=region.path,
                )
            ],
            now=T0,
            send=False,
        )


def test_office_sees_outbound_messages_masked(world: World) -> None:
    _texts(world)
    resp = login(world.office).get(reverse("command:outbox"))
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "139****0001" in body and "139****0002" in body
    assert "13911110001" not in body and "13922220002" not in body
    assert resp.context["page"].paginator.count == 2


def test_street_office_sees_only_its_street(world: World) -> None:
    _texts(world)
    street_office = UserFactory()
    grant(street_office, Role.OFFICE, region=world.s2)
    resp = login(street_office).get(reverse("command:outbox"))
    assert [m.to_masked for m in resp.context["page"]] == ["139****0002"]
    assert "139****0001" not in resp.content.decode()


@pytest.mark.parametrize("who", ["user_s1", "leader", "inspector", "nobody"])
def test_outbound_messages_hidden_from_others(world: World, who: str) -> None:
    _texts(world)
    assert login(getattr(world, who)).get(reverse("command:outbox")).status_code == 404


def test_outbox_filters_and_query_count(world: World) -> None:
    from django.db import connection

    _texts(world)
    client = login(world.office)
    assert (
        client.get(reverse("command:outbox"), {"status": "sent"}).context["page"].paginator.count
        == 0
    )
    assert (
        client.get(reverse("command:outbox"), {"channel": "sms"}).context["page"].paginator.count
        == 2
    )
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("command:outbox"))
    for i in range(20):
        messaging.queue(
            [
                messaging.Outgoing(
                    key=f"more{i}",
                    channel=Channel.SMS,
                    to="13700000000",
                    unit_id=world.line_cg.pk,
                    text="t",
                    scope_path=world.s1.path,
                )
            ],
            now=T0,
            send=False,
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("command:outbox"))
    assert len(few) == len(many)
