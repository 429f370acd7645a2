"""The demo district's service orders: half a year of 点单 → 派单 → 接单 → 圆单 → 评单.

``load_demo_orders(stdout)`` plays, once, a few hundred orders through the domain functions at
their own moments (the clock is set back for each step), so every hour in the time bank comes
from a completed order and the ledger balances. Orders end in every state: rated, completed
and waiting for a rating, cancelled, and — the last days' — still ordered, dispatched, open or
in progress, some of them late and flagged. 多福巷社区 gets the most: the demo volunteer
(``volunteer``) has orders waiting and banked hours, the demo resident (``resident``) has
orders to follow and one to rate; a few volunteers pay for their family's orders with banked
hours (时间银行 存取).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.accounts.models import User
from chuangcheng.demo.cases import frozen
from chuangcheng.demo.names import People
from chuangcheng.practice.demo_network import DISTRICT_CODE, HOME_COMMUNITY
from chuangcheng.practice.domain import orders_complete, orders_flow
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.order_flags import flag_late_orders
from chuangcheng.practice.domain.orders import NOTICE_VERSION, DayPart, OrderInput, place_order
from chuangcheng.practice.domain.orders_queries import banked_hours
from chuangcheng.practice.enums import OrderChannel, OrderStatus, SiteKind
from chuangcheng.practice.models import (
    Household,
    PracticeSite,
    ServiceCategory,
    ServiceOrder,
    Volunteer,
)

ORDERS = 300
HOME_SHARE = 0.22  # of the orders placed at 多福巷社区's station
DAYS = 182
HOURS = ("0.5", "1", "1", "1.5", "2", "2", "2.5", "3")
H = dt.timedelta(hours=1)
NEEDS = {
    "meal": ("每天中午送一份午餐", "老人行动不便，请帮忙送餐"),
    "clean": ("厨房和卫生间需要打扫", "帮忙擦窗户、拖地"),
    "escort": ("陪同去社区医院复查", "周三上午去医院拿药"),
    "shopping": ("代买米面油和蔬菜", "帮忙代缴水电费"),
    "repair": ("洗衣机不转了", "电视没有信号"),
    "haircut": ("上门理发", "老人需要理发"),
    "chat": ("独居老人想有人说说话", "陪老人下棋聊天"),
    "psych": ("老伴去世后情绪低落", "需要有人聊聊"),
    "tutoring": ("孩子数学作业辅导", "初二英语辅导"),
    "legal": ("咨询赡养费问题", "租房合同纠纷咨询"),
}
NOTES = ("已完成，老人很满意", "按时上门服务", "服务完成，约好下次再来", "已办妥")
COMMENTS = ("志愿者很耐心，谢谢！", "准时热情", "服务周到", "", "非常感谢", "很满意")
REASONS = ("家人已经帮忙办了", "时间冲突，改天再约", "老人住院了")


@dataclass
class Station:
    site: PracticeSite
    volunteers: list[Volunteer]
    households: list[Household]
    staff: Any


@dataclass
class Context:
    rng: random.Random
    now: dt.datetime
    categories: list[ServiceCategory]
    stations: list[Station]
    home: Station
    resident: User | None
    volunteer_user: User | None
    people: People
    done: dict[str, int] = field(default_factory=dict)


def is_loaded() -> bool:
    return ServiceOrder.objects.filter(site__region__code__startswith=DISTRICT_CODE).exists()


def load_demo_orders(stdout: Any = None, *, orders: int = ORDERS) -> int:
    """Play the orders once; returns how many were placed (0 when present, or when the demo
    network is not loaded)."""
    if is_loaded():
        return 0
    ctx = _context()
    if ctx is None:
        return 0
    with transaction.atomic():
        for t0 in _moments(ctx, orders):
            _play(ctx, t0)
        _home_extras(ctx)
        _late_orders(ctx)
        flag_late_orders(now=ctx.now)
    count = ServiceOrder.objects.count()
    if stdout is not None:
        stdout.write(
            _("Service orders: %(orders)d, %(flagged)d flagged.")
            % {"orders": count, "flagged": ServiceOrder.objects.exclude(flag="").count()}
        )
    return count


def _context() -> Context | None:
    sites = list(
        PracticeSite.objects.filter(
            kind=SiteKind.STATION, region__path__startswith=f"{DISTRICT_CODE}/", active=True
        )
        .select_related("region")
        .order_by("region__code")
    )
    office = User.objects.filter(username="office").first()
    if not sites or office is None:
        return None
    by_region: dict[int, list[Volunteer]] = {}
    for v in (
        Volunteer.objects.filter(active=True, user__isnull=False)
        .select_related("user", "region")
        .prefetch_related("skills", "teams")
        .order_by("pk")
    ):
        by_region.setdefault(v.region_id, []).append(v)
    homes: dict[int, list[Household]] = {}
    for h in Household.objects.filter(active=True).select_related("region").order_by("code"):
        homes.setdefault(h.region_id, []).append(h)
    unit_staff = User.objects.filter(username="unit_duofuxiang").first()
    stations = [
        Station(
            site=s,
            volunteers=by_region.get(s.region_id, []),
            households=homes.get(s.region_id, []),
            staff=unit_staff if s.region.code == HOME_COMMUNITY and unit_staff else office,
        )
        for s in sites
        if by_region.get(s.region_id)
    ]
    home = next((s for s in stations if s.site.region.code == HOME_COMMUNITY), None)
    if home is None:
        return None
    rng = random.Random(2026)
    return Context(
        rng=rng,
        now=timezone.now(),
        categories=list(ServiceCategory.objects.filter(active=True).order_by("seq")),
        stations=stations,
        home=home,
        resident=User.objects.filter(username="resident").first(),
        volunteer_user=User.objects.filter(username="volunteer").first(),
        people=People(rng, phone_prefix="1391000"),
    )


def _moments(ctx: Context, orders: int) -> list[dt.datetime]:
    start = ctx.now - dt.timedelta(days=DAYS)
    span = (ctx.now - start).total_seconds()
    moments = []
    for _n in range(orders):
        t = start + dt.timedelta(seconds=ctx.rng.random() * span)
        local = timezone.localtime(t)
        # Orders come in by day (07:00–20:00).
        moments.append(local.replace(hour=7 + ctx.rng.randint(0, 13)))
    return sorted(m for m in moments if m < ctx.now - H)


def _station(ctx: Context) -> Station:
    if ctx.rng.random() < HOME_SHARE:
        return ctx.home
    return ctx.rng.choice(ctx.stations)


def _order(ctx: Context, st: Station, t0: dt.datetime) -> ServiceOrder:
    rng = ctx.rng
    category = rng.choice(ctx.categories)
    data = OrderInput(
        category=category,
        description=rng.choice(NEEDS.get(category.code, ("",))),
        wanted_on=timezone.localtime(t0).date() + dt.timedelta(days=rng.choice((0, 1, 1, 2))),
        wanted_time=rng.choice((*DayPart.ALL, "")),
        site=st.site,
        notice_version=NOTICE_VERSION,
    )
    draw = rng.random()
    if st is ctx.home and ctx.resident is not None and draw < 0.3:
        data.requester_name = ctx.resident.display_name
        data.requester_phone = "13810000006"
        return place_order(data, actor=ctx.resident, channel=OrderChannel.PHONE)
    if draw < 0.5 and st.households:
        data.household = rng.choice(st.households)
        return place_order(data, actor=None, channel=OrderChannel.HOUSEHOLD_QR)
    data.requester_name = ctx.people.name()
    data.requester_phone = ctx.people.phone()
    if draw < 0.75:
        data.address = f"{st.site.region.name}{rng.randint(1, 40)}号院"
        return place_order(data, actor=None, channel=OrderChannel.SITE_QR)
    data.notice_version = ""
    return place_order(data, actor=st.staff, channel=OrderChannel.STAFF)


def _pick(ctx: Context, st: Station, order: ServiceOrder) -> Volunteer:
    skilled = [v for v in st.volunteers if order.category in v.skills.all()]
    return ctx.rng.choice(skilled or st.volunteers)


def _dispatch(ctx: Context, st: Station, order: ServiceOrder) -> Volunteer | None:
    """派单; returns who will accept it (None when nobody will)."""
    draw = ctx.rng.random()
    if draw < 0.6:
        volunteer = _pick(ctx, st, order)
        orders_flow.dispatch(order, actor=st.staff, volunteer=volunteer)
        return volunteer
    squads = [t for v in st.volunteers for t in v.teams.all() if t.site_id == st.site.pk]
    if draw < 0.75 and squads:
        orders_flow.dispatch(order, actor=st.staff, team=squads[0])
        members = [v for v in st.volunteers if squads[0] in v.teams.all()]
        return ctx.rng.choice(members) if members else None
    orders_flow.open_to_volunteers(order, actor=st.staff)
    return _pick(ctx, st, order)


def _play(ctx: Context, t0: dt.datetime) -> None:
    rng = ctx.rng
    st = _station(ctx)
    with frozen(t0):
        order = _order(ctx, st, t0)
    # Recent orders are caught at every stage; a few older ones stalled (flagged).
    stall = rng.random() < 0.04
    t1 = t0 + H * rng.uniform(0.3, 6)
    t2 = t1 + H * (rng.uniform(30, 60) if stall else rng.uniform(0.2, 12))
    t3 = t2 + H * (rng.uniform(80, 120) if stall else rng.uniform(2, 48))
    t4 = t3 + H * rng.uniform(1, 60)
    if t1 > ctx.now:
        return
    if rng.random() < 0.04:
        with frozen(t1):
            orders_flow.cancel(order, actor=st.staff, reason=rng.choice(REASONS))
        return
    with frozen(t1):
        taker = _dispatch(ctx, st, order)
    if taker is None or t2 > ctx.now:
        return
    with frozen(t2):
        orders_flow.accept(order, actor=taker.user)
    if t3 > ctx.now:
        return
    with frozen(t3):
        orders_complete.complete(
            order, actor=taker.user, hours=rng.choice(HOURS), note=rng.choice(NOTES)
        )
    if t4 > ctx.now or rng.random() < 0.2:
        return
    with frozen(t4):
        orders_flow.rate(
            order,
            actor=order.requester_user,
            rating=rng.choice((5, 5, 5, 4, 4, 3)),
            comment=rng.choice(COMMENTS),
            by_link=order.requester_user is None,
        )


def _home_extras(ctx: Context) -> None:
    """What the demo accounts should find: orders waiting for the demo volunteer, one done and
    waiting for the resident's rating, and family orders paid with banked hours."""
    st, rng = ctx.home, ctx.rng
    me = ctx.volunteer_user
    mine = next((v for v in st.volunteers if me and v.user_id == me.pk), st.volunteers[0])
    for back, step in ((20, "dispatched"), (5, "dispatched"), (3, "open"), (30, "accepted")):
        t0 = ctx.now - H * back
        with frozen(t0):
            order = _order(ctx, st, t0)
        with frozen(t0 + H):
            if step == "open":
                orders_flow.open_to_volunteers(order, actor=st.staff)
            else:
                orders_flow.dispatch(order, actor=st.staff, volunteer=mine)
        if step == "accepted":
            with frozen(t0 + 2 * H):
                orders_flow.accept(order, actor=mine.user)
    # Just ordered, and withdrawn by the resident before anyone took it.
    for back, withdrawn in ((1, False), (30, True)):
        t0 = ctx.now - H * back
        with frozen(t0):
            order = _order(ctx, st, t0)
        if withdrawn:
            with frozen(t0 + H):
                orders_flow.cancel(order, actor=st.staff, reason=REASONS[0])
    if ctx.resident is not None:
        t0 = ctx.now - 50 * H
        with frozen(t0):
            order = _order_for_resident(ctx, t0)
        with frozen(t0 + H):
            orders_flow.dispatch(order, actor=st.staff, volunteer=mine)
        with frozen(t0 + 3 * H):
            orders_flow.accept(order, actor=mine.user)
        with frozen(t0 + 26 * H):
            orders_complete.complete(order, actor=mine.user, hours="1.5", note="已送餐到家")
    _family_orders(ctx, st, rng)


