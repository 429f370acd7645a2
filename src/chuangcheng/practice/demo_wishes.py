"""The demo district's 微心愿, loaded after the practice network.

``load_demo_wishes(stdout)`` creates, once, through the wish domain functions (so every wish has
its timeline and audit entries), about sixty wishes of the last five months in every state:
waiting for review, on the wall, claimed (some past their wanted-by date), fulfilled with a
drawn evidence photo, rated, cancelled. They are claimed by the volunteers of their community
and by line units (城管委, 市场监管局). Five are the demo resident's own in 多福巷社区, one of them
claimed by the demo volunteer and one fulfilled and waiting for the resident's rating.
Deterministic (fixed seed); the timeline carries the dates of the story, not of the load.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.accounts.models import User
from chuangcheng.demo.names import People
from chuangcheng.practice.domain import wishes
from chuangcheng.practice.domain.wishes_submit import NOTICE_VERSION, WishData, submit_wish
from chuangcheng.practice.enums import SiteKind, WishStatus
from chuangcheng.practice.models import PracticeSite, Volunteer, Wish, WishEvent

DISTRICT_PATH = "110101/"
HOME_COMMUNITY = "110101001001"  # 多福巷社区
STREET_STAFF = {
    "110101001": "unit_donghuamen",
    "110101002": "unit_jingshan",
    "110101011": "unit_qianmen",
}
LINE_UNITS = ("unit_cgw", "unit_scjg")
# (what is wished for, details)
TITLES = (
    ("一副老花镜", "看报纸、看药盒上的字越来越吃力。"),
    ("一台收音机", "老伴去世后一个人在家，想听听戏曲。"),
    ("助行器一个", "腿脚不便，下楼买菜需要扶着。"),
    ("孩子的课外绘本", "两个孩子，一个上一年级，一个上幼儿园。"),
    ("冬天的厚棉被", "家里暖气不太热，被子有些薄。"),
    ("上门理发一次", "卧床老人，行动不便。"),
    ("教我用智能手机挂号", "想学会自己在手机上挂号、看检查结果。"),
    ("一个电子血压计", "有高血压，每天需要量。"),
    ("修理老式洗衣机", "洗衣机不排水了。"),
    ("书包和文具", "孩子下学期升初中。"),
    ("陪同去医院复查", "子女在外地，一个人去医院不方便。"),
    ("一盏护眼台灯", "孩子写作业光线不好。"),
    ("轮椅一辆", "术后康复期间出门用。"),
    ("换一个燃气报警器", "原来的报警器坏了。"),
    ("学写毛笔字的字帖和毛笔", "退休后想练练字。"),
    ("春节写一副春联", "眼睛不好，自己写不了了。"),
)
# How many wishes end in each state (besides the demo resident's five).
PLAN = (
    (WishStatus.SUBMITTED, 6),
    (WishStatus.PUBLISHED, 12),
    (WishStatus.CLAIMED, 9),
    (WishStatus.FULFILLED, 7),
    (WishStatus.RATED, 15),
    (WishStatus.CANCELLED, 6),
)
HOME_PLAN = (
    WishStatus.SUBMITTED,
    WishStatus.PUBLISHED,
    WishStatus.CLAIMED,
    WishStatus.FULFILLED,
    WishStatus.RATED,
)
REASONS = ("家属已经买好了", "重复提交", "老人已搬去子女家住", "已由社区其他项目解决")
COMMENTS = ("志愿者很热心，谢谢！", "东西很实用。", "非常及时，感谢社区。", "", "很满意。")
NOTES = ("已送到老人家中，并教会使用。", "和社区工作人员一起上门送达。", "已完成，老人很高兴。")


@dataclass
class Cast:
    """Who acts in the story, and the seeded draws shared by every wish."""

    office: User
    staff: dict[str, User]
    units: list[User]
    resident: User | None
    volunteer: User | None
    volunteers: dict[int, list[User]] = field(default_factory=dict)  # by community id
    rng: random.Random = field(default_factory=lambda: random.Random(20260308))
    names: People | None = None
    now: dt.datetime = field(default_factory=timezone.now)

    def later(self, at: dt.datetime, delta: dt.timedelta) -> dt.datetime:
        """``delta`` after ``at``, but never in the future (a fresh wish's steps bunch up)."""
        return max(at, min(at + delta, self.now - dt.timedelta(minutes=5)))


def load_demo_wishes(stdout: Any = None) -> int:
    """Create the demo wishes once; returns how many (0 when present, or when the demo
    district or its practice network is not loaded)."""
    stations = list(
        PracticeSite.objects.filter(
            kind=SiteKind.STATION, region__path__startswith=DISTRICT_PATH, active=True
        )
        .select_related("region", "region__parent")
        .order_by("region__path")
    )
    office = User.objects.filter(username="office").first()
    if not stations or office is None:
        return 0
    if Wish.objects.filter(region__path__startswith=DISTRICT_PATH).exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=_usernames())}
    people = Cast(
        office=office,
        staff={code: users[name] for code, name in STREET_STAFF.items() if name in users},
        units=[users[name] for name in LINE_UNITS if name in users],
        resident=users.get("resident"),
        volunteer=users.get("volunteer"),
    )
    with transaction.atomic():
        count = _build(stations, people)
    if stdout is not None:
        stdout.write(_("Micro-wishes: %(n)d.") % {"n": count})
    return count


