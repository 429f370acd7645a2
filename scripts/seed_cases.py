"""Put N cases at the demo district's points, spread over every workflow state, through the
domain functions (so timelines, audit entries, duplicates and recurrence are real). For
screenshots and for timing the case pages at scale; never run against real data.

    chuangcheng migrate && chuangcheng demo load
    python scripts/seed_cases.py 200          # uses DATABASE_URL, like the chuangcheng command
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import sys


def _jpeg(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    img = Image.new("RGB", (480, 360), (rng.randint(90, 200), rng.randint(90, 200), 120))
    draw = ImageDraw.Draw(img)
    for _ in range(6):
        x, y = rng.randint(0, 420), rng.randint(0, 300)
        draw.rectangle([x, y, x + 60, y + 40], fill=(rng.randint(0, 255), 80, 60))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=80)
    return buf.getvalue()


def main(n: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangcheng.settings")
    import django

    django.setup()
    from django.utils import timezone

    from chuangcheng.accounts.models import User
    from chuangcheng.cases.catalog import load_categories
    from chuangcheng.cases.domain import actions
    from chuangcheng.cases.domain.intake import CaseData, create_case
    from chuangcheng.cases.domain.photos import store_photo
    from chuangcheng.cases.enums import CaseSource, PhotoStage
    from chuangcheng.cases.models import Case, Category
    from chuangcheng.points.models import Point

    load_categories()
    rng = random.Random(20261122)
    office = User.objects.get(username="office")
    subs = list(Category.objects.filter(parent__isnull=False, urgent=False))
    points = list(Point.objects.select_related("territorial_unit", "line_unit")[:120])
    texts = [
        "巷口垃圾堆放未清运",
        "墙面有小广告",
        "共享单车乱停放占用盲道",
        "店外经营占道",
        "公益广告牌破损",
        "绿化带黄土裸露",
        "路灯不亮",
        "公厕有异味",
    ]
    sources = [
        CaseSource.INSPECTION,
        CaseSource.RESIDENT,
        CaseSource.SUPERVISOR,
        CaseSource.HOTLINE,
    ]
    now = timezone.now()
    for i in range(n):
        point = rng.choice(points)
        category = rng.choice(subs)
        photo = store_photo(_jpeg(i), actor=office, name=f"p{i}.jpg")
        case = create_case(
            CaseData(
                source=rng.choice(sources),
                description=f"{point.name}{rng.choice(texts)}",
                category=category if rng.random() < 0.7 else None,
                point=point,
                reported_at=now - dt.timedelta(hours=rng.randint(1, 24 * 20)),
                photos=[photo],
                reporter_phone="13800138000" if i % 3 == 0 else "",
            ),
            actor=office,
        )
        if case.status != "reported":
            continue
        stage = rng.random()
        if stage < 0.3:
            continue  # stays in the intake queue
        lead = (
            point.territorial_unit
            if category.kind == "event"
            else (point.line_unit or point.territorial_unit)
        )
        actions.register_and_dispatch(case, actor=office, lead=lead, category=category)
        if stage < 0.55:
            if rng.random() < 0.4:  # overdue
                Case.objects.filter(pk=case.pk).update(
                    due_at=now - dt.timedelta(hours=rng.randint(1, 60))
                )
            continue
        after = store_photo(_jpeg(1000 + i), actor=office, name="after.jpg", stage=PhotoStage.AFTER)
        actions.feedback(case, actor=None, unit=lead, text="已安排人员处置完毕", photos=[after])
        if stage < 0.7:
            continue
        if rng.random() < 0.3:
            actions.verify(case, actor=office, passed=False, note="现场仍有残留，请彻底整改")
            actions.feedback(case, actor=None, unit=lead, text="已再次清理")
        actions.verify(case, actor=office, passed=True)
    print(f"{Case.objects.count()} cases")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
