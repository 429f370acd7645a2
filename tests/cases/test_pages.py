"""The case list, its filters, export and map, and the intake queue: scoped to what the user
may see, exact filters, constant query counts as cases grow."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chuangcheng.accounts.enums import Role
from chuangcheng.cases.domain import actions
from chuangcheng.cases.enums import CaseStatus
from chuangcheng.cases.models import Case, Category
from chuangcheng.core.models import AuditEntry
from tests.cases.workflow_helpers import days_ago, dispatched, report
from tests.conftest import World, login
from tests.factories import UserFactory, grant


def _numbers(body: str, cases: list[Case]) -> list[str]:
    return [c.number for c in cases if c.number in body]


@pytest.fixture
def spread(world: World, categories: dict[str, Any]) -> dict[str, Case]:
    """One case per interesting situation, in both streets."""
    a = report(world, categories, at=days_ago(5))  # 东华门, in intake
    b = dispatched(
        world, categories, point="p2", code="S0501", text="景山市场占道经营", at=days_ago(4)
    )  # in 景山, dispatched to 东华门's street office
    c = report(
        world,
        categories,
        point="p2",
        code="B0101",
        text="市场门口井盖缺失",
        source="hotline",
        at=days_ago(3),
    )
    actions.register_and_dispatch(c, actor=world.office, lead=world.line_sj)
    Case.objects.filter(pk=c.pk).update(
        due_at=timezone.now() - dt.timedelta(hours=2), recurrent=True
    )
    d = report(world, categories, code="S0104", text="墙面小广告", at=days_ago(1))
    actions.reject(d, actor=world.office, reason="已由城管处理")
    return {"a": a, "b": b, "c": c, "d": d}


def test_list_is_scoped(world: World, spread: dict[str, Case]) -> None:
    cases = list(spread.values())
    url = reverse("cases:list")
    assert _numbers(login(world.office).get(url).content.decode(), cases) == [
        c.number for c in cases
    ]
    # 东华门 street unit: its street's cases and the one dispatched to it (b, in 景山).
    body = login(world.user_s1).get(url).content.decode()
    assert _numbers(body, cases) == [spread["a"].number, spread["b"].number, spread["d"].number]
    # 景山: its street (b, c), nothing of 东华门.
    body = login(world.user_s2).get(url).content.decode()
    assert _numbers(body, cases) == [spread["b"].number, spread["c"].number]
    # 城管委 (line unit): cases proposed to it (p1's line unit) — a and d — not 景山's.
    body = login(world.user_line).get(url).content.decode()
    assert _numbers(body, cases) == [spread["a"].number, spread["d"].number]
    body = login(world.nobody).get(url).content.decode()
    assert _numbers(body, cases) == []


def _param(world: World, spread: dict[str, Case], key: str, raw: str) -> str:
    """Test shorthands → the real GET value (ids, dates relative to today, case numbers)."""
    if key == "category":
        return str(Category.objects.get(code=raw).pk)
    if key in ("street", "unit"):
        return str(getattr(world, raw).pk)
    if raw.startswith("days:"):
        return (timezone.localdate() - dt.timedelta(days=int(raw[5:]))).isoformat()
    if raw.startswith("number:"):
        return spread[raw[7:]].number
    return raw


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "open"}, "abc"),
        ({"status": "rejected"}, "d"),
        ({"status": "bogus"}, "abcd"),
        ({"category": "S01"}, "ad"),  # the class 市容环境 holds 暴露垃圾 and 乱涂乱画
        ({"category": "B0101"}, "c"),
        ({"street": "s2"}, "bc"),
        ({"unit": "unit_s1"}, "b"),  # dispatched to it; a's territorial unit is unit_c1
        ({"unit": "line_sj"}, "bc"),  # b proposed (p2's line unit), c dispatched
        ({"source": "hotline"}, "c"),
        ({"overdue": "1"}, "c"),
        ({"recurrent": "1"}, "c"),
        ({"from": "days:3", "to": "days:1"}, "cd"),
        ({"q": "井盖"}, "c"),
        ({"q": "number:a"}, "a"),
    ],
)
def test_list_filters(
    world: World, spread: dict[str, Case], params: dict[str, str], expected: str
) -> None:
    query = {key: _param(world, spread, key, raw) for key, raw in params.items()}
    body = login(world.office).get(reverse("cases:list"), query).content.decode()
    cases = [spread[k] for k in "abcd"]
    assert _numbers(body, cases) == [spread[k].number for k in expected]


def test_unit_filter_means_assigned_or_proposed(world: World, spread: dict[str, Case]) -> None:
    """unit_s1 is b's lead; a is at p1 whose territorial unit is unit_c1, so a appears under
    unit_c1, not unit_s1 — the filter is exact, the street's visibility is not involved."""
    body = login(world.office).get(reverse("cases:list"), {"unit": world.unit_c1.pk})
    assert _numbers(body.content.decode(), list(spread.values())) == [
        spread["a"].number,
        spread["d"].number,
    ]


