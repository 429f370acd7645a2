"""A survey report as data: the JSON the command line and the API print, and the table of rates
the .csv and .xlsx downloads hold (one row per measure × clause × street).

Numbers are JSON numbers: rates and interval bounds rounded half up to 4 decimals (0.8318 is
83.18 %), Σscore to 3 (scores have 3), the effective sample size to 1; a rate with nothing
counted is null, as is every weighted figure when the survey has no margins.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chuangcheng.core.workbook import data_workbook
from chuangcheng.surveys.domain.results import ALL, Figures, SurveyReport, q
from chuangcheng.surveys.domain.weights import dimension_label

CONTENT_TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPE_CSV = "text/csv; charset=utf-8"
FIGURE_KEYS = (
    "numerator",
    "denominator",
    "rate",
    "ci_low",
    "ci_high",
    "weighted_rate",
    "weighted_ci_low",
    "weighted_ci_high",
    "effective_n",
)


def _streets(
    report: SurveyReport, overall: Figures, by_street: dict[int | None, Figures]
) -> dict[str, Any]:
    region = report.survey.region
    out: dict[str, Any] = {
        ALL: {"name": region.name, "respondents": report.respondents, **overall.as_json()}
    }
    for street in report.streets:
        figures = by_street.get(street.pk) or Figures()
        out[street.code] = {
            "name": street.name,
            "respondents": report.respondents_by_street.get(street.pk, 0),
            **figures.as_json(),
        }
    return out


def report_json(report: SurveyReport) -> dict[str, Any]:
    """The report as ``chuangcheng survey report CODE --format json`` prints it."""
    survey = report.survey
    w = report.weighting
    return {
        "survey": {
            "code": survey.code,
            "title": survey.title,
            "status": survey.status,
            "region": {"code": survey.region.code, "name": survey.region.name},
            "starts_on": survey.starts_on.isoformat() if survey.starts_on else None,
            "ends_on": survey.ends_on.isoformat() if survey.ends_on else None,
            "respondents": report.respondents,
        },
        "weighting": {
            "applied": w.applied,
            "dimensions": w.dimensions,
            "iterations": w.iterations,
            "converged": w.converged,
            "design_effect": q(w.design_effect, 3),
            "effective_n": q(w.effective_n, 1),
            "excluded": w.excluded,
            "warnings": w.warnings,
        },
        "measures": {
            m.measure: {
                "label": m.label,
                "streets": _streets(report, m.overall, m.streets),
                "clauses": [
                    {
                        "id": c.clause.pk,
                        "number": c.clause.number,
                        "text": c.clause.text,
                        "streets": _streets(report, c.overall, c.streets),
                    }
                    for c in m.clauses
                ],
            }
            for m in report.measures
        },
    }


def rate_rows(report: SurveyReport) -> list[list[Any]]:
    """measure, measure label, clause number, clause, street code ("all"), street, then the
    figures of :data:`FIGURE_KEYS` — the whole district first, then each street, for each
    measure and then for each of its clauses."""
    rows: list[list[Any]] = []
    for m in report.measures:
        blocks = [("", "", m.overall, m.streets)]
        blocks += [(c.clause.number, c.clause.text, c.overall, c.streets) for c in m.clauses]
        for number, text, overall, streets in blocks:
            for code, entry in _streets(report, overall, streets).items():
                rows.append(
                    [
                        m.measure,
                        m.label,
                        number,
                        text,
                        code,
                        entry["name"],
                        *(entry[k] for k in FIGURE_KEYS),
                    ]
                )
    return rows


def rate_headers() -> list[str]:
    return [
        _("Measure code"),
        _("Measure"),
        _("Clause number"),
        _("Clause"),
        _("Street code"),
        _("Street"),
        _("Score sum (numerator)"),
        _("Answers counted (denominator)"),
        pgettext("survey", "Rate"),
        _("95% CI low"),
        _("95% CI high"),
        _("Weighted rate"),
        _("Weighted 95% CI low"),
        _("Weighted 95% CI high"),
        _("Effective sample size"),
    ]


def machine_headers() -> list[str]:
    head = ["measure", "measure_label", "clause_number", "clause", "street", "street_name"]
    return [*head, *FIGURE_KEYS]


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV text; empty cells for nulls. Excel opens it as UTF-8 when saved with a BOM."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def weighting_rows(report: SurveyReport) -> list[list[Any]]:
    return [
        [
            dimension_label(m.dimension),
            m.label,
            m.population,
            m.respondents,
            q(m.weighted, 1),
            q(100 * m.gap, 2) if m.gap is not None else None,
        ]
        for m in report.weighting.margins
    ]


def rates_workbook(report: SurveyReport) -> bytes:
    """Rates and, when weighted, the margins against the sample, one sheet each."""
    sheets: list[tuple[str, Sequence[str], Sequence[Sequence[object]]]] = [
        (pgettext("survey", "Rates"), rate_headers(), rate_rows(report))
    ]
    if report.weighting.margins:
        sheets.append(
            (
                _("Weighting"),
                [
                    _("Dimension"),
                    _("Value"),
                    _("Population"),
                    _("Respondents"),
                    _("Weighted respondents"),
                    _("Gap (%)"),
                ],
                weighting_rows(report),
            )
        )
    if report.weighting.warnings:
        sheets.append((_("Weighting notes"), [_("Note")], [[t] for t in report.weighting.warnings]))
    return data_workbook(sheets)
