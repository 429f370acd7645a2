"""The import pages offer blank templates whose drop-downs list names the user may use."""

import io

import openpyxl

from chuangcheng.core.tabular import read_rows
from tests.conftest import login


def _sheets(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def test_points_template_lists_only_visible_names(world) -> None:
    response = login(world.office).get("/points/import/template.xlsx")
    assert response.status_code == 200
    rows = read_rows("t.xlsx", response.content)
    assert rows[0][1] == [
        "名称",
        "类型",
        "地址",
        "经度",
        "纬度",
        "街道",
        "属地单位",
        "行业单位",
        "编码",
    ]
    options = _sheets(response.content)["选项"]
    streets = [c.value for c in options["B"][1:] if c.value]
    assert streets == ["东华门街道", "景山街道"]
    validations = _sheets(response.content).worksheets[0].data_validations.dataValidation
    assert {str(v.sqref) for v in validations} == {"B2:B501", "F2:F501", "G2:G501", "H2:H501"}


def test_points_template_refused_to_units(world) -> None:
    assert login(world.user_s1).get("/points/import/template.xlsx").status_code == 403


def test_framework_template_has_the_import_columns(world) -> None:
    response = login(world.office).get("/frameworks/import/template.xlsx")
    assert response.status_code == 200
    rows = read_rows("t.xlsx", response.content)
    assert rows[0][1][:4] == ["测评项目", "指标", "测评内容", "测评标准"]
    assert len(rows) == 4
    assert login(world.user_s1).get("/frameworks/import/template.xlsx").status_code == 404
