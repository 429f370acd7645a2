"""Population margins from a spreadsheet (e.g. 七普 figures an office keeps in Excel).

Three columns: dimension (街道 / 年龄段 / 性别 / 职业), value (the street's name or code, the
age band as "18-29", 男 / 女, an occupation of the survey) and population. Every problem is
reported with its row and column and nothing is written unless the whole file is right; the
dimensions the file holds replace the survey's margins of those dimensions.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chuangcheng.core.tabular import UnreadableFileError, read_rows
from chuangcheng.core.workbook import template_workbook
from chuangcheng.surveys.domain.fieldwork import (
    Dimension,
    band_labels,
    save_margins,
    streets_of,
)
from chuangcheng.surveys.models import Survey

HEADER = ("维度", "值", "人口")
_DIMENSIONS = {
    "街道": Dimension.STREET,
    "street": Dimension.STREET,
    "年龄段": Dimension.AGE_BAND,
    "年龄": Dimension.AGE_BAND,
    "age_band": Dimension.AGE_BAND,
    "性别": Dimension.SEX,
    "sex": Dimension.SEX,
    "职业": Dimension.OCCUPATION,
    "occupation": Dimension.OCCUPATION,
}
_SEXES = {"男": "m", "女": "f", "m": "m", "f": "f", "male": "m", "female": "f"}
MAX_ROWS = 2000


def _at(row: int, column: str, problem: str) -> str:
    where = _("Row %(row)d, column %(column)s") % {"row": row, "column": column}
    return _("%(where)s: %(problem)s") % {"where": where, "problem": problem}


def _values(survey: Survey) -> dict[str, dict[str, str]]:
    """For each dimension, what a cell may say → the stored value."""
    streets: dict[str, str] = {}
    for street in streets_of(survey):
        streets[street.name] = street.code
        streets[street.code] = street.code
    return {
        Dimension.STREET: streets,
        Dimension.AGE_BAND: {b: b for b in band_labels(survey)},
        Dimension.SEX: _SEXES,
        Dimension.OCCUPATION: {o: o for o in survey.occupations},
    }


def parse_margins(survey: Survey, filename: str, data: bytes) -> dict[tuple[str, str], int]:
    """The margins the file gives; ValidationError listing every problem (row and column)."""
    try:
        rows = read_rows(filename, data)
    except UnreadableFileError as exc:
        raise ValidationError([str(exc)]) from exc
    rows = [(n, cells) for n, cells in rows if any(cells)]
    if not rows:
        raise ValidationError([_("The file is empty.")])
    if len(rows) > MAX_ROWS:
        raise ValidationError([_("The file has more than %(max)d rows.") % {"max": MAX_ROWS}])
    first = rows[0][1]
    if first[:1] and first[0].strip().lower() in ("维度", "dimension"):
        rows = rows[1:]
    known = _values(survey)
    errors: list[str] = []
    found: dict[tuple[str, str], int] = {}
    for number, row in rows:
        problem = _row_problem(known, found, number, [*row, "", "", ""][:3])
        if problem:
            errors.append(problem)
    if errors:
        raise ValidationError(errors)
    return found


def _row_problem(
    known: dict[str, dict[str, str]],
    found: dict[tuple[str, str], int],
    number: int,
    cells: list[str],
) -> str:
    """Add the row's margin to ``found``; the message naming its problem, or ""."""
    dimension = _DIMENSIONS.get(cells[0].strip().lower())
    if dimension is None:
        message = _("“%(value)s” is not a dimension: use 街道, 年龄段, 性别 or 职业.")
        return _at(number, "A", message % {"value": cells[0]})
    typed = cells[1].strip().lower() if dimension == Dimension.SEX else cells[1].strip()
    value = known[dimension].get(typed)
    if value is None:
        message = _("“%(value)s” is not a %(dimension)s of this survey.")
        label = Dimension(dimension).label
        return _at(number, "B", message % {"value": cells[1], "dimension": label})
    text = cells[2].replace(",", "").strip()
    if not text.isdigit():
        message = _("Give the population as a whole number, not “%(value)s”.")
        return _at(number, "C", message % {"value": cells[2]})
    if (dimension, value) in found:
        return _at(number, "B", _("“%(value)s” is given twice.") % {"value": cells[1]})
    found[(dimension, value)] = int(text)
    return ""


def import_margins(survey: Survey, *, actor: Any, filename: str, data: bytes) -> int:
    """Read the file and replace the margins of the dimensions it holds; how many it gave."""
    found = parse_margins(survey, filename, data)
    save_margins(
        survey,
        actor=actor,
        populations=dict(found.items()),
        replace=sorted({d for d, _v in found}),
    )
    return len(found)


def margins_template(survey: Survey) -> bytes:
    """A workbook listing every margin the survey can have, population left to fill in."""
    rows: list[list[str]] = [["街道", s.name, ""] for s in streets_of(survey)]
    rows += [["年龄段", b, ""] for b in band_labels(survey)]
    rows += [["性别", "男", ""], ["性别", "女", ""]]
    rows += [["职业", o, ""] for o in survey.occupations]
    return template_workbook(
        title="人口数",
        columns=HEADER,
        examples=rows,
        choices={0: ("维度", ["街道", "年龄段", "性别", "职业"])},
        widths={0: 12, 1: 24, 2: 14},
    )
