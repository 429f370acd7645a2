"""The completeness matrix as an .xlsx: the matrix, then the counts per unit and per clause."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chuangcheng.archives.domain.matrix import Matrix, Tally
from chuangcheng.archives.enums import Cell
from chuangcheng.core.workbook import data_workbook


def _pct(t: Tally) -> str:
    return "" if t.percent is None else f"{t.percent}%"


def matrix_workbook(m: Matrix) -> bytes:
    labels = dict(Cell.choices)
    unit_names = [u.short_name or u.name for u in m.units]
    grid = []
    for clause in m.clauses:
        cells = [str(labels[c[1]]) if c else "" for c in m.row(clause)]
        t = m.by_clause[clause.pk]
        grid.append([clause.number, clause.text, *cells, t.approved, t.owed, _pct(t)])
    state_headers = [str(labels[c]) for c in Cell.values]
    counts = [_("Owed"), *state_headers, _("Approved %")]

    def counted(t: Tally) -> list[object]:
        return [t.owed, *[t.get(c) for c in Cell.values], _pct(t)]

    return data_workbook(
        [
            (
                _("Matrix %(year)d") % {"year": m.year},
                [
                    _("No."),
                    pgettext("archives", "Clause"),
                    *unit_names,
                    _("Approved"),
                    _("Owed"),
                    _("Approved %"),
                ],
                grid,
            ),
            (
                _("By unit"),
                [_("Unit"), *counts],
                [[u.name, *counted(m.by_unit[u.pk])] for u in m.units],
            ),
            (
                _("By clause"),
                [_("No."), pgettext("archives", "Clause"), *counts],
                [[c.number, c.text, *counted(m.by_clause[c.pk])] for c in m.clauses],
            ),
        ]
    )