def test_badges_and_todo_for_a_unit(world: World, categories: dict[str, Any]) -> None:
    soon = dispatched(world, categories, text="第一件")
    later = dispatched(world, categories, point="p2", code="S0502", text="第二件")
    late = dispatched(world, categories, code="S0103", text="第三件")
    now = timezone.now()
    Case.objects.filter(pk=late.pk).update(due_at=now - dt.timedelta(hours=5), escalated_at=now)
    Case.objects.filter(pk=soon.pk).update(due_at=now + dt.timedelta(hours=3))
    Case.objects.filter(pk=later.pk).update(due_at=now + dt.timedelta(days=2, hours=1))
    actions.feedback(soon, actor=world.user_s1, unit=world.unit_s1, text="已处理")
    actions.verify(soon, actor=world.office, passed=False, note="未清理干净")
    body = login(world.user_s1).get(reverse("cases:list")).content.decode()
    todo = body[body.index('id="todo-h"') : body.index("</section>")]
    assert [n for n in (late.number, soon.number, later.number) if n in todo] == [
        late.number,
        soon.number,
        later.number,
    ]
    assert todo.index(late.number) < todo.index(soon.number) < todo.index(later.number)
    assert "超期 5 小时" in todo or "overdue by 5 h" in todo
    assert "返工 1" in todo
    assert "督办" in todo
    # The office acts for no unit: no to-do block.
    assert 'id="todo-h"' not in login(world.office).get(reverse("cases:list")).content.decode()


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _more(world: World, categories: dict[str, Any], n: int, first: int = 0) -> None:
    for i in range(first, first + n):
        case = report(
            world,
            categories,
            point="p2" if i % 2 else "p1",
            code="S0103",
            text=f"路面不洁{i}",
            at=days_ago(i + 1),
            phone="13900000000",
        )
        if i % 3 == 0:
            actions.register_and_dispatch(
                case, actor=world.office, lead=world.unit_s2, partners=[world.line_sj]
            )
        elif i % 3 == 1:
            Case.objects.filter(pk=case.pk).update(recurrent=True)


@pytest.mark.parametrize(
    ("user", "url_name"),
    [
        ("office", "cases:list"),
        ("office", "cases:intake"),
        ("office", "cases:map_data"),
        ("office", "cases:map"),
        ("office", "cases:export"),
        ("user_s2", "cases:list"),
        ("user_s2", "cases:map_data"),
    ],
)
def test_query_count_is_constant(
    world: World, categories: dict[str, Any], user: str, url_name: str
) -> None:
    client = login(getattr(world, user))
    url = reverse(url_name)
    _more(world, categories, 3)
    client.get(url)  # warm the session
    small = _count(client, url)
    _more(world, categories, 15, first=3)
    assert Case.objects.count() == 18
    assert _count(client, url) == small


