"""Importing volunteers from the Chinese template: every bad cell named by row and column,
nothing written when any row is bad, a fixed number of queries, one audit entry per volunteer."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chuangcheng.core.models import AuditEntry
from chuangcheng.practice.domain.network_volunteers import id_hash
from chuangcheng.practice.domain.volunteer_import import HEADERS, run_import
from chuangcheng.practice.interfaces.volunteer_template import template
from chuangcheng.practice.models import Volunteer
from tests.conftest import login
from tests.practice.conftest import PracticeWorld

ID_A = "110101199003076632"
ID_B = "110101198506120020"
ID_X = "11010119900307109X"


def workbook(rows: list[list[Any]], headers: tuple[str, ...] = HEADERS) -> bytes:
    wb = openpyxl.Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def row(name: str, ident: str, phone: str, community: str = "多福巷社区", **kw: str) -> list[str]:
    return [
        name,
        ident,
        phone,
        community,
        kw.get("skills", ""),
        kw.get("slots", ""),
        kw.get("note", ""),
        kw.get("teams", ""),
        kw.get("day", ""),
    ]


def test_a_good_file_registers_everyone(pw: PracticeWorld) -> None:
    data = workbook(
        [
            row(
                "张一",
                ID_A,
                "13800000001",
                skills="助餐、助洁",
                slots="周末上午、工作日晚上",
                teams="多福巷小队",
                day="2026-03-01",
            ),
            row(
                "李二",
                ID_X.lower(),
                "13800000002",
                community="景山街道/吉祥社区",
                skills="escort",
                slots="weekday_am",
                note="周三不便",
            ),
        ]
    )
    report = run_import("v.xlsx", data, actor=pw.world.office)
    assert (report.problems, report.created) == ([], 2)
    zhang = Volunteer.objects.get(id_hash=id_hash(ID_A))
    assert (zhang.region, zhang.phone, str(zhang.registered_at)) == (
        pw.world.c1,
        "13800000001",
        "2026-03-01",
    )
    assert zhang.availability == ["weekday_eve", "weekend_am"]
    assert sorted(c.code for c in zhang.skills.all()) == ["clean", "meal"]
    assert [t.name for t in zhang.teams.all()] == ["多福巷小队"]
    li = Volunteer.objects.get(id_hash=id_hash(ID_X))
    assert (li.region, li.availability, li.availability_note) == (
        pw.world.c2,
        ["weekday_am"],
        "周三不便",
    )
    entries = AuditEntry.objects.filter(object_type="practice.volunteer", action="import")
    assert entries.count() == 2
    assert all(e.after["id_number"] == "<set>" and e.note == "v.xlsx" for e in entries)


def test_every_bad_cell_is_named_and_nothing_is_written(pw: PracticeWorld) -> None:
    data = workbook(
        [
            row("张一", ID_A, "13800000001"),
            row("", "110101199003076633", "1380000", community="无此社区"),
            row(
                "王三",
                ID_A,
                "13800000003",
                skills="理发",
                slots="午夜",
                teams="无此队",
                day="2026/13/01",
            ),
            row(
                "赵四",
                "110101196605050022",
                "13800000004",
                community="吉祥社区",
                teams="多福巷小队",
            ),
            row("钱五", ID_B, "13800000005"),
        ]
    )
    Volunteer.objects.filter(pk=pw.vol1.pk).update(id_hash=id_hash(ID_B))
    report = run_import("v.xlsx", data, actor=pw.world.office)
    assert report.created == 0
    assert [(p.row, p.column, p.header, p.message) for p in report.problems] == [
        (3, "A", "姓名", "姓名必填。"),
        (3, "B", "身份证号", "身份证号校验位不正确，请核对号码。"),
        (3, "C", "手机号", "请输入以 1 开头的 11 位手机号码。"),
        (3, "D", "社区", "未知社区“无此社区”，或不在您的管理范围内。"),
        (4, "B", "身份证号", "第 2 行已有相同的身份证号。"),
        (4, "E", "服务技能", "未知的服务技能“理发”。"),
        (4, "F", "可服务时段", "未知的服务时段“午夜”。"),
        (4, "H", "所属队伍", "没有服务本社区的队伍“无此队”。"),
        (4, "I", "注册日期", "日期格式为 2026-03-01。"),
        (5, "H", "所属队伍", "没有服务本社区的队伍“多福巷小队”。"),
        (6, "B", "身份证号", "该身份证号已注册为志愿者。"),
    ]
    assert Volunteer.objects.count() == 3  # the fixture's only


def test_a_missing_column_and_a_street_office_outside_its_street(pw: PracticeWorld) -> None:
    report = run_import("v.xlsx", workbook([["张一"]], headers=("姓名",)), actor=pw.world.office)
    assert [(p.header, p.message) for p in report.problems] == [
        ("身份证号", "表头行缺少此列。"),
        ("手机号", "表头行缺少此列。"),
        ("社区", "表头行缺少此列。"),
    ]
    report = run_import(
        "v.xlsx",
        workbook([row("张一", ID_A, "13800000001", community="吉祥社区")]),
        actor=pw.world.user_s1,
    )
    assert [p.message for p in report.problems] == ["未知社区“吉祥社区”，或不在您的管理范围内。"]
    report = run_import("v.pdf", b"x", actor=pw.world.office)
    assert report.problems[0].message == "只能读取 .xlsx 和 .csv 文件。"


def test_a_csv_file_and_a_dry_run(pw: PracticeWorld) -> None:
    text = ",".join(HEADERS) + "\n" + f"张一,{ID_A},13800000001,多福巷社区,,,,,\n"
    report = run_import("v.csv", text.encode("utf-8-sig"), actor=pw.world.office, dry_run=True)
    assert (report.problems, report.rows, report.created) == ([], 1, 0)
    assert not Volunteer.objects.filter(name="张一").exists()


def test_the_import_takes_a_fixed_number_of_queries(pw: PracticeWorld) -> None:
    def ident(n: int) -> str:
        weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        body = f"11010119800101{n:03d}"
        return (
            body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
        )

    def measure(start: int, n: int) -> int:
        rows = [
            row(f"批量{i}", ident(i), f"138{i:08d}", skills="助餐", teams="多福巷小队")
            for i in range(start, start + n)
        ]
        with CaptureQueriesContext(connection) as ctx:
            report = run_import("v.xlsx", workbook(rows), actor=pw.world.office)
        assert (report.problems, report.created) == ([], n)
        return len(ctx.captured_queries)

    from chuangcheng.accounts.scope import scope_of

    scope_of(pw.world.office)  # the user's grants are read once per request, not per row
    assert measure(0, 2) == measure(100, 40)


def test_the_template_has_the_headers_drop_downs_and_text_columns(pw: PracticeWorld) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(template(pw.world.user_s1)))
    assert wb.sheetnames == ["志愿者", "选项", "填写说明"]
    sheet = wb["志愿者"]
    assert [c.value for c in sheet[1]] == list(HEADERS)
    assert sheet["B2"].number_format == "@" and sheet["C300"].number_format == "@"
    assert [c.value for c in wb["选项"]["A"] if c.value] == [
        "社区",
        "多福巷社区",
    ]  # the unit's communities only
    assert wb["选项"]["B2"].value == "工作日上午"


def test_the_import_page(pw: PracticeWorld) -> None:
    client = login(pw.world.office)
    url = reverse("practice:volunteer_import")
    bad = workbook([row("张一", "110101199003076633", "13800000001")])
    r = client.post(url, {"file": _upload("bad.xlsx", bad)})
    assert r.status_code == 200
    html = r.content.decode()
    assert "1 个问题，未写入任何数据" in html and "身份证号校验位不正确" in html
    good = workbook([row("张一", ID_A, "13800000001")])
    r = client.post(url, {"file": _upload("good.xlsx", good)})
    assert (r.status_code, r["Location"]) == (302, reverse("practice:volunteer_list"))
    r = client.get(reverse("practice:volunteer_import_template"))
    assert r["Content-Disposition"] == 'attachment; filename="volunteers-template.xlsx"'
    assert login(pw.world.leader).get(url).status_code == 403


def _upload(name: str, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)
