"""Schemes as data: validation of dimensions and thresholds, and the office's edits (audited)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chuangcheng.awards.enums import TargetKind
from chuangcheng.awards.models import RedFlagScheme
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.points.models import PointType

SCHEME_FIELDS = (
    "code",
    "name",
    "target",
    "unit_kind",
    "dimensions",
    "winners",
    "min_ratings",
    "star_thresholds",
    "active",
)


def clean_dimensions(raw: Iterable[Any]) -> list[dict[str, Any]]:
    """The dimensions as ``[{"name": str, "max": int}]`` in the given order; ValidationError
    naming the problem when there is none, a name is empty or repeated, or a maximum is not a
    whole number above 0."""
    cleaned: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in raw:
        name = str(item.get("name", "") if isinstance(item, dict) else "").strip()
        if not name:
            raise ValidationError(_("Every dimension needs a name."))
        if name in seen:
            raise ValidationError(_("The dimension “%(n)s” appears twice.") % {"n": name})
        seen.add(name)
        value = _whole(item.get("max"))
        if value is None or value <= 0:
            raise ValidationError(
                _("The maximum of “%(n)s” must be a whole number above 0.") % {"n": name}
            )
        cleaned.append({"name": name, "max": value})
    if not cleaned:
        raise ValidationError(_("A scheme needs at least one dimension."))
    return cleaned


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def parse_dimension_lines(text: str) -> list[dict[str, Any]]:
    """``服务热情 10`` per line (name, space or colon, maximum) → dimensions, validated."""
    items: list[dict[str, Any]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        for sep in (":", "：", ",", "，", "="):
            line = line.replace(sep, " ")
        name, _sep, value = line.strip().rpartition(" ")
        if not name.strip():
            raise ValidationError(
                _("“%(l)s”: write the name, a space and the maximum points.") % {"l": line}
            )
        items.append({"name": name.strip(), "max": value.strip()})
    return clean_dimensions(items)


def dimension_lines(dimensions: Sequence[dict[str, Any]]) -> str:
    return "\n".join(f"{d['name']} {d['max']}" for d in dimensions)


def clean_thresholds(raw: Sequence[Any]) -> list[int]:
    """Four whole percentages for 5, 4, 3 and 2 stars, strictly descending within 1..100."""
    try:
        values = [int(str(v).strip()) for v in raw]
    except ValueError as exc:
        raise ValidationError(_("The star thresholds must be whole percentages.")) from exc
    if len(values) != 4:
        raise ValidationError(_("Give four thresholds: for 5, 4, 3 and 2 stars."))
    if not all(1 <= v <= 100 for v in values) or any(a <= b for a, b in itertools.pairwise(values)):
        raise ValidationError(
            _("The star thresholds must lie within 1–100 % and go down from 5 stars to 2.")
        )
    return values


@dataclass
class SchemeData:
    """What the office sets on a scheme; the form and the API both build one."""

    code: str
    name: str
    target: str
    dimensions: list[dict[str, Any]]
    winners: int
    min_ratings: int
    star_thresholds: list[int] = field(default_factory=lambda: [90, 80, 70, 60])
    unit_kind: str = ""
    point_types: list[PointType] = field(default_factory=list)
    active: bool = True


@transaction.atomic
def save_scheme(
    *, actor: Any, data: SchemeData, scheme: RedFlagScheme | None = None
) -> RedFlagScheme:
    """Create or update a scheme after validating it; audited with before and after. Raises
    PermissionDenied for anyone but an office, ValidationError (nothing written) on bad data."""
    if not actor.has_perm("awards.manage_schemes"):
        raise PermissionDenied
    dims = clean_dimensions(data.dimensions)
    thresholds = clean_thresholds(data.star_thresholds)
    if data.target not in TargetKind.values:
        raise ValidationError(_("Choose what the scheme rates."))
    if data.target == TargetKind.POINTS and not data.point_types:
        raise ValidationError(_("Choose at least one point type for a scheme rating points."))
    if data.winners < 1:
        raise ValidationError(_("At least one flag must be awarded each month."))
    if data.min_ratings < 1:
        raise ValidationError(_("At least one rating is needed to qualify."))
    before = None
    if scheme is None:
        scheme = RedFlagScheme()
    else:
        before = {**audit.snapshot(scheme, SCHEME_FIELDS), "point_types": _type_ids(scheme)}
    scheme.code = data.code.strip()
    scheme.name = data.name.strip()
    scheme.target = data.target
    scheme.unit_kind = data.unit_kind if data.target == TargetKind.UNITS else ""
    scheme.dimensions = dims
    scheme.winners = data.winners
    scheme.min_ratings = data.min_ratings
    scheme.star_thresholds = thresholds
    scheme.active = data.active
    scheme.full_clean(exclude=["dimensions", "star_thresholds"])
    scheme.save()
    scheme.point_types.set(data.point_types if data.target == TargetKind.POINTS else [])
    after = {**audit.snapshot(scheme, SCHEME_FIELDS), "point_types": _type_ids(scheme)}
    audit.record(
        actor,
        AuditAction.CREATE if before is None else AuditAction.UPDATE,
        scheme,
        before=before,
        after=after,
    )
    return scheme


def _type_ids(scheme: RedFlagScheme) -> list[int]:
    return sorted(scheme.point_types.values_list("pk", flat=True))
