"""Read an office's framework sheet into a checked plan: every problem named by row and column.

Nothing here writes to the database; :func:`chuangcheng.frameworks.domain.import_framework`
writes a plan that has no problems, in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.utils import translation
from django.utils.translation import gettext as _

from chuangcheng.frameworks.enums import METHOD_LABELS_ZH, Method, NodeLevel
from chuangcheng.frameworks.interfaces.sheet import (
    COL_CONTENT,
    COL_INDICATOR,
    COL_LEAD,
    COL_METHODS,
    COL_PARTNERS,
    COL_POINT_TYPES,
    COL_PROJECT,
    COL_SCORE,
    COL_TEXT,
    COLUMNS,
    HEADER_SEARCH_ROWS,
    Problem,
    UnreadableFileError,
    read_rows,
    split_list,
)
from chuangcheng.frameworks.models import point_type_model
from chuangcheng.frameworks.specs import NodeSpec, number_tree
from chuangcheng.orgs.models import Unit

_LEVELS = (NodeLevel.PROJECT, NodeLevel.INDICATOR, NodeLevel.CONTENT)
_GROUP_COLUMNS = (COL_PROJECT, COL_INDICATOR, COL_CONTENT)


@dataclass
class ImportPlan:
    """The tree read from a file, the names it uses, and everything wrong with it."""

    roots: list[NodeSpec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # File name → id for the units and point types that exist.
    unit_ids: dict[str, int] = field(default_factory=dict)
    point_type_ids: dict[str, int] = field(default_factory=dict)
    # Names not found, to be created with --create-missing (in order of first use).
    missing_units: list[str] = field(default_factory=list)
    missing_point_types: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def clauses(self) -> list[NodeSpec]:
        return [n for r in self.roots for n in r.walk() if n.level == NodeLevel.STANDARD]


def code_from_filename(filename: str) -> str:
    """``framework-dongcheng-2026.csv`` → ``framework-dongcheng-2026`` (at most 40 characters)."""
    stem = re.sub(r"\s+", "-", PurePath(filename).stem.strip())
    return stem[:40] or "framework"


def method_lookup() -> dict[str, str]:
    """Accepted spellings of each method (Chinese label, English label, code) → code."""
    table: dict[str, str] = {}
    with translation.override("en"):
        for method in Method:
            table[str(method.label).lower()] = method.value
            table[method.value] = method.value
    for method, zh in METHOD_LABELS_ZH.items():
        table[zh] = str(method)
    return table


def build_plan(filename: str, data: bytes, *, create_missing: bool = False) -> ImportPlan:
    """Check the file completely; ``plan.problems`` lists every problem found (empty when the
    plan may be written). With ``create_missing`` unknown units and point types are not problems
    but are listed in ``missing_units`` / ``missing_point_types``."""
    plan = ImportPlan()
    try:
        rows = read_rows(filename, data)
    except UnreadableFileError as exc:
        plan.problems.append(Problem(0, None, str(exc)))
        return plan
    header_at = _find_header(rows)
    if header_at is None:
        _header_problems(rows, plan)
        return plan
    body = [(n, cells) for n, cells in rows[header_at + 1 :] if any(cells)]
    if not body:
        plan.problems.append(Problem(0, None, _("The file has no data rows below the header.")))
        return plan
    _build_tree(body, plan)
    _check_scores(plan)
    _resolve_names(plan, create_missing=create_missing)
    number_tree(plan.roots)
    plan.problems.sort(key=lambda p: (p.row, -1 if p.column is None else p.column))
    return plan


def _find_header(rows: list[tuple[int, list[str]]]) -> int | None:
    for index, (_n, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if tuple(cells[: len(COLUMNS)]) == COLUMNS:
            return index
    return None


def _header_problems(rows: list[tuple[int, list[str]]], plan: ImportPlan) -> None:
    """Name each wrong header cell of the first non-empty row."""
    number, cells = next(((n, c) for n, c in rows if any(c)), (1, []))
    for col, expected in enumerate(COLUMNS):
        found = cells[col] if col < len(cells) else ""
        if found != expected:
            plan.problems.append(
                Problem(
                    number,
                    col,
                    _("the header should be “%(expected)s” but is “%(found)s”.")
                    % {"expected": expected, "found": found},
                )
            )


def _cell(cells: list[str], col: int) -> str:
    return cells[col] if col < len(cells) else ""


def _build_tree(body: list[tuple[int, list[str]]], plan: ImportPlan) -> None:
    """Group rows into 项目 → 指标 → 测评内容 → 测评标准. A blank group cell repeats the value
    above (a merged cell), unless a higher level starts a new group on this row."""
    methods = method_lookup()
    path: list[NodeSpec | None] = [None, None, None]
    for number, cells in body:
        for depth, col in enumerate(_GROUP_COLUMNS):
            value = _cell(cells, col)
            current = path[depth]
            if current is not None and (not value or value == current.text):
                continue
            if not value:
                plan.problems.append(Problem(number, col, _("this cell is empty.")))
            siblings = plan.roots if depth == 0 else _children_of(path[depth - 1])
            if value and any(s.text == value for s in siblings):
                plan.problems.append(
                    Problem(
                        number,
                        col,
                        _(
                            "“%(value)s” appeared in earlier rows; keep the rows of one group "
                            "together."
                        )
                        % {"value": value},
                    )
                )
            node = NodeSpec(_LEVELS[depth], value, row=number)
            siblings.append(node)
            path[depth] = node
            for deeper in range(depth + 1, len(path)):
                path[deeper] = None
        content = path[2]
        assert content is not None
        content.children.append(_clause(number, cells, methods, plan))


def _children_of(node: NodeSpec | None) -> list[NodeSpec]:
    assert node is not None
    return node.children


def _clause(number: int, cells: list[str], methods: dict[str, str], plan: ImportPlan) -> NodeSpec:
    node = NodeSpec(NodeLevel.STANDARD, _cell(cells, COL_TEXT), row=number)
    if not node.text:
        plan.problems.append(Problem(number, COL_TEXT, _("the standard's text is empty.")))
    raw_methods = split_list(_cell(cells, COL_METHODS))
    if not raw_methods:
        plan.problems.append(Problem(number, COL_METHODS, _("no assessment method is given.")))
    for raw in raw_methods:
        code = methods.get(raw.lower())
        if code is None:
            plan.problems.append(
                Problem(
                    number,
                    COL_METHODS,
                    _("“%(value)s” is not a method; use 材料审核, 实地考察, 问卷调查 or 网上申报.")
                    % {"value": raw},
                )
            )
        elif code not in node.methods:
            node.methods.append(code)
    raw_score = _cell(cells, COL_SCORE)
    if raw_score:
        try:
            score = Decimal(raw_score)
        except InvalidOperation:
            score = None
        if score is None or not score.is_finite() or score < 0 or score >= 100000:
            plan.problems.append(
                Problem(
                    number,
                    COL_SCORE,
                    _("“%(value)s” is not a score (a number such as 2 or 1.5).")
                    % {"value": raw_score},
                )
            )
        elif score != score.quantize(Decimal("0.01")):
            plan.problems.append(
                Problem(number, COL_SCORE, _("a score may have at most two decimal places."))
            )
        else:
            node.score = score
    node.lead_unit = _cell(cells, COL_LEAD)
    node.partner_units = split_list(_cell(cells, COL_PARTNERS))
    node.point_types = split_list(_cell(cells, COL_POINT_TYPES))
    return node


def _check_scores(plan: ImportPlan) -> None:
    """Within one 测评内容: a score on the first row only belongs to the content node; a score on
    every row belongs to each standard; anything else is a problem naming the rows."""
    # Rows whose score cell held a bad value are reported already; count them as scored.
    bad = {p.row for p in plan.problems if p.column == COL_SCORE}
    for root in plan.roots:
        for content in (n for n in root.walk() if n.level == NodeLevel.CONTENT):
            clauses = content.children
            scored = [c for c in clauses if c.score is not None or c.row in bad]
            if len(scored) == len(clauses):
                continue
            if len(scored) == 1 and clauses[0] is scored[0] and len(clauses) > 1:
                content.score, clauses[0].score = clauses[0].score, None
                continue
            blank_rows = "、".join(str(c.row) for c in clauses if c not in scored)
            scored_rows = "、".join(str(c.row) for c in scored) or "—"
            for clause in clauses:
                if clause not in scored:
                    plan.problems.append(
                        Problem(
                            clause.row,
                            COL_SCORE,
                            _(
                                "the score is blank. In “%(content)s” rows %(scored)s have a score "
                                "and rows %(blank)s do not: give a score on every row, or only on "
                                "the group's first row for a score of the whole content."
                            )
                            % {"content": content.text, "scored": scored_rows, "blank": blank_rows},
                        )
                    )


def _resolve_names(plan: ImportPlan, *, create_missing: bool) -> None:
    """Match units by name or short name and point types by name; report what is unknown."""
    by_name: dict[str, int] = {}
    by_short: dict[str, list[int]] = {}
    for pk, name, short in Unit.objects.values_list("pk", "name", "short_name"):
        by_name[name] = pk
        if short:
            by_short.setdefault(short, []).append(pk)
    types = dict(point_type_model().objects.values_list("name", "pk"))
    for clause in plan.clauses():
        unit_cells = [(COL_LEAD, clause.lead_unit)] if clause.lead_unit else []
        unit_cells += [(COL_PARTNERS, name) for name in clause.partner_units]
        for col, name in unit_cells:
            matches = [by_name[name]] if name in by_name else by_short.get(name, [])
            if len(matches) == 1:
                plan.unit_ids[name] = matches[0]
            elif matches:
                message = _("“%(value)s” is the short name of several units; use the full name.")
                plan.problems.append(Problem(clause.row, col, message % {"value": name}))
            else:
                _missing(plan, create_missing, clause.row, col, name)
        for name in clause.point_types:
            if name in types:
                plan.point_type_ids[name] = types[name]
            else:
                _missing(plan, create_missing, clause.row, COL_POINT_TYPES, name)


def _missing(plan: ImportPlan, create_missing: bool, row: int, col: int, name: str) -> None:
    names = plan.missing_point_types if col == COL_POINT_TYPES else plan.missing_units
    if create_missing:
        if name not in names:
            names.append(name)
        return
    if col == COL_POINT_TYPES:
        message = _("unknown point type “%(value)s”.")
    else:
        message = _("unknown unit “%(value)s”.")
    plan.problems.append(Problem(row, col, message % {"value": name}))
