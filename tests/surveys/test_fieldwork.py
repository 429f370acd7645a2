"""The fieldwork plan: filling the quota grid from margins (exact), saving a grid during
fieldwork, the margins and their import."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from chuangcheng.surveys.domain import fieldwork
from chuangcheng.surveys.domain.fieldwork import CellKey, Dims
from chuangcheng.surveys.domain.margins_import import import_margins, parse_margins
from chuangcheng.surveys.models import Margin, QuotaCell, Response
from tests.surveys.conftest import SurveyWorld
from tests.surveys.fieldwork_helpers import respond

BANDS = {"18-29": 200, "30-44": 300, "45-59": 300, "60-65": 200}


def _margins(sw: SurveyWorld) -> dict[tuple[str, str], int]:
    found = {("street", sw.world.s1.code): 3000, ("street", sw.world.s2.code): 1000}
    found |= {("age_band", b): n for b, n in BANDS.items()}
    return found | {("sex", "m"): 500, ("sex", "f"): 500}


def test_fill_from_margins_shares_the_target_by_largest_remainder(sw: SurveyWorld) -> None:
    """100 × street share (3/4, 1/4) × band share (.2 .3 .3 .2) × sex share (½ ½):
    东华门 7.5 11.25 11.25 7.5 per sex, 景山 2.5 3.75 3.75 2.5. The floors add up to 92;
    the 8 left go to the four .75 remainders, then to the first four .5 ones (东华门's)."""
    streets = fieldwork.streets_of(sw.survey)
    keys = fieldwork.grid_keys(sw.survey, streets, Dims())
    filled = fieldwork.fill_from_margins(
        sw.survey,
        keys=keys,
        dims=Dims(),
        margins=_margins(sw),
        total=100,
        street_codes={s.pk: s.code for s in streets},
    )
    s1, s2 = sw.world.s1.pk, sw.world.s2.pk
    assert [filled[k] for k in keys if k.street_id == s1] == [8, 8, 11, 11, 11, 11, 8, 8]
    assert [filled[k] for k in keys if k.street_id == s2] == [2, 2, 4, 4, 4, 4, 2, 2]
    assert sum(filled.values()) == 100
    assert keys[0] == CellKey(s1, "18-29", "m", "")


def test_fill_by_street_only_ignores_the_other_margins(sw: SurveyWorld) -> None:
    streets = fieldwork.streets_of(sw.survey)
    dims = Dims(band=False, sex=False)
    keys = fieldwork.grid_keys(sw.survey, streets, dims)
    filled = fieldwork.fill_from_margins(
        sw.survey,
        keys=keys,
        dims=dims,
        margins={("street", sw.world.s1.code): 2, ("street", sw.world.s2.code): 1},
        total=10,
        street_codes={s.pk: s.code for s in streets},
    )
    # 6.67 and 3.33: the one left goes to the larger remainder.
    assert list(filled.values()) == [7, 3]


def test_fill_names_the_missing_margins(sw: SurveyWorld) -> None:
    streets = fieldwork.streets_of(sw.survey)
    margins = {("street", sw.world.s1.code): 2, ("street", sw.world.s2.code): 1}
    with pytest.raises(ValidationError) as caught:
        fieldwork.fill_from_margins(
            sw.survey,
            keys=fieldwork.grid_keys(sw.survey, streets, Dims()),
            dims=Dims(),
            margins=margins,
            total=10,
            street_codes={s.pk: s.code for s in streets},
        )
    assert caught.value.messages == ["请先填写每个年龄段 / 性别的人口数。"]


def test_saving_a_grid_during_fieldwork_recounts_the_responses(sw: SurveyWorld) -> None:
    women = [respond(sw) for _ in range(2)]
    man = respond(sw, sex="m", age="50")
    s1 = sw.world.s1.pk
    targets = {
        CellKey(s1, "30-44", "f"): 2,
        CellKey(s1, "45-59", "m"): 5,
        CellKey(sw.world.s2.pk, "30-44", "f"): 3,
    }
    assert fieldwork.save_quota_grid(sw.survey, actor=sw.world.office, targets=targets) == 10
    cells = {(c.street_id, c.age_band, c.sex): c for c in QuotaCell.objects.all()}
    assert cells[(s1, "30-44", "f")].filled == 2
    assert cells[(s1, "45-59", "m")].filled == 1
    assert cells[(sw.world.s2.pk, "30-44", "f")].filled == 0
    assert {r.quota_id for r in Response.objects.filter(pk__in=[w.pk for w in women])} == {
        cells[(s1, "30-44", "f")].pk
    }
    assert Response.objects.get(pk=man.pk).quota_id == cells[(s1, "45-59", "m")].pk
    # The women's cell is full now: the next woman of 30-44 in 东华门 is thanked.
    assert respond(sw).screen_reason == "quota_full"
    with pytest.raises(PermissionDenied):
        fieldwork.save_quota_grid(sw.survey, actor=sw.world.inspector, targets=targets)


def test_saving_margins_replaces_and_removes(sw: SurveyWorld) -> None:
    fieldwork.save_margins(sw.survey, actor=sw.world.office, populations=_margins(sw))
    assert Margin.objects.filter(survey=sw.survey).count() == 8
    fieldwork.save_margins(
        sw.survey,
        actor=sw.world.office,
        populations={("sex", "m"): 480, ("street", sw.world.s2.code): None},
    )
    assert fieldwork.margins_of(sw.survey)[("sex", "m")] == 480
    assert ("street", sw.world.s2.code) not in fieldwork.margins_of(sw.survey)


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_import_reads_names_codes_and_sexes(sw: SurveyWorld) -> None:
    data = _xlsx(
        [
            ["维度", "值", "人口"],
            ["街道", "东华门街道", 3000],
            ["街道", "110101002", "1,000"],
            ["性别", "男", 510],
            ["性别", "女", 490],
            ["年龄段", "18-29", 200],
        ]
    )
    assert import_margins(sw.survey, actor=sw.world.office, filename="m.xlsx", data=data) == 5
    assert fieldwork.margins_of(sw.survey) == {
        ("street", "110101001"): 3000,
        ("street", "110101002"): 1000,
        ("sex", "m"): 510,
        ("sex", "f"): 490,
        ("age_band", "18-29"): 200,
    }


def test_import_names_every_bad_cell_and_writes_nothing(sw: SurveyWorld) -> None:
    fieldwork.save_margins(sw.survey, actor=sw.world.office, populations={("sex", "m"): 1})
    data = _xlsx(
        [
            ["维度", "值", "人口"],
            ["街道", "西城街道", 3000],
            ["性别", "男", "很多"],
            ["区域", "x", 1],
            ["性别", "男", 5],
            ["性别", "m", 6],
        ]
    )
    with pytest.raises(ValidationError) as caught:
        parse_margins(sw.survey, "m.xlsx", data)
    assert caught.value.messages == [
        "第 2 行第 B 列：“西城街道”不是本调查的街道。",
        "第 3 行第 C 列：人口数应为整数，而不是“很多”。",
        "第 4 行第 A 列：“区域”不是维度：请填写 街道、年龄段、性别 或 职业。",
        "第 6 行第 B 列：“m”重复出现。",
    ]
    with pytest.raises(ValidationError):
        import_margins(sw.survey, actor=sw.world.office, filename="m.xlsx", data=data)
    assert fieldwork.margins_of(sw.survey) == {("sex", "m"): 1}


def test_import_refuses_a_file_that_is_not_a_spreadsheet(sw: SurveyWorld) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_margins(sw.survey, "m.xlsx", b"not a workbook")
    assert caught.value.messages == ["该文件不是可读取的 .xlsx 工作簿。"]
