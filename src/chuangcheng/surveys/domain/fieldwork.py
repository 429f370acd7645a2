"""The fieldwork plan: the quota grid (street × age band × sex, optionally × occupation) and
the population margins it can be filled from.

The grid is a partition: each respondent falls in exactly one of its cells. Saving a grid
replaces the survey's cells and re-counts the complete responses already collected into the
new cells, so the office may change the plan during fieldwork without losing the count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.models import Region
from chuangcheng.surveys.domain.quotas import Profile, matches
from chuangcheng.surveys.domain.screening import places
from chuangcheng.surveys.enums import ResponseState, Sex
from chuangcheng.surveys.models import Margin, QuotaCell, Response, Survey

Dimension = Margin.Dimension


@dataclass(frozen=True)
class CellKey:
    """One cell of the grid; "" means the dimension is not split."""

    street_id: int
    age_band: str = ""
    sex: str = ""
    occupation: str = ""


@dataclass(frozen=True)
class Dims:
    """Which dimensions besides the street the grid splits by."""

    band: bool = True
    sex: bool = True
    occupation: bool = False


def band_labels(survey: Survey) -> list[str]:
    return [f"{low}-{high}" for low, high in survey.age_bands]


def streets_of(survey: Survey) -> list[Region]:
    """The streets of the survey's region, in tree order (the grid's rows)."""
    seen: dict[int, Region] = {}
    for place in places(survey).values():
        seen.setdefault(place.street.pk, place.street)
    return list(seen.values())


def dims_in_use(survey: Survey, cells: Sequence[QuotaCell]) -> Dims:
    """The dimensions of the saved grid; age band × sex when there is none yet."""
    if not cells:
        return Dims(band=True, sex=True, occupation=False)
    return Dims(
        band=any(c.age_band for c in cells),
        sex=any(c.sex for c in cells),
        occupation=bool(survey.occupations) and any(c.occupation for c in cells),
    )


def grid_keys(survey: Survey, streets: Sequence[Region], dims: Dims) -> list[CellKey]:
    """Every cell of a grid with ``dims``, rows (street, occupation) then columns (band, sex)."""
    bands = band_labels(survey) if dims.band else [""]
    sexes = list(Sex.values) if dims.sex else [""]
    occupations = list(survey.occupations) if dims.occupation and survey.occupations else [""]
    return [
        CellKey(street.pk, band, sex, occupation)
        for street in streets
        for occupation in occupations
        for band in bands
        for sex in sexes
    ]


def _need_manager(survey: Survey, actor: Any) -> None:
    if not actor.has_perm("surveys.manage_survey", survey):
        raise PermissionDenied


def _best_cell(cells: Sequence[QuotaCell], profile: Profile) -> QuotaCell | None:
    found = [c for c in cells if matches(c, profile)]
    found.sort(key=lambda c: -sum(1 for v in (c.age_band, c.sex, c.occupation) if v))
    return found[0] if found else None


def recount(survey: Survey) -> None:
    """Put every complete response in its cell of the current grid and set each cell's
    ``filled`` to its count (after the grid changed)."""
    cells = list(QuotaCell.objects.filter(survey=survey))
    members: dict[int | None, list[int]] = defaultdict(list)
    for pk, street_id, band, sex, occupation in Response.objects.filter(
        survey=survey, state=ResponseState.COMPLETE
    ).values_list("pk", "street_id", "age_band", "sex", "occupation"):
        cell = _best_cell(cells, Profile(street_id or 0, band, sex, occupation))
        members[cell.pk if cell else None].append(pk)
    for cell_id, ids in members.items():
        Response.objects.filter(pk__in=ids).update(quota_id=cell_id)
    for cell in cells:
        cell.filled = len(members.get(cell.pk, ()))
    QuotaCell.objects.bulk_update(cells, ["filled"])


@transaction.atomic
def save_quota_grid(survey: Survey, *, actor: Any, targets: Mapping[CellKey, int]) -> int:
    """Replace the survey's quota cells with ``targets`` (cells of one grid) and re-count the
    responses already collected. Returns the sum of the targets."""
    _need_manager(survey, actor)
    street_ids = {s.pk for s in streets_of(survey)}
    errors = [k for k, v in targets.items() if k.street_id not in street_ids or v < 0]
    if errors:
        raise ValidationError(_("The grid names a street outside the survey's region."))
    before = {"cells": QuotaCell.objects.filter(survey=survey).count()}
    QuotaCell.objects.filter(survey=survey).delete()
    QuotaCell.objects.bulk_create(
        QuotaCell(
            survey=survey,
            street_id=key.street_id,
            age_band=key.age_band,
            sex=key.sex,
            occupation=key.occupation,
            target=target,
        )
        for key, target in targets.items()
    )
    recount(survey)
    total = sum(targets.values())
    audit.record(
        actor,
        AuditAction.UPDATE,
        survey,
        before=before,
        after={"cells": len(targets), "quota_total": total},
        note="quota plan",
    )
    return total


def _margin_value(key: CellKey, dimension: str, street_codes: Mapping[int, str]) -> str:
    if dimension == Dimension.STREET:
        return street_codes[key.street_id]
    return str(getattr(key, "age_band" if dimension == Dimension.AGE_BAND else dimension))


def fill_from_margins(
    survey: Survey,
    *,
    keys: Sequence[CellKey],
    dims: Dims,
    margins: Mapping[tuple[str, str], int],
    total: int,
    street_codes: Mapping[int, str],
) -> dict[CellKey, int]:
    """Share ``total`` among ``keys`` in proportion to the product of their margins (the
    dimensions taken as independent), rounded by largest remainder so that the cells add up
    to ``total`` exactly; ties go to the earlier cell. Raises ValidationError naming the
    margins missing."""
    used = [Dimension.STREET]
    used += [Dimension.AGE_BAND] if dims.band else []
    used += [Dimension.SEX] if dims.sex else []
    used += [Dimension.OCCUPATION] if dims.occupation else []
    missing = sorted(
        {
            str(Dimension(d).label)
            for key in keys
            for d in used
            if (d, _margin_value(key, d, street_codes)) not in margins
        }
    )
    if missing:
        raise ValidationError(
            _("Enter the population of every %(dims)s first.") % {"dims": " / ".join(missing)}
        )
    weights = []
    for key in keys:
        weight = 1
        for d in used:
            weight *= margins[(d, _margin_value(key, d, street_codes))]
        weights.append(weight)
    whole = sum(weights)
    if whole == 0:
        raise ValidationError(_("The populations add up to zero."))
    shares = [Fraction(total * w, whole) for w in weights]
    counts = [int(s) for s in shares]
    left = total - sum(counts)
    order = sorted(range(len(keys)), key=lambda i: (-(shares[i] - counts[i]), i))
    for i in order[:left]:
        counts[i] += 1
    return dict(zip(keys, counts, strict=True))


def margins_of(survey: Survey) -> dict[tuple[str, str], int]:
    return {(m.dimension, m.value): m.population for m in Margin.objects.filter(survey=survey)}


def margin_slots(survey: Survey, streets: Sequence[Region]) -> list[tuple[str, str, str]]:
    """Every margin the survey can have: (dimension, value, label), grouped by dimension."""
    slots = [(str(Dimension.STREET), s.code, s.name) for s in streets]
    slots += [(str(Dimension.AGE_BAND), b, b) for b in band_labels(survey)]
    slots += [(str(Dimension.SEX), value, str(label)) for value, label in Sex.choices]
    slots += [(str(Dimension.OCCUPATION), o, o) for o in survey.occupations]
    return slots


@transaction.atomic
def save_margins(
    survey: Survey,
    *,
    actor: Any,
    populations: Mapping[tuple[str, str], int | None],
    replace: Sequence[str] | None = None,
) -> int:
    """Set the population margins: each (dimension, value) → population, None removing it.
    With ``replace``, every margin of those dimensions not given is removed too (an import
    replaces the dimensions its file holds). Returns how many margins the survey has."""
    _need_manager(survey, actor)
    before = margins_of(survey)
    kept = {k: v for k, v in before.items() if not replace or k[0] not in replace}
    for key, population in populations.items():
        if population is None:
            kept.pop(key, None)
        else:
            kept[key] = population
    Margin.objects.filter(survey=survey).delete()
    Margin.objects.bulk_create(
        Margin(survey=survey, dimension=d, value=v, population=p) for (d, v), p in kept.items()
    )
    after = margins_of(survey)
    audit.record(
        actor,
        AuditAction.UPDATE,
        survey,
        before={"margins": {f"{d}:{v}": p for (d, v), p in sorted(before.items())}},
        after={"margins": {f"{d}:{v}": p for (d, v), p in sorted(after.items())}},
        note="population margins",
    )
    return len(after)
