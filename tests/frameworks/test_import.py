"""``chuangcheng framework import``: layout, fill-down, scores, methods, names, errors."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from chuangcheng.frameworks.enums import FrameworkStatus, NodeLevel
from chuangcheng.frameworks.interfaces.importer import build_plan
from chuangcheng.frameworks.models import Framework, Node
from chuangcheng.orgs.models import Unit
from chuangcheng.points.models import PointType
from tests.frameworks.helpers import GOOD_ROWS, MERGES, csv_bytes, xlsx_bytes

DEMO = Path(__file__).parents[2] / "src/chuangcheng/demo/data/framework-dongcheng-2026.csv"


def _tree(framework: Framework) -> list[tuple[str, str, str, str | None, list[str]]]:
    return [
        (n.number, n.level, n.text, None if n.score is None else str(n.score), n.methods)
        for n in framework.nodes.order_by("seq")
    ]


EXPECTED_TREE = [
    ("1", "project", "公共环境", None, []),
    ("1.1", "indicator", "市容环境", None, []),
    ("1.1.1", "content", "道路街巷整洁", None, []),
    ("1.1.1.1", "standard", "路面平整，无垃圾", "2.00", ["field"]),
    ("1.1.1.2", "standard", "无乱贴乱画", "1.50", ["field", "material"]),
    ("1.1.2", "content", "农贸市场环境", "3.00", []),
    ("1.1.2.1", "standard", "划行归市", None, ["field"]),
    ("1.1.2.2", "standard", "有消毒记录", None, ["field", "material"]),
    ("1.2", "indicator", "群众评价", None, []),
    ("1.2.1", "content", "满意度", None, []),
    ("1.2.1.1", "standard", "市民对市容环境的满意率", "2.00", ["survey"]),
    ("2", "project", "公共文明", None, []),
    ("2.1", "indicator", "交通文明", None, []),
    ("2.1.1", "content", "文明出行", None, []),
    ("2.1.1.1", "standard", "机动车礼让斑马线", "1.00", ["field"]),
]


def test_import_xlsx_with_merged_cells(world, write) -> None:  # type: ignore[no-untyped-def]
    path = write("东城测评体系.xlsx", xlsx_bytes(GOOD_ROWS, MERGES))
    call_command("framework", "import", path, "--code", "DC", "--name", "东城测评体系")
    framework = Framework.objects.get()
    assert (framework.code, framework.version, framework.status) == ("DC", 1, "draft")
    assert framework.name == "东城测评体系"
    assert _tree(framework) == EXPECTED_TREE
    assert [n.seq for n in framework.nodes.order_by("seq")] == list(range(1, 16))
    clause = Node.objects.get(framework=framework, number="1.1.2.2")
    assert clause.lead_unit == world.line_sj
    assert set(clause.partner_units.all()) == {world.line_cg, world.line_sj}
    assert list(clause.point_types.all()) == [world.market]
    two_types = Node.objects.get(framework=framework, number="1.1.1.2")
    assert set(two_types.point_types.all()) == {world.alley, world.market}
    assert Node.objects.get(framework=framework, number="2.1.1.1").lead_unit is None
    assert Node.objects.get(framework=framework, number="1.1.2").parent.number == "1.1"


def test_import_csv_code_from_file_name_and_gb18030(world, write) -> None:  # type: ignore[no-untyped-def]
    path = write("测评体系 2026.csv", csv_bytes(GOOD_ROWS, encoding="gb18030"))
    call_command("framework", "import", path)
    framework = Framework.objects.get()
    assert framework.code == "测评体系-2026"
    assert framework.name == "测评体系-2026"
    assert _tree(framework) == EXPECTED_TREE


def test_repeated_values_instead_of_blanks_mean_the_same_group(world) -> None:  # type: ignore[no-untyped-def]
    rows = [list(r) for r in GOOD_ROWS]
    rows[1][:3] = ["公共环境", "市容环境", "道路街巷整洁"]
    plan = build_plan("x.csv", csv_bytes(rows))
    assert plan.problems == []
    assert [n.number for n in plan.roots[0].walk()][:5] == [
        "1",
        "1.1",
        "1.1.1",
        "1.1.1.1",
        "1.1.1.2",
    ]


def test_each_import_is_a_new_version_and_activate_archives_the_previous(world, write) -> None:  # type: ignore[no-untyped-def]
    path = write("dc.csv", csv_bytes(GOOD_ROWS))
    call_command("framework", "import", path, "--code", "DC", "--activate")
    call_command("framework", "import", path, "--code", "DC")
    call_command("framework", "import", path, "--code", "DC", "--activate")
    statuses = list(Framework.objects.order_by("version").values_list("version", "status"))
    assert statuses == [(1, "archived"), (2, "draft"), (3, "active")]
    # The name defaults to the previous version's.
    assert set(Framework.objects.values_list("name", flat=True)) == {"DC"}


BAD_ROWS = [
    ["公共环境", "市容环境", "道路", "甲", "实地考察", "abc", "区城管委", None, "背街小巷"],
    [None, None, None, "乙", "实地考察、飞行检查", 1, "区城管委", None, "背街小巷"],
    [None, None, None, "丙", "实地考察", 1, "区不存在局", "区城管委", "背街小巷"],
    [None, None, None, "丁", "实地考察", 1, "区城管委", None, "火星基地"],
    [None, None, "内容二", "戊", "材料审核", 2, "区城管委", None, None],
    [None, None, None, "己", "材料审核", None, "区城管委", None, None],
    [None, None, None, "庚", "材料审核", 1, "区城管委", None, None],
]


def test_bad_file_names_every_bad_cell_and_writes_nothing(world, write) -> None:  # type: ignore[no-untyped-def]
    path = write("bad.csv", csv_bytes(BAD_ROWS))
    with translation.override("zh-hans"), pytest.raises(CommandError) as info:
        call_command("framework", "import", path, "--code", "DC")
    lines = str(info.value).splitlines()
    assert lines[0] == "bad.csv：5 个问题，未导入任何内容。"
    assert [line.split("：")[0] for line in lines[1:]] == [
        "行 2，列 F（分值）",
        "行 3，列 E（测评方法）",
        "行 4，列 G（牵头单位）",
        "行 5，列 I（点位类型）",
        "行 7，列 F（分值）",
    ]
    assert "“abc”" in lines[1]
    assert "“飞行检查”" in lines[2]
    assert "“区不存在局”" in lines[3]
    assert "“火星基地”" in lines[4]
    assert "6、8" in lines[5] and "7" in lines[5]
    assert Framework.objects.count() == 0
    assert Node.objects.count() == 0
    assert not Unit.objects.filter(name="区不存在局").exists()


def test_wrong_header_names_each_wrong_column(world, write) -> None:  # type: ignore[no-untyped-def]
    header = [
        "测评项目",
        "指标",
        "内容",
        "测评标准",
        "方法",
        "分值",
        "牵头单位",
        "配合单位",
        "点位类型",
    ]
    path = write("h.xlsx", xlsx_bytes(GOOD_ROWS, header=header))
    with translation.override("zh-hans"), pytest.raises(CommandError) as info:
        call_command("framework", "import", path)
    lines = str(info.value).splitlines()[1:]
    assert [line.split("：")[0] for line in lines] == [
        "行 1，列 C（测评内容）",
        "行 1，列 E（测评方法）",
    ]
    assert Framework.objects.count() == 0


def test_score_on_a_later_row_only_is_an_error(world) -> None:  # type: ignore[no-untyped-def]
    rows = [list(r) for r in GOOD_ROWS]
    rows[2][5], rows[3][5] = None, 3  # first row of 农贸市场环境 blank, second scored
    plan = build_plan("x.csv", csv_bytes(rows))
    assert [(p.row, p.letter) for p in plan.problems] == [(4, "F")]


def test_new_group_with_blank_lower_cell_is_an_error(world) -> None:  # type: ignore[no-untyped-def]
    rows = [list(r) for r in GOOD_ROWS]
    rows[5][1] = None  # a new project without an indicator
    plan = build_plan("x.csv", csv_bytes(rows))
    assert [(p.row, p.letter) for p in plan.problems] == [(7, "B")]


def test_create_missing_creates_units_and_point_types(world, write, capsys) -> None:  # type: ignore[no-untyped-def]
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][6] = "区新设局"
    rows[0][8] = "背街小巷、地下通道"
    rows[1][7] = "区新设局"
    path = write("m.csv", csv_bytes(rows))
    call_command("framework", "import", path, "--code", "DC", "--create-missing")
    out = capsys.readouterr().out
    unit = Unit.objects.get(name="区新设局")
    assert unit.kind == "line"
    point_type = PointType.objects.get(name="地下通道")
    assert f"区新设局 ({unit.code})" in out
    assert f"地下通道 ({point_type.code})" in out
    clause = Node.objects.get(number="1.1.1.1")
    assert clause.lead_unit == unit
    assert set(clause.point_types.all()) == {world.alley, point_type}
    assert Node.objects.get(number="1.1.1.2").partner_units.get() == unit


def test_demo_framework_imports_cleanly(catalog, write) -> None:  # type: ignore[no-untyped-def]
    plan = build_plan(DEMO.name, DEMO.read_bytes())
    assert plan.problems == []
    assert plan.missing_units == [] and plan.missing_point_types == []
    assert DEMO.read_bytes().startswith(b"\xef\xbb\xbf")
    call_command("framework", "import", str(DEMO), "--code", "DC-WMCQ", "--activate")
    framework = Framework.objects.get()
    assert framework.status == FrameworkStatus.ACTIVE
    nodes = framework.nodes
    assert nodes.filter(level=NodeLevel.STANDARD).count() == 82
    assert nodes.filter(level=NodeLevel.PROJECT).count() == 7
    total = sum(nodes.exclude(score=None).values_list("score", flat=True), Decimal(0))
    assert total == Decimal(100)
    used_types = PointType.objects.filter(nodes__framework=framework).distinct().count()
    assert used_types >= 20
    assert nodes.filter(level=NodeLevel.CONTENT, score__isnull=False).exists()
    assert any(len(m) > 1 for m in nodes.values_list("methods", flat=True))
