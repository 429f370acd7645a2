"""The practice figures of a region and a period: orders, hours, rates, wishes, points and
volunteers, in total and by team, station and street.

What counts:
- orders *placed* in the period (``ordered_at``) in the region (where the service happens);
  hours credited = Σ hours of those completed or rated; fulfilment rate = completed-or-rated ÷
  orders not cancelled; satisfaction rate = ratings ≥ 4 ÷ rated orders; mean rating;
- wishes *created* in the period in the region, not cancelled: published = published or further
  on, claimed = claimed or further, fulfilled = fulfilled or rated; fulfilment rate = fulfilled ÷
  published;
- points awarded (Σ ``PointsAward.points``, awarded in the period) and redeemed (Σ
  ``Redemption.points`` with status done, in the period), placed by the account's community;
- volunteers living in the region: registered by the end of the period, newly registered in it,
  and active (completed or rated an order placed in the period).

The 减负 rules forbid rankings by time online and per-volunteer league tables: rows are teams,
stations and streets only, always sorted by code or name, never by value. Six grouped queries
whatever the data's size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from chuangcheng.cases.domain.periods import Period, PeriodError, parse_period, period_from_query
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region
from chuangcheng.practice.enums import OrderStatus, RedemptionStatus, WishStatus
from chuangcheng.practice.models import PointsAward, Redemption, ServiceOrder, Volunteer, Wish

DONE_ORDERS = (OrderStatus.COMPLETED, OrderStatus.RATED)
DONE_WISHES = (WishStatus.FULFILLED, WishStatus.RATED)
CLAIMED_WISHES = (WishStatus.CLAIMED, *DONE_WISHES)
PUBLISHED_WISHES = (WishStatus.PUBLISHED, *CLAIMED_WISHES)
GOOD_RATING = 4
FOUR = Decimal("0.0001")
TWO = Decimal("0.01")


def ratio(num: int | Decimal, den: int | Decimal) -> Decimal | None:
    """num ÷ den to four places (0.8333), None when there is nothing to divide by."""
    if not den:
        return None
    return (Decimal(num) / Decimal(den)).quantize(FOUR, rounding=ROUND_HALF_UP)


# One grouped row of orders: status, count, Σ hours, rated, rated ≥ 4, Σ ratings.
OrderGroup = tuple[str, int, Decimal | None, int, int, int | None]


@dataclass
class OrderFigures:
    """Orders of one row (the whole region, a team, a station or a street)."""

    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OrderStatus.values, 0))
    hours: Decimal = Decimal(0)
    rated: int = 0
    good: int = 0
    rating_sum: int = 0

    def add(self, group: OrderGroup) -> None:
        status, n, hours, rated, good, rating_sum = group
        self.by_status[status] += n
        if status in DONE_ORDERS:
            self.hours += hours or 0
        self.rated += rated
        self.good += good
        self.rating_sum += rating_sum or 0

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def live(self) -> int:
        """Orders not cancelled: the fulfilment rate's denominator."""
        return self.total - self.by_status[OrderStatus.CANCELLED]

    @property
    def done(self) -> int:
        return sum(self.by_status[s] for s in DONE_ORDERS)

    @property
    def waiting(self) -> int:
        return sum(
            self.by_status[s]
            for s in (OrderStatus.ORDERED, OrderStatus.OPEN, OrderStatus.DISPATCHED)
        )

    @property
    def fulfilment_rate(self) -> Decimal | None:
        return ratio(self.done, self.live)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return ratio(self.good, self.rated)

    @property
    def fulfilment_pct(self) -> Decimal | None:
        return pct(self.fulfilment_rate)

    @property
    def satisfaction_pct(self) -> Decimal | None:
        return pct(self.satisfaction_rate)

    @property
    def mean_rating(self) -> Decimal | None:
        if not self.rated:
            return None
        return (Decimal(self.rating_sum) / self.rated).quantize(TWO, rounding=ROUND_HALF_UP)