def _late_orders(ctx: Context) -> None:
    """Orders the station should chase: dispatched or open for more than a day and not taken,
    accepted three days ago and not done (the flag job marks them)."""
    rng = ctx.rng
    for n in range(8):
        st = ctx.home if n < 2 else rng.choice(ctx.stations)
        late = n < 5
        t0 = ctx.now - H * (rng.uniform(30, 70) if late else rng.uniform(90, 140))
        with frozen(t0):
            order = _order(ctx, st, t0)
        with frozen(t0 + H):
            if n % 2:
                orders_flow.open_to_volunteers(order, actor=st.staff)
                taker = _pick(ctx, st, order)
            else:
                taker = _pick(ctx, st, order)
                orders_flow.dispatch(order, actor=st.staff, volunteer=taker)
        if not late and taker.user_id != (ctx.volunteer_user.pk if ctx.volunteer_user else 0):
            with frozen(t0 + 3 * H):
                orders_flow.accept(order, actor=taker.user)


def _order_for_resident(ctx: Context, t0: dt.datetime) -> ServiceOrder:
    assert ctx.resident is not None
    data = OrderInput(
        category=ctx.categories[0],
        description="帮忙送一份午餐",
        requester_name=ctx.resident.display_name,
        requester_phone="13810000006",
        site=ctx.home.site,
        notice_version=NOTICE_VERSION,
    )
    return place_order(data, actor=ctx.resident, channel=OrderChannel.PHONE)