def test_export_xlsx_holds_the_filtered_visible_rows(world: World, spread: dict[str, Case]) -> None:
    from openpyxl import load_workbook

    r = login(world.user_s2).get(reverse("cases:export"), {"status": "open"})
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    numbers = [row[0] for row in rows[1:]]
    assert numbers == [spread["c"].number, spread["b"].number]
    c = rows[1]
    assert (c[4], c[10], c[17], c[21]) == ("井盖", "区市场监管局", "是", "是")
    assert len(rows[0]) == 22 and "phone" not in " ".join(rows[0]).lower()
    entry = AuditEntry.objects.get(action="export", object_type="cases.case")
    assert (entry.actor, entry.object_repr, entry.note) == (
        world.user_s2,
        "xlsx · 2",
        "status=open",
    )


def test_map_data_states_and_scope(world: World, spread: dict[str, Case]) -> None:
    data = login(world.user_s2).get(reverse("cases:map_data")).json()
    rows = {r[1]: r for r in data["cases"]}
    assert set(rows) == {spread["b"].number, spread["c"].number}  # open, in 景山
    b, c = rows[spread["b"].number], rows[spread["c"].number]
    assert (c[2], c[3], c[4], c[5]) == (116.396, 39.928, "overdue", "井盖")
    assert b[4] == "soon"  # 24 h time limit of 占道经营, dispatched a moment ago
    data = login(world.office).get(reverse("cases:map_data"), {"status": "rejected"}).json()
    assert [r[1] for r in data["cases"]] == [spread["d"].number]


def test_map_page_renders_with_filters(world: World, spread: dict[str, Case]) -> None:
    body = login(world.office).get(reverse("cases:map"), {"overdue": "1"}).content.decode()
    assert 'id="cases-map"' in body and "cases_map.js" in body
    assert 'name="overdue" value="1" checked' in body


def test_intake_queue_oldest_first_with_proposals_and_duplicates(
    world: World, categories: dict[str, Any]
) -> None:
    old = report(world, categories, at=days_ago(3), text="巷口垃圾")
    newer = report(
        world,
        categories,
        point=None,
        lng=Decimal("116.405100"),
        lat=Decimal("39.925000"),
        region=world.c1,
        at=days_ago(1),
        text="垃圾又堆了",
    )
    obj = report(world, categories, point="p2", code="B0101", text="井盖缺失", at=days_ago(2))
    registered = report(world, categories, point="p2", code="S0501", at=days_ago(4))
    actions.register(registered, actor=world.office)
    body = login(world.office).get(reverse("cases:intake")).content.decode()
    rows = [body.index(f'id="case-{c.pk}"') for c in (old, obj, newer)]
    assert rows == sorted(rows)
    assert registered.number not in body[body.index('class="cs-intake"') :]
    # 事件 at p1 → its territorial unit; 部件 at p2 → p2's line unit.
    assert f'name="lead" value="{world.unit_c1.pk}"' in body
    assert f'name="lead" value="{world.line_sj.pk}"' in body
    # newer is 8.5 m from p1: old is offered as its duplicate (and newer as old's).
    item = body[body.index(f'id="case-{newer.pk}"') :]  # the last row
    assert old.number in item and f'name="into" value="{old.pk}"' in item


def test_intake_is_for_those_who_manage(world: World) -> None:
    for user in (world.user_s1, world.leader, world.nobody):
        assert login(user).get(reverse("cases:intake")).status_code == 403
    assert login(world.office).get(reverse("cases:intake")).status_code == 200


def test_intake_row_dispatch_returns_to_the_queue(world: World, categories: dict[str, Any]):
    case = report(world, categories)
    queue = reverse("cases:intake")
    r = login(world.office).post(
        reverse("cases:act", args=[case.pk, "dispatch"]),
        {
            "version": case.version,
            "category": categories["S0101"].pk,
            "lead": world.unit_c1.pk,
            "next": queue,
        },
    )
    assert r.status_code == 302 and r["Location"] == queue
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPATCHED
    assert [a.unit for a in case.assignments.all()] == [world.unit_c1]


