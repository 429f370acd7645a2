"""A round's observations as an .xlsx workbook: one line per clause checked at a point."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from chuangcheng.core.tabular import column_letter
from chuangcheng.inspections.domain.streets import StreetIndex
from chuangcheng.inspections.models import Observation, Round

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTHS = (10, 22, 14, 14, 14, 12, 17, 8, 22, 40, 10, 30, 6, 14, 11, 11, 8)


def headers() -> list[str]:
    return [
        _("Point code"),
        _("Point"),
        _("Point type"),
        _("Street"),
        _("Community"),
        _("Inspector"),
        _("Observed"),
        _("Clause no."),
        _("Assessment content"),
        _("Standard"),
        _("Result"),
        _("Note"),
        _("Photos"),
        _("Case number"),
        _("Longitude"),
        _("Latitude"),
        _("Accuracy (m)"),
    ]


def workbook(round_: Round, observations: Iterable[Observation]) -> bytes:
    """The .xlsx bytes; ``observations`` come from ``results.observation_rows``."""
    streets = StreetIndex.under(round_.region)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Observations")[:31]
    ws.append(headers())
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for obs in observations:
        inspection = obs.inspection
        point = inspection.round_point.point
        street = streets.street_of(point.region.path)
        ws.append(
            [
                point.code,
                point.name,
                point.type.name,
                street.name if street is not None else "",
                point.region.name if street is None or point.region_id != street.pk else "",
                str(inspection.inspector) if inspection.inspector else "",
                timezone.localtime(inspection.observed_at).strftime("%Y-%m-%d %H:%M"),
                obs.clause.number,
                obs.clause.parent.text if obs.clause.parent else "",
                obs.clause.text,
                obs.get_result_display(),
                obs.note,
                len(obs.photos.all()),
                obs.case.number if obs.case else "",
                float(inspection.lng) if inspection.lng is not None else None,
                float(inspection.lat) if inspection.lat is not None else None,
                inspection.accuracy_m,
            ]
        )
    for index, width in enumerate(WIDTHS):
        ws.column_dimensions[column_letter(index)].width = width
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
