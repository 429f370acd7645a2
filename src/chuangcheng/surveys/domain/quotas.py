"""Quota cells at answer time: which cells a respondent falls in, whether one has room, and
claiming a place in one.

A cell matches a respondent when its street is theirs and each of its other dimensions is
either empty ("any") or equal to theirs. A survey without quota cells takes every eligible
respondent. With cells, a respondent matching none, or only full ones, is out of quota.

A place is claimed with one conditional ``UPDATE … SET filled = filled + 1 WHERE filled <
target`` inside the submitting transaction: on PostgreSQL the second of two concurrent updates
waits for the first's row lock and then re-reads ``filled``; on SQLite (``IMMEDIATE``
transactions) the writers are serialized. Either way two submits for the last place never
both count.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F

from chuangcheng.surveys.models import QuotaCell, Survey


@dataclass(frozen=True)
class Profile:
    """The screening answers a quota cell is matched on."""

    street_id: int
    age_band: str
    sex: str
    occupation: str = ""


def matches(cell: QuotaCell, profile: Profile) -> bool:
    return (
        cell.street_id == profile.street_id
        and cell.age_band in ("", profile.age_band)
        and cell.sex in ("", profile.sex)
        and cell.occupation in ("", profile.occupation)
    )


def _specificity(cell: QuotaCell) -> int:
    return sum(1 for value in (cell.age_band, cell.sex, cell.occupation) if value)


def matching_cells(survey: Survey, profile: Profile) -> list[QuotaCell]:
    """The survey's cells the respondent falls in, best first: the most specific, then the
    one with the most room left (cells of one grid never overlap, so there is usually one)."""
    cells = [
        c
        for c in QuotaCell.objects.filter(survey=survey, street_id=profile.street_id)
        if matches(c, profile)
    ]
    cells.sort(key=lambda c: (-_specificity(c), -(c.target - c.filled), c.pk))
    return cells


def has_quotas(survey: Survey) -> bool:
    return QuotaCell.objects.filter(survey=survey).exists()


def has_room(survey: Survey, profile: Profile) -> bool:
    """Whether the respondent may be interviewed: no quotas at all, or a matching cell that
    is not yet full. Asked after the screening questions; :func:`claim` decides at submit."""
    if not has_quotas(survey):
        return True
    return any(c.filled < c.target for c in matching_cells(survey, profile))


class QuotaFullError(Exception):
    """Every cell the respondent matches is full (or none matches)."""


def claim(survey: Survey, profile: Profile) -> QuotaCell | None:
    """Take one place in a matching cell with room and return it; None when the survey has no
    quotas. Raises :class:`QuotaFullError` when no place is left. Call inside the transaction
    that writes the response."""
    cells = matching_cells(survey, profile)
    if not cells:
        if has_quotas(survey):
            raise QuotaFullError
        return None
    for cell in cells:
        taken = QuotaCell.objects.filter(pk=cell.pk, filled__lt=F("target")).update(
            filled=F("filled") + 1
        )
        if taken:
            cell.filled += 1
            return cell
    raise QuotaFullError


def release(cell_id: int | None) -> None:
    """Give back the place a voided response held."""
    if cell_id is not None:
        QuotaCell.objects.filter(pk=cell_id, filled__gt=0).update(filled=F("filled") - 1)
