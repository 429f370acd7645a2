"""A realistic November 2026 for bulletins: four streets, seven units, about forty cases of
every kind, and before/after photos drawn with Pillow."""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageDraw

from chuangcheng.cases.domain.photos import store_photo
from chuangcheng.cases.enums import CaseSource, CaseStatus, PhotoStage
from chuangcheng.cases.models import Case, Category, Photo
from chuangcheng.orgs.enums import RegionLevel, UnitKind
from chuangcheng.orgs.models import Region, Unit
from tests.cases.figures_fixtures import at, make_case
from tests.conftest import World
from tests.factories import RegionFactory, UnitFactory

S = CaseStatus
NOW = at(12, 5, 9)

PROBLEMS = [
    ("S0101", "绿化带内堆放生活垃圾，未及时清运"),
    ("S0104", "居民楼外墙被喷涂小广告多处"),
    ("S0201", "电线杆上张贴非法小广告"),
    ("B0102", "路灯不亮，夜间行人通行不便"),
    ("S0103", "人行道路面油污，多处卫生死角"),
    ("B0105", "分类垃圾桶破损，桶盖缺失"),
    ("S0302", "工地裸土未覆盖，扬尘明显"),
    ("B0401", "行道树断枝悬挂，存在安全隐患"),
    ("S0105", "公厕异味重，洗手池堵塞"),
    ("B0203", "盲道被共享单车占压"),
]
# Addresses in each of the four streets, in the order of ``places`` below.
ADDRESSES = [
    ["多福巷12号", "东华门大街北侧", "王府井大街北口", "南池子大街27号"],
    ["景山后街施工工地", "吉祥社区公共卫生间", "地安门东大街南侧", "景山东街8号"],
    ["交道口南大街47号门前", "菊儿胡同东口", "南锣鼓巷北口", "府学胡同31号"],
    ["北新桥三条12号楼", "东直门南小街38号", "东四十条路口东侧", "民安小区东门"],
]


@dataclass
class Realistic:
    streets: list[Region]
    units: list[Unit]
    cases: list[Case]


def scene(before: bool, seed: int) -> bytes:
    """A street picture: litter, posters and a broken bin before; the same place clean after."""
    rng = random.Random(seed)
    img = Image.new("RGB", (960, 720), (186, 214, 236))
    d = ImageDraw.Draw(img)
    for x in range(0, 960, 160):
        height = rng.randint(260, 420)
        shade = rng.randint(150, 200)
        d.rectangle([x, 720 - 300 - height, x + 150, 420], fill=(shade, shade - 20, shade - 40))
        for wx in range(x + 15, x + 140, 35):
            for wy in range(720 - 280 - height, 400, 45):
                d.rectangle([wx, wy, wx + 18, wy + 25], fill=(90, 110, 130))
    d.rectangle([0, 420, 960, 520], fill=(200, 196, 188))  # pavement
    d.rectangle([0, 520, 960, 720], fill=(88, 92, 96))  # road
    for x in range(30, 960, 140):
        d.rectangle([x, 612, x + 70, 622], fill=(240, 240, 240))
    d.ellipse([60, 330, 170, 440], fill=(60, 140, 70))  # a tree
    d.rectangle([108, 420, 122, 470], fill=(110, 80, 50))
    if before:
        for _i in range(14):
            x, y = rng.randint(250, 880), rng.randint(430, 505)
            colour = rng.choice([(120, 90, 60), (230, 230, 220), (40, 40, 40), (200, 60, 60)])
            d.ellipse([x, y, x + rng.randint(20, 60), y + rng.randint(10, 30)], fill=colour)
        for _i in range(6):
            x, y = rng.randint(200, 880), rng.randint(300, 400)
            d.rectangle([x, y, x + 30, y + 40], fill=(250, 250, 200), outline=(200, 50, 50))
        d.polygon([(700, 470), (760, 470), (770, 420), (690, 420)], fill=(40, 120, 60))
    else:
        d.rectangle([700, 420, 760, 480], fill=(40, 120, 60))  # an intact bin
        d.rectangle([700, 412, 760, 422], fill=(30, 90, 50))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def _photo(case: Case, stage: str, seed: int, when: dt.datetime) -> Photo:
    photo = store_photo(
        scene(stage == PhotoStage.REPORT, seed),
        actor=None,
        name="scene.jpg",
        stage=stage,
        taken_at=when,
    )
    Photo.objects.filter(pk=photo.pk).update(case=case, stage=stage)
    return photo