def _family_orders(ctx: Context, st: Station, rng: random.Random) -> None:
    """时间银行 存取: volunteers with banked hours order for their family and pay with them."""
    payers = [v for v in st.volunteers if banked_hours(v) >= Decimal("3")][:2]
    for payer in payers:
        others = [v for v in st.volunteers if v.pk != payer.pk]
        if not others:
            continue
        t0 = ctx.now - H * rng.uniform(60, 200)
        data = OrderInput(
            category=rng.choice(ctx.categories),
            description="为家中老人预约服务",
            requester_name=f"{payer.name[:1]}老人",
            requester_phone=ctx.people.phone(),
            site=st.site,
            paid_by=payer,
            notice_version=NOTICE_VERSION,
        )
        with frozen(t0):
            order = place_order(data, actor=payer.user, channel=OrderChannel.PHONE)
        taker = rng.choice(others)
        with frozen(t0 + H):
            orders_flow.dispatch(order, actor=st.staff, volunteer=taker)
        with frozen(t0 + 2 * H):
            orders_flow.accept(order, actor=taker.user)
        try:
            with frozen(t0 + 6 * H):
                orders_complete.complete(order, actor=taker.user, hours="1", note="已完成")
        except PracticeError:
            continue
        if order.status == OrderStatus.COMPLETED:
            with frozen(t0 + 9 * H):
                orders_flow.rate(order, actor=payer.user, rating=5, comment="感谢！")
