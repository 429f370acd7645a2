"""The demo district's 文明储蓄银行, loaded after the practice network.

``load_demo_points(stdout)`` creates, once: the district's 居民公约 (eight items); goods and
redemption windows at the stations of 多福巷社区 and five more communities; and five months of
awards and redemptions for those communities' households and volunteers, played through the
real domain functions (``award_points``, ``redeem``, ``reverse_redemption``) with the clock set
to each planned moment, so the ledger, the stock and the audit log are those the bank writes.
The demo ``resident``'s household (多福巷) has a balance and a history; at each counter the first
household's first redemption was reversed (goods returned).

Guarantees: deterministic (seeded; times relative to the moment of loading); idempotent (once
the district has convention items, nothing is written again); the ledger's books add up to zero.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.accounts.models import User
from chuangcheng.demo.cases import frozen
from chuangcheng.orgs.models import Region
from chuangcheng.practice.demo_network import DISTRICT_CODE, HOME_COMMUNITY
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.points import award_points
from chuangcheng.practice.domain.points_convention import save_item
from chuangcheng.practice.domain.points_shop import save_goods, set_rules
from chuangcheng.practice.domain.redeem import redeem, reverse_redemption
from chuangcheng.practice.enums import SiteKind
from chuangcheng.practice.models import (
    ConventionItem,
    Goods,
    Household,
    PracticeSite,
    Volunteer,
)

# (code, title, points, times per month, details)
CONVENTION = (
    ("sort", "垃圾分类", 5, 4, "按要求分类投放生活垃圾，桶前不乱扔"),
    ("serve", "志愿服务", 10, 4, "参加社区志愿服务活动一次"),
    ("neighbour", "邻里互助", 8, 2, "帮助邻居、照顾孤寡老人等"),
    ("dog", "文明养犬", 3, 2, "遛狗牵绳、及时清理犬只粪便"),
    ("customs", "移风易俗", 10, 1, "婚事新办、丧事简办，不大操大办"),
    ("clean", "环境整治", 5, 4, "清理楼道堆物、参加社区大扫除"),
    ("elders", "孝老爱亲", 8, 2, "孝敬老人、家庭和睦，经邻里认可"),
    ("council", "参与议事", 5, 2, "参加居民议事会、楼门院长会"),
)
# (name, price in points, opening stock, details)
GOODS = (
    ("抽纸（3包）", 10, 40, ""),
    ("牙膏", 12, 30, "120克"),
    ("毛巾", 15, 30, "纯棉"),
    ("洗衣液", 30, 20, "2千克"),
    ("食用油", 50, 12, "1.8升"),
    ("雨伞", 40, 8, "折叠伞"),
    ("保温杯", 60, 6, "500毫升"),
    ("大米（5千克）", 80, 5, ""),
)
# Weekly windows: Wednesday afternoon and Saturday morning.
WINDOWS = ((2, dt.time(15, 0), dt.time(17, 0)), (5, dt.time(9, 0), dt.time(11, 30)))
OTHER_COMMUNITIES = 5
MONTHS = 5


def is_loaded(district: Region) -> bool:
    return ConventionItem.objects.filter(region=district).exists()


def load_demo_points(stdout: Any = None) -> int:
    """Load the bank once; returns how many awards were made (0 when present, or when the
    demo district or its practice network is not loaded)."""
    district = Region.objects.filter(code=DISTRICT_CODE).first()
    office = User.objects.filter(username="office").first()
    if district is None or office is None or is_loaded(district):
        return 0
    stations = list(
        PracticeSite.objects.filter(
            kind=SiteKind.STATION, region__path__startswith=district.path
        ).order_by("region__code")
    )
    home = next((s for s in stations if s.region.code == HOME_COMMUNITY), None)
    if home is None:
        return 0
    chosen = [home, *[s for s in stations if s != home][:OTHER_COMMUNITIES]]
    with transaction.atomic():
        awards, redemptions = _build(district, office, chosen)
    if stdout is not None:
        stdout.write(
            _(
                "Points bank: %(items)d convention items, %(awards)d awards, %(redemptions)d "
                "redemptions."
            )
            % {"items": len(CONVENTION), "awards": awards, "redemptions": redemptions}
        )
    return awards


def _build(district: Region, office: User, stations: list[PracticeSite]) -> tuple[int, int]:
    rng = random.Random(2026)
    now = timezone.now()
    start = now - dt.timedelta(days=30 * MONTHS)
    items = [
        save_item(
            actor=office,
            region=district,
            data={
                "code": code,
                "title": title,
                "points": points,
                "monthly_cap": cap,
                "description": details,
                "seq": seq,
            },
        )
        for seq, (code, title, points, cap, details) in enumerate(CONVENTION, 1)
    ]
    unit = User.objects.filter(username="unit_duofuxiang").first()
    awards = redemptions = 0
    for station in stations:
        staff = unit if unit is not None and station == stations[0] else office
        with frozen(start):
            shelf = [
                save_goods(
                    actor=staff,
                    site=station,
                    data={"name": n, "price": p, "stock": s, "description": d},
                )
                for n, p, s, d in GOODS
            ]
            set_rules(station, actor=staff, min_balance=station.min_redeem_balance, windows=[])
        owners: list[Household | Volunteer] = [
            *Household.objects.filter(region=station.region, active=True).order_by("code"),
            *Volunteer.objects.filter(region=station.region, active=True).order_by("name")[:2],
        ]
        a, r = _history(rng, staff, items=items, shelf=shelf, owners=owners, start=start, now=now)
        awards += a
        redemptions += r
        # The windows apply from now on: the history above was redeemed at the counter anyway.
        set_rules(station, actor=staff, min_balance=station.min_redeem_balance, windows=WINDOWS)
    return awards, redemptions


def _moments(rng: random.Random, start: dt.datetime, now: dt.datetime, n: int) -> list[dt.datetime]:
    """``n`` times between ``start`` and yesterday, in daytime hours, sorted."""
    span = (now - start).days - 1
    found = []
    for _i in range(n):
        day = timezone.localtime(start + dt.timedelta(days=rng.randrange(span)))
        found.append(day.replace(hour=rng.randrange(9, 18), minute=rng.randrange(60)))
    return sorted(found)


def _history(
    rng: random.Random,
    staff: User,
    *,
    items: list[ConventionItem],
    shelf: list[Goods],
    owners: list[Household | Volunteer],
    start: dt.datetime,
    now: dt.datetime,
) -> tuple[int, int]:
    awards = redemptions = 0
    for n, owner in enumerate(owners):
        # The first household (the demo resident's at 多福巷) is the most active.
        events = _moments(rng, start, now, 14 if n == 0 else rng.randrange(3, 11))
        for i, moment in enumerate(events):
            with frozen(moment):
                if i % 4 == 3:
                    goods = rng.choice(shelf[:4])
                    try:
                        made, _new = redeem(actor=staff, goods=goods, owner=owner, now=moment)
                    except PracticeError:
                        continue  # below the minimum or not enough points: no redemption
                    redemptions += 1
                    if n == 0 and redemptions == 1:
                        reverse_redemption(made, actor=staff, reason="商品有破损，已退回")
                    continue
                item = rng.choice(items)
                try:
                    award_points(
                        actor=staff,
                        item=item,
                        owner=owner,
                        note=rng.choice(("", "", "入户核实", "活动签到表为证", "邻居反映")),
                        now=moment,
                    )
                except PracticeError:
                    continue  # the item's monthly cap was reached
                awards += 1
    return awards, redemptions
