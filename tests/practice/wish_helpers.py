"""Wishes brought to a given status through the domain functions, for the wish tests.

The people (from the ``pw`` fixture): ``res1`` (resident of c1, household h1) makes the wish at
``station_c1``; ``office`` (district office) approves it; ``vol1`` (volunteer of c1) claims and
fulfils it; ``res1`` rates it; ``office`` cancels it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from chuangcheng.practice.domain import wishes
from chuangcheng.practice.domain.wishes_submit import NOTICE_VERSION, WishData, submit_wish
from chuangcheng.practice.enums import WishStatus
from chuangcheng.practice.models import Wish
from tests.images import jpeg

# The status a wish passes through to reach each status, in order.
PATH = {
    WishStatus.SUBMITTED: (),
    WishStatus.PUBLISHED: (WishStatus.PUBLISHED,),
    WishStatus.CLAIMED: (WishStatus.PUBLISHED, WishStatus.CLAIMED),
    WishStatus.FULFILLED: (WishStatus.PUBLISHED, WishStatus.CLAIMED, WishStatus.FULFILLED),
    WishStatus.RATED: (
        WishStatus.PUBLISHED,
        WishStatus.CLAIMED,
        WishStatus.FULFILLED,
        WishStatus.RATED,
    ),
    WishStatus.CANCELLED: (WishStatus.CANCELLED,),
}


def data(**overrides: Any) -> WishData:
    values: dict[str, Any] = {
        "title": "想要一盏护眼台灯",
        "beneficiary_name": "王大妈",
        "beneficiary_phone": "13700000001",
        "description": "晚上看报纸光线太暗",
        "due_on": dt.date(2099, 6, 1),
        "notice_version": NOTICE_VERSION,
    }
    values.update(overrides)
    return WishData(**values)


def photo(name: str = "done.jpg", color: str = "green") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg(color), content_type="image/jpeg")


def step(wish: Wish, to: str, pw: Any) -> Wish:
    """One move of ``wish`` to ``to`` by the usual person."""
    office = pw.world.office
    if to == WishStatus.PUBLISHED:
        if wish.status == WishStatus.CLAIMED:
            return wishes.release_wish(wish, actor=pw.vol1_user)
        return wishes.publish_wish(wish, actor=office)
    if to == WishStatus.CLAIMED:
        return wishes.claim_wish(wish, actor=pw.vol1_user)
    if to == WishStatus.FULFILLED:
        return wishes.fulfil_wish(wish, actor=pw.vol1_user, note="已送到家中", files=[photo()])
    if to == WishStatus.RATED:
        return wishes.rate_wish(wish, actor=pw.res1, rating=5, comment="谢谢志愿者")
    if to == WishStatus.CANCELLED:
        return wishes.cancel_wish(wish, actor=office, reason="已由家人解决")
    raise AssertionError(to)


def make_wish(pw: Any, status: str = WishStatus.SUBMITTED, *, site: Any = None, **kw: Any) -> Wish:
    """A wish made by ``res1`` at ``station_c1`` (or ``site``), moved on to ``status``."""
    wish = submit_wish(site or pw.station_c1, data(**kw), actor=pw.res1)
    for to in PATH[WishStatus(status)]:
        step(wish, to, pw)
    return wish


def other_wish(pw: Any, status: str = WishStatus.PUBLISHED) -> Wish:
    """A wish of the other district (西城区), made and published by its office."""
    wish = submit_wish(
        pw.other_station, data(title="西城的心愿", beneficiary_name="赵奶奶"), actor=pw.other_office
    )
    assert wish.status == WishStatus.PUBLISHED
    if status == WishStatus.CLAIMED:
        wishes.claim_wish(wish, actor=pw.other_vol_user)
    return wish
