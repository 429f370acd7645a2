"""The demo wishes on the small world (district 110101, whose c1 is 多福巷社区 like the demo's):
every state is reached through the domain, the demo resident's five wishes are claimed by the
demo volunteer, line units claim some, the timeline carries the story's dates, and loading twice
adds nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

from django.db.models import Count
from django.utils import timezone

from chuangcheng.accounts.enums import Role
from chuangcheng.practice.demo_wishes import load_demo_wishes
from chuangcheng.practice.enums import WishStatus
from chuangcheng.practice.models import Volunteer, Wish, WishEvent
from tests.factories import UserFactory, grant
from tests.practice.conftest import PracticeWorld


def test_demo_wishes(pw: PracticeWorld, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    w = pw.world
    resident = UserFactory(username="resident", display_name="王淑珍")
    grant(resident, Role.RESIDENT, region=w.c1)
    pw.h1.members.add(resident)
    volunteer = UserFactory(username="volunteer", display_name="郑晓雨")
    grant(volunteer, Role.VOLUNTEER, region=w.c1)
    Volunteer.objects.create(
        user=volunteer, name="郑晓雨", region=w.c1, registered_at=dt.date(2025, 1, 1)
    )
    cgw = UserFactory(username="unit_cgw", display_name="城管委联络员")
    grant(cgw, Role.UNIT, unit=w.line_cg)
    out = StringIO()
    assert load_demo_wishes(out) == 60
    assert "微心愿：60 个。" in out.getvalue()
    counts = dict(Wish.objects.values_list("status").annotate(n=Count("pk")))
    assert counts == {
        WishStatus.SUBMITTED: 7,
        WishStatus.PUBLISHED: 13,
        WishStatus.CLAIMED: 10,
        WishStatus.FULFILLED: 8,
        WishStatus.RATED: 16,
        WishStatus.CANCELLED: 6,
    }
    home = Wish.objects.filter(published_by=resident).order_by("code")
    assert [(x.status, x.claimed_by) for x in home] == [
        (WishStatus.SUBMITTED, None),
        (WishStatus.PUBLISHED, None),
        (WishStatus.CLAIMED, volunteer),
        (WishStatus.FULFILLED, volunteer),
        (WishStatus.RATED, volunteer),
    ]
    assert all(x.household == pw.h1 for x in home)
    assert Wish.objects.filter(claimed_unit=w.line_cg).exists()
    done = Wish.objects.filter(status__in=[WishStatus.FULFILLED, WishStatus.RATED])
    assert all(x.photos.count() == 1 for x in done)
    now = timezone.now()
    for wish in Wish.objects.prefetch_related("events"):
        times = [e.at for e in wish.events.all()]
        assert times == sorted(times) and times[-1] < now
        assert times[0] == wish.created_at
    assert WishEvent.objects.filter(to_status=WishStatus.CLAIMED).count() == 10 + 8 + 16
    assert load_demo_wishes(StringIO()) == 0
    assert Wish.objects.count() == 60
