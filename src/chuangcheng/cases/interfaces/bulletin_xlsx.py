"""The bulletin's workbook: every case of the period and region with what a clerk needs, then
the unit and the street tables. Reads only prefetched data (no query per case)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook

from chuangcheng.cases.domain.bulletin import Bulletin, BulletinSection, street_of
from chuangcheng.cases.enums import CaseSource, CaseStatus
from chuangcheng.cases.interfaces.figures_xlsx import (
    PERCENT,
    finish,
    prepare,
    region_sheet,
    region_title,
    save,
    unit_sheet,
)
from chuangcheng.cases.models import Case

DATETIME = "yyyy-mm-dd hh:mm"


def _local(value: dt.datetime | None) -> dt.datetime | None:
    """Excel has no time zones: local wall-clock time, naive."""
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def case_row(case: Case) -> list[Any]:
    street = street_of(case)
    community = "" if case.region == street else case.region.name
    lead = [a.unit.name for a in case.assignments.all() if a.lead]
    partners = [a.unit.name for a in case.assignments.all() if not a.lead]
    category = case.category
    klass = category.parent.name if category and category.parent else ""
    return [
        case.number,
        str(CaseSource(case.source).label),
        str(CaseStatus(case.status).label),
        klass,
        category.name if category else "",
        street.name,
        community,
        case.address,
        case.description,
        case.point.name if case.point else "",
        "、".join(lead),
        "、".join(partners),
        _local(case.reported_at),
        _local(case.registered_at),
        _local(case.dispatched_at),
        _local(case.due_at),
        _local(case.feedback_at),
        _local(case.closed_at),
        _yes_no(case.closed_on_time),
        case.rework_count,
        case.extension_count,
        _yes_no(case.was_suspended),
        _yes_no(case.recurrent),
        _local(case.escalated_at),
    ]


CASE_HEADERS = (
    (pgettext_lazy("case column", "Case number"), 14),
    (pgettext_lazy("case column", "Source"), 12),
    (pgettext_lazy("case column", "Status"), 12),
    (pgettext_lazy("case column", "Class"), 12),
    (pgettext_lazy("case column", "Category"), 16),
    (pgettext_lazy("case column", "Street"), 14),
    (pgettext_lazy("case column", "Community"), 16),
    (pgettext_lazy("case column", "Address"), 28),
    (pgettext_lazy("case column", "Description"), 40),
    (pgettext_lazy("case column", "Point"), 18),
    (pgettext_lazy("case column", "Lead unit"), 22),
    (pgettext_lazy("case column", "Partner units"), 22),
    (pgettext_lazy("case column", "Reported"), 17),
    (pgettext_lazy("case column", "Registered"), 17),
    (pgettext_lazy("case column", "Dispatched"), 17),
    (pgettext_lazy("case column", "Deadline"), 17),
    (pgettext_lazy("case column", "Handled"), 17),
    (pgettext_lazy("case column", "Closed"), 17),
    (pgettext_lazy("case column", "On time"), 8),
    (pgettext_lazy("case column", "Rework count"), 8),
    (pgettext_lazy("case column", "Extensions"), 8),
    (pgettext_lazy("case column", "Suspended"), 8),
    (pgettext_lazy("case column", "Recurring"), 8),
    (pgettext_lazy("case column", "Escalated"), 17),
)
DATE_COLUMNS = ("M", "N", "O", "P", "Q", "R", "X")


def render(b: Bulletin) -> bytes:
    """The workbook: 案件明细, 责任单位, 街道 (or 社区)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Case details")
    prepare(ws, [str(h) for h, _w in CASE_HEADERS], [w for _h, w in CASE_HEADERS])
    for case in b.cases:
        ws.append(case_row(case))
    for letter in DATE_COLUMNS:
        for cell in ws[letter][1:]:
            cell.number_format = DATETIME
    finish(ws)
    unit_sheet(wb.create_sheet(_("Units")), b.table, with_total=True)
    region_sheet(wb.create_sheet(region_title(b.table)), b.table)
    for section in b.sections:
        section_sheet(wb, section)
    return save(wb)


SHEET_NAME_MAX = 31  # Excel's limit
SHEET_NAME_BAD = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def section_sheet(wb: Workbook, section: BulletinSection) -> None:
    """A section of another module as a sheet: its table, then its note under it."""
    name = section.title.translate(SHEET_NAME_BAD)[:SHEET_NAME_MAX]
    ws = wb.create_sheet(name)
    widths = [max(8, int(w * 8)) for w in section.widths] or [14] * len(section.headers)
    prepare(ws, list(section.headers), widths)
    for row in section.rows:
        ws.append([_cell(v, i in section.numeric) for i, v in enumerate(row)])
        for i, value in enumerate(row):
            if i in section.numeric and value.endswith("%"):
                ws.cell(row=ws.max_row, column=i + 1).number_format = PERCENT
    finish(ws)
    if section.note:
        ws.append([])
        ws.append([section.note])


def _cell(value: str, numeric: bool) -> Any:
    """Numeric columns as numbers where the text is one (so Excel sorts them)."""
    if not numeric:
        return value
    try:
        return float(value.rstrip("%")) / (100 if value.endswith("%") else 1)
    except ValueError:
        return value
