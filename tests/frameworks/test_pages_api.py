"""Framework pages and API: who may read, who may change, nothing leaks, constant queries."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chuangcheng.accounts.models import ApiToken
from chuangcheng.core.models import AuditEntry
from chuangcheng.frameworks import domain
from chuangcheng.frameworks.interfaces.importer import build_plan
from chuangcheng.frameworks.models import Framework, Node
from tests.conftest import login
from tests.frameworks.helpers import GOOD_ROWS, MERGES, csv_bytes, xlsx_bytes


def _import(rows: list[list[object]] = GOOD_ROWS, code: str = "DC") -> Framework:
    plan = build_plan("dc.csv", csv_bytes(rows))
    assert plan.problems == []
    return domain.import_framework(
        actor=None,
        roots=plan.roots,
        unit_ids=plan.unit_ids,
        point_type_ids=plan.point_type_ids,
        code=code,
        name="东城测评体系",
    ).framework


def test_office_imports_through_the_page(world) -> None:  # type: ignore[no-untyped-def]
    client = login(world.office)
    assert client.get(reverse("frameworks:import")).status_code == 200
    upload = SimpleUploadedFile("东城.xlsx", xlsx_bytes(GOOD_ROWS, MERGES))
    response = client.post(
        reverse("frameworks:import"), {"file": upload, "code": "DC", "activate": "on"}
    )
    framework = Framework.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("frameworks:detail", args=[framework.pk])
    assert (framework.status, framework.nodes.count()) == ("active", 15)
    assert AuditEntry.objects.filter(action="import", actor=world.office).count() == 1


def test_import_page_lists_every_problem_and_writes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][4] = "飞行检查"
    rows[1][6] = "区不存在局"
    upload = SimpleUploadedFile("bad.csv", csv_bytes(rows))
    response = login(world.office).post(reverse("frameworks:import"), {"file": upload})
    assert response.status_code == 422
    assert [(p.row, p.letter) for p in response.context["problems"]] == [(2, "E"), (3, "G")]
    body = response.content.decode()
    assert "E（测评方法）" in body and "G（牵头单位）" in body and "区不存在局" in body
    assert Framework.objects.count() == 0


def test_import_with_create_missing_reports_what_was_created(world) -> None:  # type: ignore[no-untyped-def]
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][8] = "地下通道"
    upload = SimpleUploadedFile("m.csv", csv_bytes(rows))
    client = login(world.office)
    response = client.post(
        reverse("frameworks:import"), {"file": upload, "create_missing": "on"}, follow=True
    )
    assert "地下通道" in [str(m) for m in response.context["messages"]][-1]


def test_unit_user_reads_but_cannot_change(world) -> None:  # type: ignore[no-untyped-def]
    framework = _import()
    client = login(world.user_s1)
    assert client.get(reverse("frameworks:import")).status_code == 404
    listing = client.get(reverse("frameworks:list"))
    assert listing.status_code == 200
    assert "东城测评体系" in listing.content.decode()
    assert reverse("frameworks:import") not in listing.content.decode()
    detail = client.get(reverse("frameworks:detail", args=[framework.pk]))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "有消毒记录" in body and "/edit/" not in body and "/activate/" not in body
    node = Node.objects.get(number="1.1.1.1")
    for name, args in [
        ("activate", [framework.pk]),
        ("archive", [framework.pk]),
        ("new_version", [framework.pk]),
        ("node_edit", [framework.pk, node.pk]),
    ]:
        assert client.post(reverse(f"frameworks:{name}", args=args)).status_code == 404
    assert Framework.objects.get().status == "draft"


def test_nobody_without_a_grant_gets_404(world) -> None:  # type: ignore[no-untyped-def]
    framework = _import()
    client = login(world.nobody)
    assert client.get(reverse("frameworks:list")).status_code == 404
    assert client.get(reverse("frameworks:detail", args=[framework.pk])).status_code == 404
    url = reverse("frameworks:export", args=[framework.pk]) + "?format=csv"
    assert client.get(url).status_code == 404


def test_detail_filters_narrow_the_tree(world) -> None:  # type: ignore[no-untyped-def]
    framework = _import()
    client = login(world.office)
    url = reverse("frameworks:detail", args=[framework.pk])
    response = client.get(url)
    assert (response.context["n_clauses"], response.context["total"]) == (6, 9.5)
    assert response.context["by_method"] == [
        ("material", "材料审核", 2),
        ("field", "实地考察", 5),
        ("survey", "问卷调查", 1),
    ]
    for query, expected in [
        ({"method": "survey"}, ["市民对市容环境的满意率"]),
        ({"point_type": world.market.pk}, ["无乱贴乱画", "划行归市", "有消毒记录"]),
        ({"unit": world.line_sj.pk}, ["路面平整，无垃圾", "划行归市", "有消毒记录"]),
        ({"q": "交通"}, ["机动车礼让斑马线"]),
        ({"method": "online"}, []),
    ]:
        body = client.get(url, query).content.decode()
        shown = [
            t
            for t in [
                "路面平整，无垃圾",
                "无乱贴乱画",
                "划行归市",
                "有消毒记录",
                "市民对市容环境的满意率",
                "机动车礼让斑马线",
            ]
            if t in body
        ]
        assert shown == expected, query


def test_office_edits_a_draft_node_and_not_an_active_one(world) -> None:  # type: ignore[no-untyped-def]
    framework = _import()
    node = Node.objects.get(framework=framework, number="1.1.1.1")
    client = login(world.office)
    url = reverse("frameworks:node_edit", args=[framework.pk, node.pk])
    assert client.get(url).status_code == 200
    data = {"text": "路面平整", "score": "2.5", "methods": ["field"], "lead_unit": world.line_cg.pk,
            "partner_units": [], "point_types": [world.alley.pk]}  # fmt: skip
    assert client.post(url, data).status_code == 302
    node.refresh_from_db()
    assert (node.text, str(node.score)) == ("路面平整", "2.50")
    client.post(reverse("frameworks:activate", args=[framework.pk]))
    response = client.post(url, {**data, "text": "改不了"}, follow=True)
    assert "只能编辑草稿版本" in response.content.decode()
    node.refresh_from_db()
    assert node.text == "路面平整"


def test_status_actions_from_the_page(world) -> None:  # type: ignore[no-untyped-def]
    framework = _import()
    client = login(world.office)
    client.post(reverse("frameworks:activate", args=[framework.pk]))
    response = client.post(reverse("frameworks:new_version", args=[framework.pk]))
    copy = Framework.objects.get(version=2)
    assert response["Location"] == reverse("frameworks:detail", args=[copy.pk])
    client.post(reverse("frameworks:activate", args=[copy.pk]))
    assert dict(Framework.objects.values_list("version", "status")) == {1: "archived", 2: "active"}
    client.post(reverse("frameworks:archive", args=[copy.pk]))
    assert Framework.objects.get(version=2).status == "archived"
    assert client.get(reverse("frameworks:activate", args=[copy.pk])).status_code == 405


def test_export_download_is_audited(world) -> None:  # type: ignore[no-untyped-def]
    framework = _import()
    client = login(world.user_line)
    for fmt, ctype in [("xlsx", "spreadsheetml"), ("csv", "text/csv"), ("json", "json")]:
        response = client.get(reverse("frameworks:export", args=[framework.pk]), {"format": fmt})
        assert response.status_code == 200 and ctype in response["Content-Type"]
        assert f"DC-v1.{fmt}" in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action="export", actor=world.user_line).count() == 3
    bad = client.get(reverse("frameworks:export", args=[framework.pk]), {"format": "pdf"})
    assert bad.status_code == 404


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_and_detail_query_counts_are_constant(world) -> None:  # type: ignore[no-untyped-def]
    small = _import(GOOD_ROWS[:1])
    _import(GOOD_ROWS, code="B")
    client = login(world.office)
    list_small = _count(client, reverse("frameworks:list"))
    detail_small = _count(client, reverse("frameworks:detail", args=[small.pk]))
    big_rows = [list(r) for r in GOOD_ROWS] + [
        [
            None,
            None,
            None,
            f"第{i}条",
            "实地考察、问卷调查",
            1,
            "区城管委",
            "区市场监管局",
            "背街小巷、农贸市场",
        ]
        for i in range(15)
    ]
    big = _import(big_rows, code="C")
    for i in range(18):
        _import(GOOD_ROWS[:2], code=f"X{i}")
    client = login(world.office)
    assert _count(client, reverse("frameworks:list")) == list_small
    assert _count(client, reverse("frameworks:detail", args=[big.pk])) == detail_small


def test_api_list_detail_and_clauses(world, client) -> None:  # type: ignore[no-untyped-def]
    framework = _import()
    assert client.get("/api/v1/frameworks").status_code == 401
    _token, raw = ApiToken.issue(world.user_s1, "t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    listing = client.get("/api/v1/frameworks", **auth).json()
    assert [(f["code"], f["standards"], f["projects"], f["total_score"]) for f in listing] == [
        ("DC", 6, 2, "9.50")
    ]
    detail = client.get(f"/api/v1/frameworks/{framework.pk}", **auth).json()
    assert [n["number"] for n in detail["nodes"]] == ["1", "2"]
    content = detail["nodes"][0]["children"][0]["children"][1]
    assert (content["number"], content["score"], len(content["children"])) == ("1.1.2", "3.00", 2)
    assert detail["nodes"][0]["subtotal"] == "8.50"
    clauses = client.get(
        f"/api/v1/frameworks/{framework.pk}/clauses", {"point_type": "农贸市场"}, **auth
    ).json()
    assert [(c["number"], c["content"], c["content_score"]) for c in clauses] == [
        ("1.1.1.2", "道路街巷整洁", None),
        ("1.1.2.1", "农贸市场环境", "3.00"),
        ("1.1.2.2", "农贸市场环境", "3.00"),
    ]
    by_unit = client.get(
        f"/api/v1/frameworks/{framework.pk}/clauses",
        {"unit": str(world.line_cg.pk), "method": "survey"},
        **auth,
    ).json()
    assert [c["text"] for c in by_unit] == ["市民对市容环境的满意率"]


def test_api_hides_frameworks_from_users_without_a_grant(world, client) -> None:  # type: ignore[no-untyped-def]
    framework = _import()
    _token, raw = ApiToken.issue(world.nobody, "t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/frameworks", **auth).json() == []
    assert client.get(f"/api/v1/frameworks/{framework.pk}", **auth).status_code == 404
    assert client.get(f"/api/v1/frameworks/{framework.pk}/clauses", **auth).status_code == 404
    assert client.get(f"/api/v1/frameworks/{framework.pk}").status_code == 401
