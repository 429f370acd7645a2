"""Demo 流动红旗 ratings for the demo district, loaded after the inspection rounds.

``load_demo_ratings(stdout)`` links the preset scheme to the 窗口单位 point type, then has four
inspectors (the demo inspector and three raters who never log in) rate the district's service
windows for last month and this month: each window has a steady quality and each inspector
rates about three windows in four, so some windows have too few ratings to be ranked. Last
month's flags are confirmed by the office; this month's are left for the office to confirm.
A fixed seed makes every load the same; a second load changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import Grant, User
from chuangcheng.awards.domain.rating import rate
from chuangcheng.awards.domain.standings import confirm_awards
from chuangcheng.awards.models import RedFlagRating, RedFlagScheme
from chuangcheng.cases.domain.periods import month_period
from chuangcheng.orgs.models import Region
from chuangcheng.points.models import Point, PointType

SEED = 20261122
SCHEME = "window-red-flag"
WINDOW_TYPE = "窗口单位"
DISTRICT = "110101"
RATERS = (("inspector_li", "李文博"), ("inspector_chen", "陈思远"), ("inspector_he", "何静怡"))
NOTES = ("排队秩序好，引导到位", "等候区座椅不足", "工作人员主动询问需求", "")


def _raters(district: Region) -> list[User]:
    users = list(User.objects.filter(username="inspector"))
    for username, name in RATERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"display_name": name, "must_change_password": False}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            Grant.objects.create(user=user, role=Role.INSPECTOR, region=district)
        users.append(user)
    return users


def _clamp(value: int, top: int) -> int:
    return max(0, min(top, value))


@transaction.atomic
def load_demo_ratings(stdout: Any, today: dt.date | None = None) -> int:
    """Create the demo ratings once; returns how many were written (0 when already there)."""
    scheme = RedFlagScheme.objects.filter(code=SCHEME).first()
    district = Region.objects.filter(code=DISTRICT).first()
    office = User.objects.filter(username="office").first()
    if scheme is None or district is None or office is None:
        return 0
    window = PointType.objects.filter(name=WINDOW_TYPE).first()
    if window is not None and not scheme.point_types.exists():
        scheme.point_types.add(window)
    if RedFlagRating.objects.filter(scheme=scheme).exists():
        return 0
    points = list(
        Point.objects.filter(active=True, type__in=scheme.point_types.all()).order_by("code")
    )
    if not points:
        return 0
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    rng = random.Random(SEED)
    quality = {p.pk: rng.choice((6, 7, 7, 8, 8, 8, 9, 9, 10)) for p in points}
    raters = _raters(district)
    written = 0
    for month in (last_month, this_month):
        for user in raters:
            for point in points:
                if rng.random() > 0.75:
                    continue
                base = quality[point.pk]
                scores = {
                    d["name"]: _clamp(base + rng.choice((-2, -1, 0, 0, 0, 1)), int(d["max"]))
                    for d in scheme.dimensions
                }
                rate(
                    actor=user,
                    scheme=scheme,
                    target=point,
                    scores=scores,
                    note=rng.choice(NOTES),
                    today=month,
                )
                written += 1
    confirm_awards(
        actor=office,
        scheme=scheme,
        month=month_period(last_month.year, last_month.month),
        region=district,
    )
    stdout.write(_("Rated %(n)d service windows' months for the red flag demo.") % {"n": written})
    return written
