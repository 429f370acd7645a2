"""Template helpers of the case pages: time left or overdue by, ages, photo URLs."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


def span(delta: dt.timedelta) -> str:
    """A duration as people say it: "2 days 3 hours", "5 hours", "40 minutes"."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return (
            _("%(d)d d %(h)d h") % {"d": days, "h": hours} if hours else _("%(d)d d") % {"d": days}
        )
    if hours:
        return _("%(h)d h") % {"h": hours}
    return _("%(m)d min") % {"m": max(mins, 1)}


@register.simple_tag
def time_left(due: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """ "3 d 2 h left" or "overdue by 5 h"; empty without a deadline."""
    if due is None:
        return ""
    now = now or timezone.now()
    if due >= now:
        return _("%(span)s left") % {"span": span(due - now)}
    return _("overdue by %(span)s") % {"span": span(now - due)}


@register.simple_tag
def age(since: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """How long ago: "2 d 4 h"."""
    if since is None:
        return ""
    return span((now or timezone.now()) - since)


@register.filter
def photo_url(photo: object) -> str:
    """Photos are served (after a scope check) at /photos/<pk>/ by the photo pages."""
    return f"/photos/{getattr(photo, 'pk', '')}/"


@register.filter
def get_stage(groups: dict[str, list[object]], stage: str) -> list[object]:
    return groups.get(stage, [])