def test_bulk_register_reports_each_refusal(world: World, categories: dict[str, Any]) -> None:
    ok = report(world, categories, at=days_ago(2))
    nocat = report(world, categories, code="", text="情况不明", at=days_ago(1))
    s2 = report(world, categories, point="p2", code="S0501")
    client = login(world.office)
    r = client.post(
        reverse("cases:intake_bulk"),
        {"ids": [ok.pk, nocat.pk, s2.pk], "do": "dispatch"},
        follow=True,
    )
    for case in (ok, nocat, s2):
        case.refresh_from_db()
    assert (ok.status, nocat.status, s2.status) == ("dispatched", "reported", "dispatched")
    assert [a.unit for a in s2.assignments.all()] == [world.unit_s2]
    body = r.content.decode()
    assert f"{nocat.number}: " in body
    assert "2 件案件已立案" in body or "2 cases registered" in body


def test_hotline_entry_masks_the_phone_and_lands_in_intake(
    world: World, categories: dict[str, Any]
) -> None:
    client = login(world.office)
    r = client.post(
        reverse("cases:create"),
        {
            "source": "hotline",
            "description": "景山市场门口占道经营",
            "street": world.s2.pk,
            "address": "景山前街 1 号",
            "reporter_name": "李女士",
            "reporter_phone": "139 1234 5678",
            "external_id": "12345-001",
        },
    )
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("cases:detail", args=[case.pk])
    assert (case.status, case.region, case.reporter_phone) == ("reported", world.s2, "13912345678")
    assert case.territorial_unit == world.unit_s2
    assert case.suggested_category == categories["S0501"]
    body = client.get(r["Location"]).content.decode()
    assert "139****5678" in body and "13912345678" not in body


def test_hotline_entry_without_a_place_keeps_the_input(world: World, categories: dict[str, Any]):
    r = login(world.office).post(
        reverse("cases:create"), {"source": "hotline", "description": "有人乱扔垃圾"}
    )
    assert r.status_code == 200 and Case.objects.count() == 0
    body = r.content.decode()
    assert "有人乱扔垃圾" in body
    assert "请在地图上选择位置或选择点位" in body or "Give a position on the map" in body


def test_resident_sees_own_reports_only(world: World, categories: dict[str, Any]) -> None:
    resident = UserFactory(username="resident1")
    grant(resident, Role.RESIDENT, region=world.c1)
    mine = report(world, categories, reporter=resident)
    other = report(world, categories, point="p2", code="S0501")
    body = login(resident).get(reverse("cases:list")).content.decode()
    assert mine.number in body and other.number not in body


def test_street_office_sees_and_registers_only_its_street(
    world: World, categories: dict[str, Any]
) -> None:
    clerk = UserFactory(username="office_s1")
    grant(clerk, Role.OFFICE, region=world.s1)
    mine = report(world, categories)
    theirs = report(world, categories, point="p2", code="S0501")
    client = login(clerk)
    body = client.get(reverse("cases:intake")).content.decode()
    assert f'id="case-{mine.pk}"' in body and f'id="case-{theirs.pk}"' not in body
    client.post(reverse("cases:intake_bulk"), {"ids": [mine.pk, theirs.pk], "do": "register"})
    assert Case.objects.get(pk=mine.pk).status == CaseStatus.REGISTERED
    assert Case.objects.get(pk=theirs.pk).status == CaseStatus.REPORTED
    assert client.get(reverse("cases:detail", args=[theirs.pk])).status_code == 404
    data = client.get(reverse("cases:map_data")).json()
    assert [r[1] for r in data["cases"]] == [mine.number]


def test_navigation_offers_intake_to_those_who_manage(world: World) -> None:
    body = login(world.office).get(reverse("cases:list")).content.decode()
    assert f'href="{reverse("cases:intake")}" class="nav-inbox"' in body
    assert 'aria-current="page">案件</a>' in body
    body = login(world.user_s1).get(reverse("cases:list")).content.decode()
    assert f'href="{reverse("cases:list")}" class="nav-case"' in body
    assert f'href="{reverse("cases:intake")}"' not in body
