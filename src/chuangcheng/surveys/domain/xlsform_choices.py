"""The choices sheet of an XLSForm: lists of choices with their labels and, in our own optional
columns, the ``score`` (0–1, or a percentage) and ``excluded`` flag of each choice."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from chuangcheng.surveys.domain.xlsform_sheets import Issue, Row, Sheet, place_bare

YES = {"yes", "true", "true()", "1", "y", "是"}
NO = {"no", "false", "false()", "0", "n", "", "否"}
MAX_VALUE = 64


@dataclass
class ChoiceSpec:
    value: str
    labels: dict[str, str]
    score: Decimal = Decimal(0)
    excluded: bool = False
    row: int = 0


def _score(text: str) -> Decimal | None:
    """``"0.9"`` or ``"90%"`` → 0.9; None when not a number from 0 to 1 with 3 decimals."""
    try:
        value = Decimal(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except InvalidOperation:
        return None
    return value if Decimal(0) <= value <= 1 and value == round(value, 3) else None


def read_choices(sheet: Sheet, language: str, issues: list[Issue]) -> dict[str, list[ChoiceSpec]]:
    """The choice lists by name; problems are added to ``issues``."""
    lists: dict[str, list[ChoiceSpec]] = {}

    def issue(row: Row, column: str, message: str) -> None:
        issues.append(Issue("choices", row.number, sheet.columns.get(column, column), message))

    for row in sheet.rows:
        list_name, value = row.get("list_name"), row.get("name")
        if not list_name:
            issue(row, "list_name", _("The list name is missing."))
            continue
        if not value:
            issue(row, "name", _("The choice's name (its value) is missing."))
            continue
        if len(value) > MAX_VALUE:
            issue(row, "name", _("At most %(n)d characters.") % {"n": MAX_VALUE})
        if any(c.value == value for c in lists.get(list_name, [])):
            message = _("%(value)s is twice in list %(list)s.")
            issue(row, "name", message % {"value": value, "list": list_name})
        labels = place_bare(row.texts.get("label", {}), language) or {language: value}
        choice = ChoiceSpec(value, labels, row=row.number)
        if row.get("score"):
            score = _score(row.get("score"))
            if score is None:
                issue(row, "score", _("A score is a number from 0 to 1 (at most 3 decimals)."))
            choice.score = score or Decimal(0)
        flag = row.get("excluded").strip().lower()
        if flag not in YES | NO:
            issue(row, "excluded", _("Write yes or no."))
        choice.excluded = flag in YES
        lists.setdefault(list_name, []).append(choice)
    return lists


def rating_choices(low: int, high: int) -> list[ChoiceSpec]:
    """The points of a rating scale, scored evenly from 0 (lowest) to 1 (highest)."""
    span = Decimal(high - low)
    return [
        ChoiceSpec(
            str(v),
            {"zh-Hans": str(v), "en": str(v)},
            (Decimal(v - low) / span).quantize(Decimal("0.001")),
        )
        for v in range(low, high + 1)
    ]
