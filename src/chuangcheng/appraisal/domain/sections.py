"""The appraisal's sections of every bulletin (督查通报): the unit ranking and the clauses that
lost the most points. Registered with :data:`chuangcheng.cases.domain.bulletin.SECTIONS`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chuangcheng.appraisal.domain.providers import LedClause, clause_reading
from chuangcheng.appraisal.domain.ranking import rank_units
from chuangcheng.cases.domain.bulletin import BulletinSection, register_section
from chuangcheng.cases.domain.periods import Period
from chuangcheng.orgs.models import Region, Unit

LOSSES_LISTED = 10


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def change_text(change: int | None) -> str:
    if change is None:
        return "—"
    if change > 0:
        return f"↑{change}"
    if change < 0:
        return f"↓{-change}"
    return "0"


@register_section
def ranking_section(period: Period, region: Region, now: dt.datetime) -> BulletinSection:
    """单位考核排名: every ranked unit with its composite and components, under the default
    formula; what was left out and who was not ranked is said in the note."""
    ranking = rank_units(period, region, now=now)
    headers = [_("Rank"), _("Responsible unit"), pgettext("figure", "Due")]
    headers += [*ranking.used_labels, _("Composite"), pgettext("rank", "Change")]
    rows = [
        [
            str(r.rank),
            r.unit.short_name or r.unit.name,
            str(r.due),
            *[percent(p.percent) for p in r.parts],
            f"{r.composite:.2f}",
            change_text(r.change),
        ]
        for r in ranking.rows
    ]
    notes = [
        _("Formula: %(formula)s. Components are shown as percentages; the composite is out of 100.")
        % {"formula": ranking.formula.name}
    ]
    if ranking.left_out:
        notes.append(
            _("Left out (not available yet): %(parts)s; the weights were shared over the rest.")
            % {"parts": "、".join(ranking.left_out_labels)}
        )
    if ranking.apart:
        notes.append(
            _("%(n)d units are not ranked (fewer than %(min)d cases due, or no data).")
            % {"n": len(ranking.apart), "min": ranking.formula.min_due}
        )
    if not ranking.rows:
        notes.append(_("No unit is ranked in this period."))
    count = len(headers)
    return BulletinSection(
        title=_("Unit appraisal ranking"),
        headers=headers,
        rows=rows,
        note=" ".join(notes),
        numeric=set(range(2, count)),
        widths=[0.7, 3, 0.9, *[1.3] * len(ranking.used), 1.2, 0.9],
    )


def losing(clauses: list[LedClause]) -> list[LedClause]:
    """The measured clauses that lost points, the biggest loss (measured maximum − score) first;
    ties by clause number."""
    return sorted((c for c in clauses if c.lost > 0), key=lambda c: (-c.lost, c.code))


@register_section
def losses_section(period: Period, region: Region, now: dt.datetime) -> BulletinSection:
    """失分最多的测评内容: from the live run of the scoring engine for the period."""
    reading = clause_reading(period, region)
    lost = losing(reading.measured)
    shown = lost[:LOSSES_LISTED]
    units = Unit.objects.in_bulk([c.lead_unit_id for c in shown if c.lead_unit_id])
    rows = [
        [
            str(i),
            c.code,
            c.name,
            (u.short_name or u.name) if (u := units.get(c.lead_unit_id)) else "—",
            f"{c.measured_max:.2f}",
            f"{c.score:.2f}" if c.score is not None else "—",
            f"{c.lost:.2f}",
        ]
        for i, c in enumerate(shown, start=1)
    ]
    if reading.framework is None:
        note = _("No framework is in force: no clause could be scored.")
    elif not reading.measured:
        note = _("No clause of the framework was measured in this period.")
    elif not lost:
        note = _("Every measured clause kept its full points.")
    else:
        note = _(
            "%(n)d of %(total)d clauses were measured in this period; %(losing)d lost points. "
            "Listed: the ones that lost the most."
        ) % {"n": len(reading.measured), "total": len(reading.clauses), "losing": len(lost)}
    return BulletinSection(
        title=_("Clauses losing the most points"),
        headers=[
            _("No."),
            _("Clause number"),
            _("Clause"),
            pgettext("clause", "Lead unit"),
            _("Points measured"),
            pgettext("clause", "Score"),
            _("Points lost"),
        ],
        rows=rows,
        note=note,
        numeric={4, 5, 6},
        widths=[0.6, 1.3, 4, 2.2, 1.3, 1.1, 1.1],
    )