def pct(rate: Decimal | None) -> Decimal | None:
    """A rate as a percentage to one place (0.8333 → 83.3), for pages and panels."""
    return None if rate is None else (rate * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class WishFigures:
    published: int = 0
    claimed: int = 0
    fulfilled: int = 0

    def add(self, status: str, n: int) -> None:
        self.published += n if status in PUBLISHED_WISHES else 0
        self.claimed += n if status in CLAIMED_WISHES else 0
        self.fulfilled += n if status in DONE_WISHES else 0

    @property
    def fulfilment_rate(self) -> Decimal | None:
        return ratio(self.fulfilled, self.published)

    @property
    def fulfilment_pct(self) -> Decimal | None:
        return pct(self.fulfilment_rate)


@dataclass
class VolunteerFigures:
    registered: int = 0
    new: int = 0
    active: int = 0


@dataclass
class Row:
    """One team, station or street. ``key`` is its id (0: orders not dispatched to a team)."""

    key: int
    code: str
    name: str
    orders: OrderFigures = field(default_factory=OrderFigures)
    wishes: WishFigures = field(default_factory=WishFigures)
    awarded: int = 0
    redeemed: int = 0
    volunteers: VolunteerFigures = field(default_factory=VolunteerFigures)


@dataclass
class Figures:
    region: Region
    period: Period
    total: Row
    teams: list[Row]
    stations: list[Row]
    streets: list[Row]


def _street_map(region: Region) -> tuple[dict[int, Row], dict[int, int]]:
    """The streets under (or equal to) ``region`` as rows, and region id → street id for every
    region at or under a street."""
    regions = list(
        Region.objects.filter(path__startswith=region.path).values_list(
            "pk", "code", "name", "level", "path"
        )
    )
    streets = {
        pk: Row(pk, code, name)
        for pk, code, name, level, _p in regions
        if level == RegionLevel.STREET
    }
    by_path = {path: pk for pk, _c, _n, level, path in regions if level == RegionLevel.STREET}
    street_of: dict[int, int] = {}
    for pk, _c, _n, _level, path in regions:
        for street_path, street_pk in by_path.items():
            if path.startswith(street_path):
                street_of[pk] = street_pk
                break
    return streets, street_of


def compute(region: Region, period: Period, *, today: dt.date | None = None) -> Figures:
    """The figures of ``region`` for ``period`` (see the module's docstring for what counts)."""
    start, end = period.bounds()
    streets, street_of = _street_map(region)
    total = Row(region.pk, region.code, region.name)
    teams: dict[int, Row] = {}
    stations: dict[int, Row] = {}
    under = region.path

    order_rows = (
        ServiceOrder.objects.filter(
            region__path__startswith=under, ordered_at__gte=start, ordered_at__lt=end
        )
        .values_list(
            "region_id",
            "site_id",
            "site__name",
            "site__region__code",
            "team_id",
            "team__name",
            "status",
        )
        .annotate(
            n=Count("pk"),
            hours=Sum("hours"),
            rated=Count("rating"),
            good=Count("pk", filter=Q(rating__gte=GOOD_RATING)),
            rating_sum=Sum("rating"),
        )
        .order_by()
    )
    for (
        region_id,
        site_id,
        site_name,
        site_code,
        team_id,
        team_name,
        status,
        n,
        hours,
        rated,
        good,
        rsum,
    ) in order_rows:
        values = (status, n, hours, rated, good, rsum)
        total.orders.add(values)
        stations.setdefault(site_id, Row(site_id, site_code, site_name)).orders.add(values)
        team = teams.setdefault(team_id or 0, Row(team_id or 0, "", team_name or ""))
        team.orders.add(values)
        if region_id in street_of:
            streets[street_of[region_id]].orders.add(values)

    wish_rows = (
        Wish.objects.filter(
            region__path__startswith=under, created_at__gte=start, created_at__lt=end
        )
        .exclude(status=WishStatus.CANCELLED)
        .values_list("region_id", "site_id", "site__name", "site__region__code", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for region_id, site_id, site_name, site_code, status, n in wish_rows:
        total.wishes.add(status, n)
        stations.setdefault(site_id, Row(site_id, site_code, site_name)).wishes.add(status, n)
        if region_id in street_of:
            streets[street_of[region_id]].wishes.add(status, n)

    awarded = (
        PointsAward.objects.filter(
            account__region__path__startswith=under, awarded_at__gte=start, awarded_at__lt=end
        )
        .values_list("account__region_id")
        .annotate(p=Sum("points"))
        .order_by()
    )
    for region_id, points in awarded:
        total.awarded += points
        if region_id in street_of:
            streets[street_of[region_id]].awarded += points
    redeemed = (
        Redemption.objects.filter(
            account__region__path__startswith=under,
            status=RedemptionStatus.DONE,
            at__gte=start,
            at__lt=end,
        )
        .values_list("account__region_id")
        .annotate(p=Sum("points"))
        .order_by()
    )
    for region_id, points in redeemed:
        total.redeemed += points
        if region_id in street_of:
            streets[street_of[region_id]].redeemed += points

    served = Q(
        accepted_orders__status__in=DONE_ORDERS,
        accepted_orders__ordered_at__gte=start,
        accepted_orders__ordered_at__lt=end,
    )
    volunteer_rows = (
        Volunteer.objects.filter(region__path__startswith=under, registered_at__lt=period.end)
        .values_list("region_id")
        .annotate(
            registered=Count("pk", distinct=True),
            new=Count("pk", distinct=True, filter=Q(registered_at__gte=period.start)),
            active=Count("pk", distinct=True, filter=served),
        )
        .order_by()
    )
    for region_id, registered, new, active in volunteer_rows:
        for row in (total, streets.get(street_of.get(region_id, -1))):
            if row is not None:
                row.volunteers.registered += registered
                row.volunteers.new += new
                row.volunteers.active += active

    return Figures(
        region=region,
        period=period,
        total=total,
        teams=sorted(teams.values(), key=lambda r: (r.key == 0, r.name, r.key)),
        stations=sorted(stations.values(), key=lambda r: (r.code, r.name)),
        streets=sorted(streets.values(), key=lambda r: r.code),
    )


FIGURE_LEVELS = (RegionLevel.CITY, RegionLevel.DISTRICT, RegionLevel.STREET)


def figure_regions(user: Any) -> list[Region]:
    """The districts and streets whose practice figures ``user`` may read, broadest first (an
    office or leader over them, or the territorial unit of a street)."""
    candidates = Region.objects.visible_to(user).filter(level__in=FIGURE_LEVELS).order_by("path")
    return [r for r in candidates if user.has_perm("practice.view_figures", r)]


def pick_region(user: Any, region_id: Any) -> Region | None:
    """The region asked for (by id) if the user may read its figures, else None; with no id,
    the broadest region the user may read."""
    choices = figure_regions(user)
    if region_id in (None, ""):
        return choices[0] if choices else None
    return next((r for r in choices if str(r.pk) == str(region_id)), None)


def read_period(query: Any, today: dt.date | None = None) -> tuple[Period, str]:
    """The period asked for (``period`` or ``from``/``to``), this year when none; with an error
    message ("" when fine), and this year then."""
    this_year = parse_period(str((today or timezone.localdate()).year))
    period, start, end = query.get("period", ""), query.get("from", ""), query.get("to", "")
    if not (period or start or end):
        return this_year, ""
    try:
        return period_from_query(period, start, end), ""
    except PeriodError as exc:
        return this_year, str(exc)
