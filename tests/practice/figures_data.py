"""A hand-countable month of practice data on top of ``pw``, for the figures and the scoring
provider. Rows are written directly (not through the workflows other modules own); the points
go through the ledger so its books stay balanced.

May 2026 (P = the period; ``squad_c1`` is sponsored by unit_c1, ``corps`` by 城管委 line_cg):

orders (where = community; all placed 05-12 except o8 on 05-25)
  c1: o1 rated 5, 2.0 h, squad_c1, by vol1   o2 rated 3, 1.5 h, squad_c1, by vol1
      o3 completed, 1.0 h, squad_c1, by vol3   o4 cancelled   o5 ordered
  c2: o6 rated 4, 3.0 h, corps, by vol2   o7 accepted, corps, by vol2   o8 open
  never counted: o9 (c1, April, rated 1, 5 h), o10 (西城, May, rated 5)
  → 8 orders: ordered 1, open 1, accepted 1, completed 1, rated 3, cancelled 1; 7.5 hours;
    fulfilment 4/7 = 0.5714; satisfaction 2/3 = 0.6667; mean (5+3+4)/3 = 4.00
    s1: 5 orders, 4.5 h, 3/4 = 0.75, 1/2 = 0.5;  s2: 3 orders, 3.0 h, 1/3 = 0.3333, 1/1 = 1
    teams by name: 东城区志愿服务总队 2 (1/2), 多福巷小队 3 (3/3, 4.5 h), no team 3 (0/2)
wishes (created 05-12)
  c1: w1 rated, w2 fulfilled, w3 claimed, w4 published, w5 submitted, w6 cancelled
  c2: w7 published, w8 fulfilled;  never: w9 (c1, April, fulfilled), w10 (西城)
  → published 6, claimed 4, fulfilled 3, 3/6 = 0.5;  s1 4/3/2;  s2 2/1/1
points: awards h1 10 + 10, vol1 3 (c1), h2 5 (c2) = 28 (s1 23, s2 5); April h1 20 and 西城 7
  never count. Redemptions h1 8 + 2 done (s1 10), h2 4 reversed (not counted) → 10.
volunteers: vol1 (01-05), vol2 (02-01), vol3 (c1, 05-10), vol4 (c2, 06-02: after P)
  → registered 3 (s1 2, s2 1), new 1 (s1), active 3 (vol1, vol3 | vol2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from chuangcheng.practice.domain import ledger
from chuangcheng.practice.enums import (
    Book,
    OrderChannel,
    OrderStatus,
    RedemptionStatus,
    SystemAccount,
    TxnKind,
    WishStatus,
)
from chuangcheng.practice.models import (
    ConventionItem,
    Goods,
    PointsAward,
    Redemption,
    ServiceOrder,
    Volunteer,
    Wish,
)
from tests.practice.conftest import PracticeWorld


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


@dataclass
class Month:
    orders: dict[str, ServiceOrder]
    wishes: dict[str, Wish]
    vol3: Volunteer


_seq = iter(range(1, 100_000))


def order(
    pw: PracticeWorld, site: Any, status: str, day: str = "2026-05-12", **kw: Any
) -> ServiceOrder:
    o = ServiceOrder.objects.create(
        code=f"FW{next(_seq):06d}",
        site=site,
        region=site.region,
        category=pw.meal,
        channel=OrderChannel.STAFF,
        requester_name="居民",
        status=status,
        **kw,
    )
    when = at(day)
    stamps: dict[str, Any] = {"ordered_at": when}
    if status in (OrderStatus.COMPLETED, OrderStatus.RATED):
        stamps["completed_at"] = when + dt.timedelta(hours=3)
    if status == OrderStatus.CANCELLED:
        stamps["cancelled_at"] = when + dt.timedelta(hours=1)
    ServiceOrder.objects.filter(pk=o.pk).update(**stamps)
    o.refresh_from_db()
    return o


def wish(pw: PracticeWorld, site: Any, status: str, day: str = "2026-05-12") -> Wish:
    w = Wish.objects.create(
        code=f"WW{next(_seq):06d}",
        site=site,
        region=site.region,
        title="一个书包",
        beneficiary_name="小明",
        status=status,
    )
    stamps: dict[str, Any] = {"created_at": at(day)}
    if status in (WishStatus.FULFILLED, WishStatus.RATED):
        stamps["fulfilled_at"] = at(day) + dt.timedelta(days=2)
    if status == WishStatus.CANCELLED:
        stamps["cancelled_at"] = at(day) + dt.timedelta(days=1)
    Wish.objects.filter(pk=w.pk).update(**stamps)
    w.refresh_from_db()
    return w


def award(pw: PracticeWorld, item: ConventionItem, account: Any, points: int, day: str) -> None:
    issued = ledger.system_account(Book.POINTS, SystemAccount.POINTS_ISSUED, pw.world.district)
    txn = ledger.post(
        Book.POINTS,
        TxnKind.AWARD,
        [(issued, Decimal(-points)), (account, Decimal(points))],
        actor=pw.world.office,
    )
    a = PointsAward.objects.create(item=item, account=account, points=points, txn=txn)
    PointsAward.objects.filter(pk=a.pk).update(awarded_at=at(day))


def redeem(pw: PracticeWorld, goods: Goods, account: Any, points: int, status: str) -> None:
    spent = ledger.system_account(Book.POINTS, SystemAccount.POINTS_REDEEMED, pw.world.district)
    txn = ledger.post(
        Book.POINTS,
        TxnKind.REDEMPTION,
        [(account, Decimal(-points)), (spent, Decimal(points))],
        actor=pw.world.office,
    )
    r = Redemption.objects.create(
        goods=goods, account=account, points=points, txn=txn, status=status
    )
    Redemption.objects.filter(pk=r.pk).update(at=at("2026-05-20"))


def build_month(pw: PracticeWorld) -> Month:
    w = pw.world
    pw.squad_c1.unit = w.unit_c1
    pw.squad_c1.save()
    pw.corps.unit = w.line_cg
    pw.corps.save()
    vol3 = Volunteer.objects.create(
        name="志愿者丙", region=w.c1, registered_at=dt.date(2026, 5, 10)
    )
    Volunteer.objects.create(name="志愿者丁", region=w.c2, registered_at=dt.date(2026, 6, 2))
    c1, c2, sq, corps = pw.station_c1, pw.station_c2, pw.squad_c1, pw.corps
    rated, done, cancelled = OrderStatus.RATED, OrderStatus.COMPLETED, OrderStatus.CANCELLED
    hours = Decimal
    orders = {
        "o1": order(pw, c1, rated, team=sq, accepted_by=pw.vol1, hours=hours("2.0"), rating=5),
        "o2": order(pw, c1, rated, team=sq, accepted_by=pw.vol1, hours=hours("1.5"), rating=3),
        "o3": order(pw, c1, done, team=sq, accepted_by=vol3, hours=hours("1.0")),
        "o4": order(pw, c1, cancelled),
        "o5": order(pw, c1, OrderStatus.ORDERED),
        "o6": order(pw, c2, rated, team=corps, accepted_by=pw.vol2, hours=hours("3.0"), rating=4),
        "o7": order(pw, c2, OrderStatus.ACCEPTED, team=corps, accepted_by=pw.vol2),
        "o8": order(pw, c2, OrderStatus.OPEN, day="2026-05-25"),
        "o9": order(pw, c1, rated, "2026-04-20", accepted_by=pw.vol1, hours=hours("5.0"), rating=1),
        "o10": order(
            pw, pw.other_station, rated, accepted_by=pw.other_vol, hours=hours(1), rating=5
        ),
    }
    s = WishStatus
    wishes = {
        "w1": wish(pw, c1, s.RATED),
        "w2": wish(pw, c1, s.FULFILLED),
        "w3": wish(pw, c1, s.CLAIMED),
        "w4": wish(pw, c1, s.PUBLISHED),
        "w5": wish(pw, c1, s.SUBMITTED),
        "w6": wish(pw, c1, s.CANCELLED),
        "w7": wish(pw, c2, s.PUBLISHED),
        "w8": wish(pw, c2, s.FULFILLED),
        "w9": wish(pw, c1, s.FULFILLED, "2026-04-28"),
        "w10": wish(pw, pw.other_station, s.FULFILLED),
    }
    item = ConventionItem.objects.create(
        region=w.district, code="clean", title="门前三包", points=10
    )
    h1 = ledger.household_account(Book.POINTS, pw.h1)
    h2 = ledger.household_account(Book.POINTS, pw.h2)
    v1 = ledger.volunteer_account(Book.POINTS, pw.vol1)
    far = ledger.household_account(Book.POINTS, pw.other_household)
    for account, points, day in (
        (h1, 10, "2026-05-03"),
        (h1, 10, "2026-05-18"),
        (v1, 3, "2026-05-18"),
        (h2, 5, "2026-05-30"),
        (h1, 20, "2026-04-30"),
        (far, 7, "2026-05-18"),
    ):
        award(pw, item, account, points, day)
    goods = Goods.objects.create(site=c1, name="洗衣液", price=8, stock=10)
    redeem(pw, goods, h1, 8, RedemptionStatus.DONE)
    redeem(pw, goods, h1, 2, RedemptionStatus.DONE)
    redeem(pw, goods, h2, 4, RedemptionStatus.REVERSED)
    return Month(orders, wishes, vol3)


def grow(pw: PracticeWorld, n: int) -> None:
    """``n`` more streets, each with a community, a station, a team, two volunteers, orders of
    every status, wishes, an award and a redemption: the figures' query count must not move."""
    from chuangcheng.practice.enums import SiteKind, TeamLevel
    from chuangcheng.practice.models import PracticeSite, Team
    from tests.factories import RegionFactory

    item = ConventionItem.objects.get_or_create(
        region=pw.world.district, code="grow", defaults={"title": "扩充", "points": 1}
    )[0]
    for i in range(n):
        street = RegionFactory(
            code=f"1101019{i:02d}", name=f"扩充街道{i}", parent=pw.world.district
        )
        community = RegionFactory(
            code=f"1101019{i:02d}001", name=f"扩充社区{i}", level="community", parent=street
        )
        site = PracticeSite.objects.create(
            kind=SiteKind.STATION, name=f"扩充站{i}", region=community, parent=pw.centre
        )
        team = Team.objects.create(name=f"扩充小队{i}", level=TeamLevel.SQUAD, site=site)
        vols = [
            Volunteer.objects.create(
                name=f"扩充{i}-{k}", region=community, registered_at=dt.date(2026, 5, 1)
            )
            for k in range(2)
        ]
        for status in OrderStatus.values:
            done = status in (OrderStatus.COMPLETED, OrderStatus.RATED)
            order(
                pw,
                site,
                status,
                team=team,
                accepted_by=vols[0] if done else None,
                hours=Decimal(1) if done else None,
                rating=4 if status == OrderStatus.RATED else None,
            )
        for status in WishStatus.values:
            wish(pw, site, status)
        ledger_account = ledger.volunteer_account(Book.POINTS, vols[1])
        award(pw, item, ledger_account, 2, "2026-05-05")
        goods = Goods.objects.create(site=site, name=f"扩充{i}", price=1, stock=5)
        redeem(pw, goods, ledger_account, 1, RedemptionStatus.DONE)
