"""Demo inspection rounds for the demo district, loaded after ``demo.loader.load_demo``.

``load_demo_rounds(stdout)`` creates, once:
- a finished 模拟测评 (mock assessment) of last month over the whole district, points spread over
  streets, every point inspected by the demo inspector: mostly 符合, some 不适用, and some 不符合
  that became cases dispatched to the points' units;
- an open 日常督查 (routine check) for this month over 景山街道, assigned to the demo inspector.
The demo inspector gets 东华门街道 as home street; the routine round keeps inspectors out of their
own street. Fixed seeds make every load the same.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.accounts.models import User
from chuangcheng.cases.catalog import load_categories
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.demo import catalog
from chuangcheng.frameworks.enums import FrameworkStatus
from chuangcheng.frameworks.models import Framework
from chuangcheng.inspections.domain import checklist, planning
from chuangcheng.inspections.domain.submit import ItemData, SubmissionData, submit_inspection
from chuangcheng.inspections.enums import Result, RoundKind
from chuangcheng.inspections.models import Round, RoundPoint
from chuangcheng.orgs.models import Region
from chuangcheng.points.models import PointType

SEED = 20261101
HOME_STREET = "110101001"  # 东华门街道
ROUTINE_STREET = "110101002"  # 景山街道
MOCK_QUOTAS = {
    "back_alley": 8,
    "main_road": 5,
    "residential_compound": 4,
    "public_toilet": 4,
    "restaurant": 4,
    "community": 3,
    "farmers_market": 3,
    "square_park": 3,
    "intersection": 2,
    "hotel": 2,
    "mall_supermarket": 2,
}
ROUTINE_QUOTAS = {"back_alley": 4, "main_road": 2, "public_toilet": 2, "restaurant": 2}

# What an inspector writes for a failed clause, by a word of the clause (first match wins).
FAIL_NOTES = (
    ("小广告", "电线杆和配电箱上有小广告3处"),
    ("乱贴", "墙面有乱贴乱画，约2平方米"),
    ("公益广告", "公益广告画面褪色，一处破损"),
    ("垃圾", "路面有散落垃圾和烟头，垃圾桶满溢"),
    ("店外经营", "两家商户店外摆放货架"),
    ("占道", "早点摊占用人行道经营"),
    ("停放", "共享单车乱停，占用盲道"),
    ("标价", "三个摊位未明码标价"),
    ("吸烟", "就餐区有人吸烟，无人劝阻"),
    ("禁烟", "未张贴禁烟标识"),
    ("公筷", "未设置公筷公勺提示"),
    ("厕", "地面湿滑，有异味，洗手液缺失"),
    ("消防", "消防通道堆放杂物"),
    ("楼道", "楼道堆放杂物和自行车"),
    ("礼让", "机动车未礼让行人2起"),
    ("红灯", "非机动车闯红灯多起"),
    ("文明实践", "实践站活动记录缺近两月内容"),
    ("分类", "分类桶标识不清，其他垃圾桶内混投明显"),
    ("农残", "检测室未公示当日检测结果"),
    ("油烟", "油烟净化设施未开启，排口有油渍"),
    ("划行归市", "蔬菜区与熟食区混摆，两处摊位外摆"),
    ("盲道", "盲道被电动车占用，中断两处"),
    ("宣传栏", "宣传栏内容仍为上季度"),
    ("志愿服务", "志愿服务站点无人值守，标识缺失"),
)
DEFAULT_NOTE = "不符合要求，已现场告知负责人"


@dataclass
class DemoRounds:
    created: bool
    mock: Round | None = None
    routine: Round | None = None
    cases: int = 0


def _month(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _note(text: str) -> str:
    return next((note for word, note in FAIL_NOTES if word in text), DEFAULT_NOTE)


def _quotas(spec: dict[str, int]) -> dict[int, int]:
    ids = dict(PointType.objects.filter(code__in=spec).values_list("code", "pk"))
    return {ids[code]: n for code, n in spec.items() if code in ids}


def _inspect_all(round_: Round, when: tuple[dt.date, dt.date], rng: random.Random) -> int:
    """Record an inspection at every point of the round: about 86 % 符合, 6 % 不适用, 8 % 不符合."""
    clauses = checklist.field_clauses(round_.framework_id)
    points = list(
        RoundPoint.objects.filter(round=round_)
        .select_related("round", "round__region", "point", "point__territorial_unit", "inspector")
        .order_by("seq")
    )
    days = (when[1] - when[0]).days + 1
    cases = 0
    for rp in points:
        items: list[ItemData] = []
        for clause in checklist.for_type(clauses, rp.point.type_id):
            roll = rng.random()
            if roll < 0.08:
                items.append(ItemData(clause.id, Result.FAIL, note=_note(clause.text)))
            elif roll < 0.14:
                items.append(ItemData(clause.id, Result.NA))
            else:
                items.append(ItemData(clause.id, Result.PASS))
        if not items:
            continue
        day = when[0] + dt.timedelta(days=rng.randrange(min(days, 20)))
        observed = timezone.make_aware(
            dt.datetime.combine(day, dt.time(9 + rng.randrange(8), rng.randrange(60)))
        )
        result = submit_inspection(
            SubmissionData(
                client_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                round_point=rp,
                items=items,
                observed_at=observed,
                lng=rp.point.lng,
                lat=rp.point.lat,
                accuracy_m=5 + rng.randrange(20),
            ),
            actor=rp.inspector,
        )
        cases += len(result.cases)
    return cases


@transaction.atomic
def load_demo_rounds(stdout: Any = None, *, today: dt.date | None = None) -> DemoRounds:
    """Create the two demo rounds, or nothing when demo rounds exist already (idempotent)."""
    today = today or timezone.localdate()
    district = Region.objects.get(code=catalog.DISTRICT_CODE)
    if Round.objects.filter(region__path__startswith=district.path).exists():
        if stdout is not None:
            stdout.write(_("Demo inspection rounds exist already; nothing was changed."))
        return DemoRounds(created=False)
    load_categories()
    office = User.objects.get(username="office")
    walker = User.objects.get(username="inspector")
    streets = {r.code: r for r in Region.objects.filter(code__in=[HOME_STREET, ROUTINE_STREET])}
    walker.home_region = streets[HOME_STREET]
    walker.save(update_fields=["home_region"])
    audit.record("demo", AuditAction.UPDATE, walker, after={"home_region": streets[HOME_STREET].pk})
    framework = Framework.objects.get(code=catalog.FRAMEWORK_CODE, status=FrameworkStatus.ACTIVE)
    rng = random.Random(SEED)

    last = _month(_month(today)[0] - dt.timedelta(days=1))
    mock, _draw = planning.create_round(
        planning.RoundData(
            name=f"{last[0].year}年{last[0].month}月模拟测评",
            kind=RoundKind.MOCK,
            framework=framework,
            region=district,
            period_start=last[0],
            period_end=last[1],
            quotas=_quotas(MOCK_QUOTAS),
            inspectors=[walker],
            stratify_by_street=True,
            seed=SEED,
        ),
        actor=office,
    )
    planning.open_round(mock, actor=office)
    cases = _inspect_all(mock, last, rng)
    mock = planning.finish_round(mock, actor=office)

    this = _month(today)
    routine, _draw = planning.create_round(
        planning.RoundData(
            name=f"{this[0].year}年{this[0].month}月日常督查（景山街道）",
            kind=RoundKind.ROUTINE,
            framework=framework,
            region=streets[ROUTINE_STREET],
            period_start=this[0],
            period_end=this[1],
            quotas=_quotas(ROUTINE_QUOTAS),
            inspectors=[walker],
            avoid_own_street=True,
            repeat_monthly=True,
            seed=SEED + 1,
        ),
        actor=office,
    )
    routine = planning.open_round(routine, actor=office)
    if stdout is not None:
        stdout.write(
            _(
                "Demo inspection rounds: %(mock)s (finished, %(mock_points)d points, %(cases)d "
                "cases), %(routine)s (open, %(routine_points)d points)."
            )
            % {
                "mock": mock.name,
                "mock_points": mock.round_points.count(),
                "cases": cases,
                "routine": routine.name,
                "routine_points": routine.round_points.count(),
            }
        )
    return DemoRounds(created=True, mock=mock, routine=routine, cases=cases)
