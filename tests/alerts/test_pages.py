"""The warning pages: who sees what (404 outside), who may act (leaders read only), counts by
level, the detail's contacts masked, and a constant number of queries for the list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.alerts.enums import WarningStatus
from chuangcheng.alerts.models import Warning
from chuangcheng.core.models import AuditEntry
from tests.alerts.pages_data import Four, four, warning
from tests.conftest import World, login


@pytest.fixture
def data(world: World) -> Four:
    return four(world)


def listed(client, query: str = "") -> list[str]:
    response = client.get(f"/alerts/{query}")
    assert response.status_code == 200
    return [w.key for w in response.context["page"]]


def test_each_user_lists_only_their_warnings(world, data) -> None:
    assert listed(login(world.office)) == ["c1", "s2", "line", "region"]
    assert listed(login(world.leader)) == ["c1", "s2", "line", "region"]
    assert listed(login(world.user_s1)) == ["c1"]
    assert listed(login(world.user_s2)) == ["s2"]
    assert listed(login(world.user_line)) == ["line"]


def test_users_without_a_reading_grant_are_refused(world, data) -> None:
    assert login(world.inspector).get("/alerts/").status_code == 403
    assert login(world.nobody).get("/alerts/").status_code == 403
    assert login(world.nobody).get(f"/alerts/{data.w_c1.pk}/").status_code == 403


def test_another_units_warning_is_not_found(world, data) -> None:
    client = login(world.user_s1)
    assert client.get(f"/alerts/{data.w_c1.pk}/").status_code == 200
    for other in (data.w_s2, data.w_line, data.w_region):
        assert client.get(f"/alerts/{other.pk}/").status_code == 404
        assert client.post(f"/alerts/{other.pk}/acknowledge/").status_code == 404
        assert client.post(f"/alerts/{other.pk}/resolve/").status_code == 404
    assert login(world.user_s2).get(f"/alerts/{data.w_c1.pk}/").status_code == 404


def test_counts_by_level_and_filters(world, data) -> None:
    client = login(world.office)
    counts = client.get("/alerts/").context["counts"]
    assert [(c["level"], c["n"]) for c in counts] == [("red", 1), ("orange", 2), ("yellow", 1)]
    assert listed(client, "?level=orange") == ["s2", "region"]
    assert listed(client, f"?street={world.s1.pk}") == ["c1", "region"]
    assert listed(client, f"?unit={world.unit_s2.pk}") == ["s2"]
    assert listed(client, "?kind=cases.overdue&level=yellow") == ["line"]
    assert listed(client, "?kind=cases.recurring") == []
    Warning.objects.filter(pk=data.w_s2.pk).update(status=WarningStatus.RESOLVED)
    assert listed(client) == ["c1", "line", "region"]
    assert listed(client, "?status=resolved") == ["s2"]
    assert listed(client, "?status=all&level=nonsense&street=x") == ["c1", "s2", "line", "region"]


def test_detail_shows_the_figure_the_link_and_masked_contacts(world, data) -> None:
    page = login(world.user_s1).get(f"/alerts/{data.w_c1.pk}/").content.decode()
    assert "预警 c1" in page
    assert 'href="/cases/?overdue=1"' in page
    assert "139****1111" in page and "138****1234" in page
    assert "13900001111" not in page
    assert 'id="acknowledge"' in page


def test_unit_acknowledges_with_a_note_then_resolves(world, data) -> None:
    client = login(world.user_s1)
    response = client.post(
        f"/alerts/{data.w_c1.pk}/acknowledge/", {"note": "已派人清理"}, follow=True
    )
    assert "已签收" in response.content.decode()
    w = Warning.objects.get(pk=data.w_c1.pk)
    assert (w.status, w.acknowledged_by, w.acknowledge_note) == (
        WarningStatus.ACKNOWLEDGED,
        world.user_s1,
        "已派人清理",
    )
    entry = AuditEntry.objects.get(object_type="alerts.warning", object_id=str(w.pk))
    assert entry.after["status"] == "acknowledged" and entry.actor == world.user_s1
    # Acknowledging twice is refused with a message; nothing changes.
    response = client.post(f"/alerts/{w.pk}/acknowledge/", {"note": "again"}, follow=True)
    assert "只有新发出的预警可以签收" in response.content.decode()
    client.post(f"/alerts/{w.pk}/resolve/", {"note": "已清理完毕"})
    w.refresh_from_db()
    assert (w.status, w.resolved_by, w.resolve_note, w.auto_resolved) == (
        WarningStatus.RESOLVED,
        world.user_s1,
        "已清理完毕",
        False,
    )
    assert [e.action for e in w.events.all()] == ["acknowledged", "resolved"]


def test_leaders_read_but_do_not_act(world, data) -> None:
    client = login(world.leader)
    page = client.get(f"/alerts/{data.w_c1.pk}/").content.decode()
    assert 'id="acknowledge"' not in page and 'id="resolve"' not in page
    assert client.post(f"/alerts/{data.w_c1.pk}/acknowledge/").status_code == 403
    assert client.post(f"/alerts/{data.w_c1.pk}/resolve/").status_code == 403
    assert Warning.objects.get(pk=data.w_c1.pk).status == WarningStatus.RAISED


def test_office_resolves_a_region_warning(world, data) -> None:
    login(world.office).post(f"/alerts/{data.w_region.pk}/resolve/", {"note": "复查合格"})
    assert Warning.objects.get(pk=data.w_region.pk).status == WarningStatus.RESOLVED


def test_a_too_long_note_is_refused(world, data) -> None:
    response = login(world.office).post(
        f"/alerts/{data.w_c1.pk}/acknowledge/", {"note": "长" * 1001}, follow=True
    )
    assert response.status_code == 200
    assert Warning.objects.get(pk=data.w_c1.pk).status == WarningStatus.RAISED


def test_list_queries_do_not_grow(world, data) -> None:
    client = login(world.office)
    client.get("/alerts/")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/alerts/?status=all").status_code == 200
        return len(ctx)

    few = count()
    for i in range(20):
        warning(data.rule, f"more{i}", "red", world.c2, world.unit_s2)
    assert count() == few


def test_navigation_shows_warnings_to_readers_only(world, data) -> None:
    assert 'href="/alerts/"' in login(world.user_s1).get("/").content.decode()
    assert 'href="/alerts/"' not in login(world.inspector).get("/").content.decode()


def test_evaluate_now_is_for_the_office(world, data) -> None:
    assert login(world.leader).post("/alerts/evaluate/").status_code == 403
    assert login(world.user_s1).post("/alerts/evaluate/").status_code == 403
    response = login(world.office).post("/alerts/evaluate/", follow=True)
    assert "已评估" in response.content.decode()
