"""The trend analysis tables as one .xlsx (a sheet per table), and the audit entry of the export.
Percentages are numbers (Excel sorts them); no figure is an empty cell."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chuangcheng.command.domain.trends_cases import CaseTrends, Change
from chuangcheng.command.domain.trends_compliance import ComplianceTrend
from chuangcheng.command.domain.trends_recurring import Recurring
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.core.workbook import data_workbook

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _num(value: Any) -> Any:
    return "" if value is None else float(value)


def _changes(rows: list[Change]) -> list[list[Any]]:
    return [[r.name, r.now, r.before, r.delta, _num(r.pct)] for r in rows]


def trends_workbook(cases: CaseTrends, compliance: ComplianceTrend, rec: Recurring) -> bytes:
    change = [
        _("Name"),
        _("This period (%(p)s)") % {"p": cases.current.key},
        _("Previous period (%(p)s)") % {"p": cases.previous.key},
        pgettext("trend", "Change"),
        pgettext("trend", "Change %"),
    ]
    sheets: list[tuple[str, list[str], list[list[Any]]]] = [
        (
            pgettext("trends sheet", "By period"),
            [
                _("Period"),
                _("Reported"),
                _("Closed"),
                pgettext("trend", "Change"),
                pgettext("trend", "Change %"),
            ],
            [[p.label, p.reported, p.closed, p.delta, _num(p.pct)] for p in cases.periods],
        ),
        (pgettext("trends sheet", "By category"), change, _changes(cases.categories)),
        (pgettext("trends sheet", "By street"), change, _changes(cases.streets)),
        (pgettext("trends sheet", "By unit"), change, _changes(cases.units)),
        (
            pgettext("trends sheet", "Compliance by street"),
            [_("Street"), *compliance.labels],
            [
                [s.name or _("Total"), *(_num(r.percent) for r in s.rates)]
                for s in [*compliance.streets, compliance.total]
            ],
        ),
        (
            pgettext("trends sheet", "Recurring problems"),
            [_("Place"), _("Point"), _("Category"), _("Street"), _("Cases"), _("Case numbers")],
            [
                [
                    g.place,
                    g.point_code,
                    g.category,
                    g.street.name if g.street else "",
                    g.count,
                    ", ".join(c.number for c in g.cases),
                ]
                for g in rec.groups
            ],
        ),
        (
            pgettext("trends sheet", "Reworked cases"),
            [_("Case number"), _("Category"), _("Street"), _("Re-checks failed"), _("Status")],
            [
                [r.number, r.category, r.street.name if r.street else "", r.rework, r.status]
                for r in rec.rework
            ],
        ),
        (
            pgettext("trends sheet", "Recurring by street"),
            [_("Street"), _("Recurring groups"), _("Cases in them"), _("Reworked cases")],
            [[c.street.name, c.groups, c.cases, c.rework] for c in rec.streets],
        ),
    ]
    return data_workbook(sheets)


def record_export(*, actor: Any, filters: str) -> None:
    """Who took the trend tables out, with which filters."""
    audit.record(
        actor,
        AuditAction.EXPORT,
        object_type="command.trends",
        object_repr="xlsx · trends",
        note=filters[:500],
    )