def build(
    world: World, categories: dict[str, Category], *, photos: bool = True, suffix: str = ""
) -> Realistic:
    """43 cases reported or due in November 2026 across four streets, read at NOW (5 December):
    38 dispatched and due in November, 3 reports not registered, 2 due in December. Call again
    with another ``suffix`` for two more streets and a unit holding the same mix."""
    w = world
    n = suffix
    s3 = RegionFactory(code=f"110101003{n}", name=f"交道口街道{n}", parent=w.district)
    s4 = RegionFactory(code=f"110101004{n}", name=f"北新桥街道{n}", parent=w.district)
    c3 = RegionFactory(
        code=f"110101003001{n}", name=f"菊儿社区{n}", level=RegionLevel.COMMUNITY, parent=s3
    )
    c4 = RegionFactory(
        code=f"110101004001{n}", name=f"民安社区{n}", level=RegionLevel.COMMUNITY, parent=s4
    )
    u3 = UnitFactory(
        code=f"S003{n}", name=f"交道口街道办事处{n}", kind=UnitKind.TERRITORIAL, region=s3
    )
    u4 = UnitFactory(
        code=f"S004{n}", name=f"北新桥街道办事处{n}", kind=UnitKind.TERRITORIAL, region=s4
    )
    green = UnitFactory(
        code=f"L003{n}", name=f"区园林绿化局{n}", kind=UnitKind.LINE, region=w.district
    )
    places: list[tuple[Region, Unit]] = [
        (w.c1, w.unit_s1),
        (w.c2, w.unit_s2),
        (c3, u3),
        (c4, u4),
    ]
    line_units = [w.line_cg, w.line_sj, green]
    rng = random.Random(2026)
    cases: list[Case] = []
    # (status, late, rework, extended, suspended, recurrent) for each case, in a fixed mix.
    mix: list[tuple[str, bool, int, int, bool, bool]] = [
        *[(S.CLOSED, False, 0, 0, False, False)] * 16,
        *[(S.CLOSED, True, 1, 0, False, False)] * 5,
        (S.CLOSED, False, 2, 0, False, True),
        (S.CLOSED, True, 1, 1, False, True),
        (S.CLOSED, False, 0, 0, True, False),
        *[(S.FEEDBACK, False, 0, 0, False, False)] * 4,
        *[(S.DISPATCHED, False, 0, 0, False, False)] * 5,
        (S.DISPATCHED, False, 0, 1, False, True),
        *[(S.REWORK, False, 1, 0, False, False)] * 3,
        (S.SUSPENDED, False, 0, 0, True, False),
    ]
    for i, (status, late, rework, ext, susp, recurrent) in enumerate(mix):
        region, territorial = places[i % 4]
        lead = line_units[(i // 3) % 3] if i % 3 == 0 else territorial
        code, text = PROBLEMS[i % len(PROBLEMS)]
        address = ADDRESSES[i % 4][(i // 4) % 4]
        due = at(11, 2 + (i * 7) % 27, 9 + i % 8)
        handled = None
        if status in (S.CLOSED, S.FEEDBACK):
            handled = (
                due + dt.timedelta(hours=rng.randint(20, 60))
                if late
                else due - dt.timedelta(hours=rng.randint(2, 20))
            )
        closed = (
            handled + dt.timedelta(hours=rng.randint(3, 30))
            if status == S.CLOSED and handled
            else None
        )
        case = make_case(
            region,
            lead,
            status=status,
            due=due,
            dispatched=due - dt.timedelta(days=1),
            feedback=handled,
            closed=closed,
            rework=rework,
            extensions=ext,
            suspended=susp,
            category=categories[code],
            description=text,
            address=address,
            source=[
                CaseSource.INSPECTION,
                CaseSource.SUPERVISOR,
                CaseSource.RESIDENT,
                CaseSource.HOTLINE,
            ][i % 4],
            territorial_unit=territorial,
            recurrent=recurrent,
            escalated_at=due + dt.timedelta(hours=2)
            if status in (S.DISPATCHED, S.REWORK)
            else None,
        )
        cases.append(case)
        if (
            photos
            and status in (S.CLOSED, S.FEEDBACK)
            and (recurrent or late or rework or i % 5 == 0)
        ):
            _photo(case, PhotoStage.REPORT, i, case.reported_at)
            _photo(case, PhotoStage.AFTER, i + 1000, handled or due)
    # Reports of the period that never became cases, and a few not yet due.
    for i in range(3):
        cases.append(
            make_case(
                w.c1, None, status=S.REJECTED, reported=at(11, 10 + i), description="重复上报"
            )
        )
    for i in range(2):
        cases.append(
            make_case(c3, u3, status=S.DISPATCHED, due=at(12, 20 + i), reported=at(11, 28))
        )
    return Realistic(
        streets=[w.s1, w.s2, s3, s4], units=[*line_units, w.unit_s1, w.unit_s2, u3, u4], cases=cases
    )


def bulletin_meta(**overrides: Any) -> Any:
    from chuangcheng.cases.domain.bulletin import BulletinMeta

    values = {
        "title": "关于2026年11月城市管理问题督查整改情况的通报",
        "number": "东城区文明办〔2026〕第11期",
        "issuer": "东城区文明办",
        "recipients": "各街道办事处，区各有关单位：",
        "date": dt.date(2026, 12, 5),
    }
    values.update(overrides)
    return BulletinMeta(**values)