def _usernames() -> list[str]:
    return [*STREET_STAFF.values(), *LINE_UNITS, "resident", "volunteer", "unit_duofuxiang"]


def _build(stations: list[PracticeSite], people: Cast) -> int:
    rng = people.rng
    people.names = People(rng, phone_prefix="1351000")
    now = people.now
    for v in Volunteer.objects.filter(active=True, user__isnull=False).select_related("user"):
        people.volunteers.setdefault(v.region_id, []).append(v.user)  # type: ignore[arg-type]
    home = next((s for s in stations if s.region.code == HOME_COMMUNITY), None)
    count = 0
    if home is not None and people.resident is not None:
        for i, status in enumerate(HOME_PLAN):
            created = now - dt.timedelta(days=2 + i * 9, hours=3)
            _one(home, status, created, i, people, mine=True)
            count += 1
    ends = [status for status, n in PLAN for _ in range(n)]
    rng.shuffle(ends)
    on_home_wall = 0
    for i, status in enumerate(ends):
        station = rng.choice(stations)
        # A few more on 多福巷's wall, for the demo volunteer to claim.
        if home is not None and status == WishStatus.PUBLISHED and on_home_wall < 3:
            station, on_home_wall = home, on_home_wall + 1
        created = now - dt.timedelta(days=rng.randint(8, 150), hours=rng.randint(0, 10))
        if status in (WishStatus.SUBMITTED, WishStatus.PUBLISHED):
            created = now - dt.timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 10))
        _one(station, status, created, i + 5, people, mine=False)
        count += 1
    return count


def _staff(station: PracticeSite, people: Cast) -> User:
    street = station.region.parent
    return people.staff.get(street.code if street else "", people.office)


