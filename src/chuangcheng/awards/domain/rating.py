"""Inspectors rate a target for the current month: one rating per inspector × target × month."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.awards.enums import TargetKind
from chuangcheng.awards.models import RedFlagRating, RedFlagScheme
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.models import Unit
from chuangcheng.points.models import Point

AUDITED = ("scores", "total", "max_total", "note")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def clean_scores(scheme: RedFlagScheme, raw: Any) -> dict[str, int]:
    """The scores keyed by dimension name in the scheme's order; ValidationError naming the
    problem for an unknown or missing dimension, or a score outside 0..max."""
    if not isinstance(raw, dict):
        raise ValidationError(_("Give a score for each dimension."))
    names = [d["name"] for d in scheme.dimensions]
    unknown = sorted(set(raw) - set(names))
    if unknown:
        raise ValidationError(
            _("“%(n)s” is not a dimension of this scheme.") % {"n": "、".join(unknown)}
        )
    cleaned: dict[str, int] = {}
    for dim in scheme.dimensions:
        name, top = dim["name"], int(dim["max"])
        value = raw.get(name)
        if value in (None, ""):
            raise ValidationError(_("Give a score for “%(n)s”.") % {"n": name})
        try:
            number = int(str(value))
        except ValueError as exc:
            raise ValidationError(
                _("The score of “%(n)s” must be a whole number.") % {"n": name}
            ) from exc
        if isinstance(value, bool) or not 0 <= number <= top:
            raise ValidationError(
                _("The score of “%(n)s” must be between 0 and %(m)d.") % {"n": name, "m": top}
            )
        cleaned[name] = number
    return cleaned


def check_target(scheme: RedFlagScheme, target: Point | Unit) -> None:
    """ValidationError unless the scheme rates this target."""
    if scheme.target == TargetKind.POINTS:
        ok = isinstance(target, Point) and scheme.point_types.filter(pk=target.type_id).exists()
    else:
        ok = isinstance(target, Unit) and (not scheme.unit_kind or target.kind == scheme.unit_kind)
    if not ok or not target.active or not scheme.active:
        raise ValidationError(_("This scheme does not rate “%(t)s”.") % {"t": target})


@transaction.atomic
def rate(
    *,
    actor: Any,
    scheme: RedFlagScheme,
    target: Point | Unit,
    scores: Any,
    note: str = "",
    today: dt.date | None = None,
) -> tuple[RedFlagRating, bool]:
    """Record the actor's rating of ``target`` for the current month; a second rating the same
    month replaces the actor's first one. Returns the rating and whether it was new. Audited.
    PermissionDenied outside the actor's region; ValidationError (nothing written) on bad
    scores or a target the scheme does not rate."""
    if not actor.has_perm("awards.rate", target):
        raise PermissionDenied
    check_target(scheme, target)
    cleaned = clean_scores(scheme, scores)
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError(_("The note is longer than 500 characters."))
    month = month_start(today or timezone.localdate())
    key = {"point": target} if isinstance(target, Point) else {"unit": target}
    rating = (
        RedFlagRating.objects.select_for_update()
        .filter(scheme=scheme, month=month, inspector=actor, **key)
        .first()
    )
    before = audit.snapshot(rating, AUDITED) if rating is not None else None
    if rating is None:
        rating = RedFlagRating(scheme=scheme, month=month, inspector=actor, **key)
    rating.scores = cleaned
    rating.total = sum(cleaned.values())
    rating.max_total = scheme.max_total
    rating.note = note
    rating.save()
    audit.record(
        actor,
        AuditAction.CREATE if before is None else AuditAction.UPDATE,
        rating,
        before=before,
        after=audit.snapshot(rating, AUDITED),
    )
    return rating, before is None
