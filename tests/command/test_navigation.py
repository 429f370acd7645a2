"""The menu: grouped into sections, headings only for long menus, only what the grants open."""

from tests.conftest import login


def _groups(response) -> list[tuple[str, list[str]]]:
    return [
        (str(g["label"]), [str(i["label"]) for i in g["items"]])
        for g in response.context["nav_groups"]
    ]


def test_office_menu_is_grouped_in_section_order_with_headings(world) -> None:
    groups = _groups(login(world.office).get("/points/"))
    assert [label for label, _ in groups] == [
        "指挥",
        "实地考察",
        "案件",
        "工作评价",
        "新时代文明实践",
        "基础数据",
        "系统管理",
    ]
    cases = dict(groups)["案件"]
    assert cases[:2] == ["案件", "受理"]
    assert "用户与授权" in dict(groups)["系统管理"]


def test_short_menu_has_no_headings_and_hides_sections_without_items(world) -> None:
    from chuangcheng.command.navigation import _grouped

    assert login(world.nobody).get("/").context["nav_groups"] == []
    items = [
        {"label": "案件", "group": "cases"},
        {"label": "总览", "group": "command"},
        {"label": "随手拍", "group": "cases"},
    ]
    assert [(g["code"], g["label"], [i["label"] for i in g["items"]]) for g in _grouped(items)] == [
        ("command", "", ["总览"]),
        ("cases", "", ["案件", "随手拍"]),
    ]
    unit_groups = _groups(login(world.user_s1).get("/points/"))
    assert "系统管理" not in [label for label, _ in unit_groups]
