"""The office's Open311 key page: issue (shown once), revoke, audit, and who sees which keys."""

from __future__ import annotations

import hashlib
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.accounts.enums import Role
from chuangcheng.core.models import AuditEntry
from chuangcheng.open311.domain.keys import issue_key, key_for
from chuangcheng.open311.models import Open311Key
from chuangcheng.orgs.enums import RegionLevel
from tests.conftest import World, login
from tests.factories import RegionFactory, UserFactory, grant

URL = "/open311/v2/keys/"


def other_district(world: World) -> tuple[Open311Key, object]:
    """A second district with its own office and key: never shown to the first office."""
    d2 = RegionFactory(code="110102", name="西城区", level=RegionLevel.DISTRICT)
    office2 = UserFactory(username="office2", display_name="西城文明办")
    grant(office2, Role.OFFICE, region=d2)
    key, _raw = issue_key(name="西城 App", owner="西城科技", region=d2, actor=office2)
    return key, office2


def test_office_issues_a_key_shown_once(world: World) -> None:
    client = login(world.office)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    options = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', html)
    assert options == ["东城区", "东华门街道", "景山街道"]
    resp = client.post(
        URL, {"name": "12345 热线 App", "owner": "区热线中心 刘工", "region": world.s1.pk}
    )
    assert resp.status_code == 200
    raw = re.search(
        r'<code class="mono" id="new-key"[^>]*>(o311_[\w-]+)</code>', resp.content.decode()
    )
    assert raw is not None
    key = Open311Key.objects.get()
    assert (key.name, key.owner, key.region, key.issued_by) == (
        "12345 热线 App",
        "区热线中心 刘工",
        world.s1,
        world.office,
    )
    assert key.digest == hashlib.sha256(raw.group(1).encode()).hexdigest()
    assert key_for(raw.group(1)) == key
    entry = AuditEntry.objects.get(object_type="open311.open311key")
    assert (entry.actor, entry.action, entry.after) == (
        world.office,
        "create",
        {
            "name": "12345 热线 App",
            "owner": "区热线中心 刘工",
            "region": world.s1.pk,
            "prefix": key.prefix,
        },
    )
    # Shown once: the list afterwards has the prefix only.
    again = client.get(URL).content.decode()
    assert raw.group(1) not in again and f"{key.prefix}…" in again


def test_missing_fields_issue_nothing(world: World) -> None:
    resp = login(world.office).post(URL, {"name": " ", "owner": "", "region": world.s1.pk})
    assert resp.status_code == 200
    assert Open311Key.objects.count() == 0
    assert resp.content.decode().count('class="errorlist"') == 2


def test_revoke_is_audited_and_stops_the_key(world: World) -> None:
    key, raw = issue_key(name="市民通", owner="某公司", region=world.district, actor=world.office)
    client = login(world.office)
    resp = client.post(f"{URL}{key.pk}/revoke/", follow=True)
    assert resp.status_code == 200
    key.refresh_from_db()
    assert key.revoked_at is not None and key.revoked_by == world.office
    assert key_for(raw) is None
    assert "已吊销" in resp.content.decode()
    client.post(f"{URL}{key.pk}/revoke/")
    updates = AuditEntry.objects.filter(object_type="open311.open311key", action="update")
    assert [(e.before, e.after) for e in updates] == [({"revoked": False}, {"revoked": True})]


def test_other_districts_keys_do_not_leak(world: World) -> None:
    foreign, _office2 = other_district(world)
    mine, _raw = issue_key(name="东城 App", owner="东城", region=world.district, actor=world.office)
    client = login(world.office)
    html = client.get(URL).content.decode()
    assert "东城 App" in html and "西城 App" not in html
    assert client.post(f"{URL}{foreign.pk}/revoke/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None
    # A district office cannot issue a key for a region outside its own.
    resp = client.post(URL, {"name": "x", "owner": "y", "region": foreign.region_id})
    assert resp.status_code == 200 and Open311Key.objects.count() == 2
    assert mine.region == world.district


def test_street_office_sees_its_street_only(world: World) -> None:
    street_office = UserFactory(username="s1office")
    grant(street_office, Role.OFFICE, region=world.s1)
    issue_key(name="区 App", owner="区", region=world.district, actor=world.office)
    issue_key(name="街道 App", owner="街道", region=world.s1, actor=street_office)
    html = login(street_office).get(URL).content.decode()
    assert "街道 App" in html and "区 App" not in html
    assert re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', html) == ["东华门街道"]


def test_only_the_office_gets_the_page_and_the_menu_entry(world: World) -> None:
    for user in (world.user_s1, world.inspector, world.leader, world.nobody):
        client = login(user)
        assert client.get(URL).status_code == 404
        assert (
            client.post(URL, {"name": "x", "owner": "y", "region": world.district.pk}).status_code
            == 404
        )
        assert URL not in client.get("/").content.decode()
    assert URL in login(world.office).get("/").content.decode()
    assert Open311Key.objects.count() == 0
    anonymous = login(world.office)
    anonymous.logout()
    assert anonymous.get(URL).status_code == 302


def test_key_list_query_count_is_constant(world: World) -> None:
    client = login(world.office)
    client.get(URL)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        issue_key(name=f"App {i}", owner="o", region=world.s1, actor=world.office)
    small = count()
    for i in range(6):
        issue_key(name=f"More {i}", owner="o", region=world.s2, actor=world.office)
    assert count() == small