def _one(
    station: PracticeSite, status: str, created: dt.datetime, n: int, people: Cast, *, mine: bool
) -> Wish:
    """Wish number ``n`` of the story, made at ``created`` and moved on to ``status``."""
    rng, names = people.rng, people.names
    assert names is not None
    title, details = TITLES[n % len(TITLES)]
    staff = _staff(station, people)
    resident = people.resident if mine else None
    data = WishData(
        title=title,
        description=details,
        beneficiary_name=resident.display_name if resident else names.name(),
        beneficiary_phone="13810000006" if resident else names.phone(),
        due_on=(created + dt.timedelta(days=rng.randint(14, 45))).date(),
        notice_version=NOTICE_VERSION,
    )
    # Half the others came in through the station's public link, half were taken down by
    # staff at the door; the demo resident's through her account.
    by_link = not mine and (n % 2 == 0 or status == WishStatus.SUBMITTED)
    author = resident if mine else (None if by_link else staff)
    wish = submit_wish(station, data, actor=author, by_link=by_link, now=created)
    at = created
    _date_last(wish, at)
    if status == WishStatus.SUBMITTED:
        return wish
    if wish.status == WishStatus.SUBMITTED:
        at = people.later(at, dt.timedelta(hours=rng.randint(2, 30)))
        wishes.publish_wish(wish, actor=staff, now=at)
        _date_last(wish, at)
    if status == WishStatus.CANCELLED:
        at = people.later(at, dt.timedelta(days=rng.randint(1, 6)))
        wishes.cancel_wish(wish, actor=staff, reason=rng.choice(REASONS), now=at)
        _date_last(wish, at)
        return wish
    if status == WishStatus.PUBLISHED:
        return wish
    at = people.later(at, dt.timedelta(hours=rng.randint(3, 72)))
    claimer = _claimer(wish, people, mine)
    wishes.claim_wish(wish, actor=claimer, now=at)
    _date_last(wish, at)
    if status == WishStatus.CLAIMED:
        return wish
    at = people.later(at, dt.timedelta(days=rng.randint(1, 10)))
    note = rng.choice(NOTES)
    wishes.fulfil_wish(wish, actor=claimer, note=note, files=[_photo(wish)], now=at)
    _date_last(wish, at)
    if status == WishStatus.FULFILLED:
        return wish
    at = people.later(at, dt.timedelta(hours=rng.randint(5, 60)))
    rater, link = (resident, False) if resident else (None, True)
    rating = rng.choice((5, 5, 5, 4, 4, 3))
    comment = rng.choice(COMMENTS)
    wishes.rate_wish(wish, actor=rater, rating=rating, comment=comment, by_link=link, now=at)
    _date_last(wish, at)
    return wish


def _claimer(wish: Wish, people: Cast, mine: bool) -> User:
    """The demo volunteer for the demo resident's wishes; else a volunteer of the community,
    or (about one in three) a line unit."""
    if mine and people.volunteer is not None:
        return people.volunteer
    local = [u for u in people.volunteers.get(wish.region_id, []) if u != people.volunteer]
    if people.units and (not local or people.rng.random() < 0.3):
        return people.rng.choice(people.units)
    return people.rng.choice(local)


def _date_last(wish: Wish, at: dt.datetime) -> None:
    """Give the newest timeline event the story's date (events are stamped when written)."""
    last = WishEvent.objects.filter(wish=wish).order_by("-pk").values_list("pk", flat=True)[:1]
    WishEvent.objects.filter(pk__in=list(last)).update(at=at)


def _photo(wish: Wish) -> SimpleUploadedFile:
    """A drawn picture labelled 示例照片 with the wish's number: never taken for a real photo."""
    from PIL import Image, ImageDraw

    from chuangcheng.demo.photos import _font

    image = Image.new("RGB", (480, 360), (252, 236, 214))
    draw = ImageDraw.Draw(image)
    draw.rectangle([150, 120, 330, 280], fill=(200, 16, 46))  # a gift box
    draw.rectangle([230, 120, 250, 280], fill=(242, 183, 5))
    draw.rectangle([150, 185, 330, 205], fill=(242, 183, 5))
    font, cjk = _font(22)
    label = f"示例照片 · 微心愿 {wish.code}" if cjk else f"SAMPLE {wish.code}"
    draw.text((20, 20), label, fill=(60, 60, 60), font=font)
    draw.text((20, 310), wish.title if cjk else "", fill=(60, 60, 60), font=font)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile(f"{wish.code}.jpg", out.getvalue(), content_type="image/jpeg")
