"""Export round trips, versions, activation and node editing (domain functions, audited)."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from openpyxl import load_workbook

from chuangcheng.core.models import AuditEntry
from chuangcheng.frameworks import domain
from chuangcheng.frameworks.interfaces import exporter
from chuangcheng.frameworks.interfaces.importer import build_plan
from chuangcheng.frameworks.models import Framework, Node
from tests.frameworks.helpers import GOOD_ROWS, MERGES, csv_bytes, xlsx_bytes


def _import(data: bytes, name: str = "dc.xlsx", code: str = "DC") -> Framework:
    plan = build_plan(name, data)
    assert plan.problems == []
    return domain.import_framework(
        actor=None,
        roots=plan.roots,
        unit_ids=plan.unit_ids,
        point_type_ids=plan.point_type_ids,
        code=code,
        name="东城",
    ).framework


def _signature(framework: Framework) -> list[tuple[object, ...]]:
    return [
        (
            n.number,
            n.level,
            n.text,
            n.score,
            tuple(n.methods),
            n.lead_unit_id,
            tuple(sorted(u.pk for u in n.partner_units.all())),
            tuple(sorted(t.pk for t in n.point_types.all())),
        )
        for n in framework.nodes.order_by("seq")
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_gives_the_same_tree(world, fmt) -> None:  # type: ignore[no-untyped-def]
    first = _import(xlsx_bytes(GOOD_ROWS, MERGES))
    second = _import(exporter.export(first, fmt), name=f"again.{fmt}")
    assert second.version == 2
    assert _signature(second) == _signature(first)


def test_csv_export_rows(world) -> None:  # type: ignore[no-untyped-def]
    framework = _import(xlsx_bytes(GOOD_ROWS, MERGES))
    text = exporter.export_csv(framework).decode("utf-8")
    assert text.startswith(
        "\ufeff测评项目,指标,测评内容,测评标准,测评方法,分值,牵头单位,配合单位,点位类型\r\n"
    )
    lines = text.lstrip("\ufeff").splitlines()
    assert len(lines) == 7
    assert lines[3] == "公共环境,市容环境,农贸市场环境,划行归市,实地考察,3,区市场监管局,,农贸市场"
    assert lines[4] == (
        "公共环境,市容环境,农贸市场环境,有消毒记录,实地考察、材料审核,,区市场监管局,"
        "区城管委、区市场监管局,农贸市场"
    )


def test_xlsx_export_merges_groups_and_content_scores(world) -> None:  # type: ignore[no-untyped-def]
    framework = _import(xlsx_bytes(GOOD_ROWS, MERGES))
    sheet = load_workbook(io.BytesIO(exporter.export_xlsx(framework))).active
    assert sorted(str(r) for r in sheet.merged_cells.ranges) == sorted(
        ["A2:A6", "B2:B5", "C2:C3", "C4:C5", "F4:F5"]
    )
    assert sheet["A1"].font.bold is True
    assert sheet["F4"].value == 3
    assert sheet["F3"].value == 1.5
    assert sheet["D2"].alignment.wrap_text is True


def test_json_export_is_the_tree(world) -> None:  # type: ignore[no-untyped-def]
    framework = _import(xlsx_bytes(GOOD_ROWS, MERGES))
    data = json.loads(exporter.export_json(framework))
    assert (data["code"], data["version"], data["status"]) == ("DC", 1, "draft")
    assert [p["text"] for p in data["nodes"]] == ["公共环境", "公共文明"]
    content = data["nodes"][0]["children"][0]["children"][1]
    assert (content["number"], content["score"]) == ("1.1.2", "3")
    assert content["children"][1] == {
        "number": "1.1.2.2",
        "level": "standard",
        "text": "有消毒记录",
        "score": None,
        "methods": ["field", "material"],
        "lead_unit": "区市场监管局",
        "partner_units": ["区城管委", "区市场监管局"],
        "point_types": ["农贸市场"],
    }


def test_export_command_defaults_to_active_version(world, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    first = _import(csv_bytes(GOOD_ROWS), name="a.csv")
    domain.activate_framework(actor=None, framework=first)
    _import(csv_bytes(GOOD_ROWS[:1]), name="b.csv")
    call_command("framework", "export", "DC", "--format", "json")
    assert json.loads(capsys.readouterr().out)["version"] == 1
    call_command("framework", "export", "DC", "--version", "2", "--format", "csv")
    assert len(capsys.readouterr().out.splitlines()) == 2
    out = tmp_path / "x.xlsx"
    call_command("framework", "export", "DC", "--format", "xlsx", "--output", str(out))
    assert load_workbook(out).active.max_row == 7
    assert AuditEntry.objects.filter(action="export").count() == 3


def test_one_active_version_per_code_and_audit(world) -> None:  # type: ignore[no-untyped-def]
    v1 = _import(csv_bytes(GOOD_ROWS), name="a.csv")
    v2 = _import(csv_bytes(GOOD_ROWS), name="a.csv")
    other = _import(csv_bytes(GOOD_ROWS), name="a.csv", code="OTHER")
    domain.activate_framework(actor=world.office, framework=v1)
    domain.activate_framework(actor=world.office, framework=other)
    domain.activate_framework(actor=world.office, framework=v2)
    status = dict(Framework.objects.values_list("pk", "status"))
    assert status == {v1.pk: "archived", v2.pk: "active", other.pk: "active"}
    entries = AuditEntry.objects.filter(object_type="frameworks.framework", action="update")
    assert entries.count() == 4
    assert entries.filter(object_id=str(v1.pk), after={"status": "archived"}).count() == 1
    domain.archive_framework(actor=world.office, framework=v2)
    assert not Framework.objects.filter(code="DC", status="active").exists()


def test_only_the_office_changes_frameworks(world) -> None:  # type: ignore[no-untyped-def]
    v1 = _import(csv_bytes(GOOD_ROWS), name="a.csv")
    for user in (world.user_s1, world.leader, world.inspector, world.nobody):
        with pytest.raises(PermissionDenied):
            domain.activate_framework(actor=user, framework=v1)
        with pytest.raises(PermissionDenied):
            domain.new_version(actor=user, framework=v1)
    assert Framework.objects.get().status == "draft"


def test_new_version_copies_the_tree(world) -> None:  # type: ignore[no-untyped-def]
    v1 = _import(xlsx_bytes(GOOD_ROWS, MERGES))
    domain.activate_framework(actor=world.office, framework=v1)
    v2 = domain.new_version(actor=world.office, framework=v1)
    assert (v2.version, v2.status, v2.code) == (2, "draft", "DC")
    assert _signature(v2) == _signature(v1)
    assert Node.objects.filter(framework=v1).count() == 15
    assert AuditEntry.objects.filter(object_id=str(v2.pk), action="create").count() == 1


def test_update_node_only_in_a_draft(world) -> None:  # type: ignore[no-untyped-def]
    v1 = _import(xlsx_bytes(GOOD_ROWS, MERGES))
    node = Node.objects.get(framework=v1, number="1.1.1.1")
    domain.update_node(
        actor=world.office,
        node=node,
        text="路面平整",
        score=Decimal("2.5"),
        methods=["material", "bogus"],
        lead_unit=world.line_sj,
        partner_units=[],
        point_types=[world.market],
    )
    node.refresh_from_db()
    assert (node.text, node.score, node.methods, node.lead_unit) == (
        "路面平整",
        Decimal("2.50"),
        ["material"],
        world.line_sj,
    )
    entry = AuditEntry.objects.get(object_type="frameworks.node")
    assert entry.before["partner_units"] == [world.line_sj.pk]
    assert entry.after["partner_units"] == []
    content = Node.objects.get(framework=v1, number="1.1.1")
    with pytest.raises(domain.FrameworkError):
        domain.update_node(
            actor=world.office, node=content, text="x", score=Decimal(1), methods=[],
            lead_unit=None, partner_units=[], point_types=[],
        )  # fmt: skip
    domain.activate_framework(actor=world.office, framework=v1)
    node.framework.refresh_from_db()
    with pytest.raises(domain.FrameworkError):
        domain.update_node(
            actor=world.office, node=node, text="y", score=None, methods=[],
            lead_unit=None, partner_units=[], point_types=[],
        )  # fmt: skip
    node.refresh_from_db()
    assert node.text == "路面平整"
