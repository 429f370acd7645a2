"""The filtered case list as an .xlsx workbook. Reporters' names and phones are left out:
an export leaves the system, personal data should not."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.cases import queries
from chuangcheng.cases.filters import CaseFilters
from chuangcheng.cases.models import Case
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 50_000


def headers() -> list[str]:
    return [
        _("Case number"),
        _("Source"),
        _("Status"),
        _("Class"),
        _("Category"),
        _("Description"),
        _("Street"),
        _("Community"),
        _("Address"),
        _("Point"),
        _("Lead unit (主办)"),
        _("Partner units (协办)"),
        _("Reported"),
        _("Dispatched"),
        _("Deadline"),
        _("Handled"),
        _("Closed"),
        _("Overdue"),
        _("Escalated (督办)"),
        _("Rework count"),
        _("Extensions granted"),
        _("Recurring (屡改屡犯)"),
    ]


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def row(c: Case) -> list[Any]:
    region = c.region
    street = region.parent if region.level != "street" and region.parent else region
    yes = _("Yes")
    return [
        c.number,
        c.get_source_display(),
        c.get_status_display(),
        c.category.parent.name if c.category and c.category.parent else "",
        c.category.name if c.category else "",
        c.description,
        street.name,
        region.name if region.pk != street.pk else "",
        c.address,
        c.point.name if c.point else "",
        c.lead_unit.name if c.lead_unit else "",  # type: ignore[attr-defined]
        "、".join(u.name for u in c.partner_units),  # type: ignore[attr-defined]
        _when(c.reported_at),
        _when(c.dispatched_at),
        _when(c.due_at),
        _when(c.feedback_at),
        _when(c.closed_at),
        yes if c.overdue else "",  # type: ignore[attr-defined]
        yes if c.escalated_at else "",
        c.rework_count,
        c.extension_count,
        yes if c.recurrent else "",
    ]


def export(user: Any, f: CaseFilters) -> tuple[bytes, int]:
    """The workbook and how many cases it holds (at most MAX_ROWS). Three queries."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    now = timezone.now()
    cases = queries.decorate(queries.cases_for(user, f, now)[:MAX_ROWS], now)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Cases")
    ws.append(headers())
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for c in cases:
        ws.append(row(c))
    widths = (14, 10, 10, 10, 14, 40, 12, 14, 24, 16, 20, 24, 17, 17, 17, 17, 17, 6, 6, 6, 6, 6)
    for index, width in enumerate(widths):
        ws.column_dimensions[chr(65 + index)].width = width
    ws.freeze_panes = "B2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), len(cases)


def record_export(*, actor: Any, count: int, filters: str) -> None:
    """Who took which cases out, and with which filters."""
    audit.record(
        actor,
        AuditAction.EXPORT,
        object_type="cases.case",
        object_repr=f"xlsx · {count}",
        note=filters[:500],
    )
