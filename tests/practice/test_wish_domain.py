"""微心愿 domain: making, approving, claiming, giving back, fulfilling, rating and cancelling a
wish; every edge of WISH_TRANSITIONS, allowed and refused; audit, timeline and notifications;
evidence photos all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from chuangcheng.cases.models import Photo
from chuangcheng.core.models import AuditEntry
from chuangcheng.core.models_messages import Notification
from chuangcheng.practice.domain import wishes
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.wishes_submit import RateLimitedError, submit_wish
from chuangcheng.practice.enums import WISH_TRANSITIONS, WishStatus
from chuangcheng.practice.models import Wish, WishEvent, WishPhoto
from tests.practice.conftest import PracticeWorld
from tests.practice.wish_helpers import data, make_wish, photo, step


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


def files_in(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_resident_makes_a_wish_waiting_for_review(pw: PracticeWorld) -> None:
    wish = make_wish(pw)
    year = wish.created_at.year
    assert wish.code == f"XY-{year}-000001"
    assert wish.status == WishStatus.SUBMITTED
    assert (wish.site, wish.region, wish.published_by) == (pw.station_c1, pw.world.c1, pw.res1)
    assert wish.household == pw.h1  # the resident's own household, so its members may rate
    assert wish.notice_version == "2026-1"  # PRIVACY_NOTICE_VERSION
    with connection.cursor() as cursor:
        cursor.execute("SELECT beneficiary_phone FROM practice_wish WHERE id = %s", [wish.pk])
        stored = cursor.fetchone()[0]
    assert "13700000001" not in stored  # encrypted at rest
    assert Wish.objects.get(pk=wish.pk).beneficiary_phone_masked == "137****0001"
    assert [(e.from_status, e.to_status, e.actor) for e in wish.events.all()] == [
        ("", WishStatus.SUBMITTED, pw.res1)
    ]
    entry = AuditEntry.objects.get(object_type="practice.wish", object_id=str(wish.pk))
    assert entry.action == "create"
    assert entry.after["beneficiary_phone"] == "<set>"  # never the number itself
    assert "13700000001" not in str(entry.after)


def test_codes_count_up_within_a_year(pw: PracticeWorld) -> None:
    first = make_wish(pw)
    second = make_wish(pw, title="想学用智能手机")
    now = dt.datetime(2031, 1, 2, 9, tzinfo=dt.UTC)
    third = submit_wish(pw.station_c1, data(), actor=pw.res1, now=now)
    year = first.created_at.year
    assert [first.code, second.code, third.code] == [
        f"XY-{year}-000001",
        f"XY-{year}-000002",
        "XY-2031-000001",
    ]


def test_staff_publish_at_once_for_an_elder(pw: PracticeWorld) -> None:
    wish = submit_wish(pw.station_c1, data(household=pw.h1), actor=pw.world.user_s1)
    assert wish.status == WishStatus.PUBLISHED
    assert wish.household == pw.h1
    assert list(wish.events.values_list("from_status", "to_status")) == [
        ("", WishStatus.SUBMITTED),
        (WishStatus.SUBMITTED, WishStatus.PUBLISHED),
    ]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "灯"}, "title"),
        ({"beneficiary_name": " "}, "beneficiary_name"),
        ({"beneficiary_phone": "12345"}, "beneficiary_phone"),
        ({"due_on": dt.date(2000, 1, 1)}, "due_on"),
        ({"notice_version": ""}, "notice"),
    ],
)
def test_bad_fields_are_refused_and_nothing_written(
    pw: PracticeWorld, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(PracticeError) as exc:
        submit_wish(pw.station_c1, data(**overrides), actor=pw.res1)
    assert list(exc.value.errors) == [field]
    assert Wish.objects.count() == 0


def test_resident_cannot_wish_at_another_community_or_an_institute(pw: PracticeWorld) -> None:
    with pytest.raises(PracticeError) as exc:
        submit_wish(pw.station_c2, data(), actor=pw.res1)
    assert list(exc.value.errors) == ["site"]
    with pytest.raises(PracticeError):
        submit_wish(pw.institute, data(), actor=pw.world.office)
    with pytest.raises(PracticeError):
        submit_wish(pw.other_station, data(), actor=pw.world.office)
    assert Wish.objects.count() == 0


def test_public_link_needs_a_phone_and_is_limited_per_address(
    pw: PracticeWorld, settings: Any
) -> None:
    settings.PRACTICE_WISH_RATE_LIMIT = 2
    anonymous = None
    with pytest.raises(PracticeError) as exc:
        submit_wish(pw.station_c1, data(beneficiary_phone=""), actor=anonymous, by_link=True)
    assert list(exc.value.errors) == ["beneficiary_phone"]
    for _ in range(2):
        wish = submit_wish(pw.station_c1, data(), actor=anonymous, by_link=True, ip_hash="a")
        assert (wish.status, wish.published_by, wish.household) == ("submitted", None, None)
    with pytest.raises(RateLimitedError):
        submit_wish(pw.station_c1, data(), actor=anonymous, by_link=True, ip_hash="a")
    submit_wish(pw.station_c1, data(), actor=anonymous, by_link=True, ip_hash="b")
    submit_wish(pw.station_c2, data(), actor=anonymous, by_link=True, ip_hash="a")
    assert Wish.objects.count() == 4


def test_the_whole_way_with_timeline_audit_and_notifications(
    pw: PracticeWorld, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        wish = make_wish(pw, WishStatus.RATED)
    wish.refresh_from_db()
    assert (wish.status, wish.rating, wish.rating_comment) == ("rated", 5, "谢谢志愿者")
    assert (wish.claimed_by, wish.claimed_volunteer, wish.claimed_unit) == (
        pw.vol1_user,
        pw.vol1,
        None,
    )
    assert wish.fulfil_note == "已送到家中"
    assert wish.photos.count() == 1
    assert [(e.to_status, e.actor) for e in wish.events.all()] == [
        ("submitted", pw.res1),
        ("published", pw.world.office),
        ("claimed", pw.vol1_user),
        ("fulfilled", pw.vol1_user),
        ("rated", pw.res1),
    ]
    notes = AuditEntry.objects.filter(object_type="practice.wish").values_list("note", flat=True)
    assert sorted(notes) == sorted(
        [
            "wish submitted",
            "wish published",
            "wish claimed",
            "wish fulfilled",
            "wish rated",
        ]
    )
    to_res1 = list(
        Notification.objects.filter(recipient=pw.res1)
        .order_by("pk")
        .values_list("title", flat=True)
    )
    assert to_res1 == [
        f"您的心愿 {wish.code} 已发布到心愿墙。",
        f"您的心愿 {wish.code} 已由 志愿者甲 认领。",
        f"您的心愿 {wish.code} 已圆梦，请评价。",
    ]
    assert list(
        Notification.objects.filter(recipient=pw.vol1_user).values_list("title", flat=True)
    ) == [f"心愿 {wish.code} 获评 5 星（满分 5 星）。"]


def test_a_unit_claims_for_itself(pw: PracticeWorld) -> None:
    wish = make_wish(pw, WishStatus.PUBLISHED)
    wishes.claim_wish(wish, actor=pw.world.user_line)  # 区城管委: a line unit of the district
    wish.refresh_from_db()
    assert (wish.claimed_by, wish.claimed_volunteer, wish.claimed_unit) == (
        pw.world.user_line,
        None,
        pw.world.line_cg,
    )
    assert wish.events.last().note == "区城管委"  # type: ignore[union-attr]
    # The unit's user fulfils it; anyone else of the unit could as well.
    wishes.fulfil_wish(wish, actor=pw.world.user_line, note="送去台灯一盏", files=[photo()])
    assert wish.status == WishStatus.FULFILLED


def test_release_clears_the_claimer_and_the_wish_can_be_claimed_again(pw: PracticeWorld) -> None:
    wish = make_wish(pw, WishStatus.CLAIMED)
    wishes.release_wish(wish, actor=pw.vol1_user, reason="临时出差")
    wish.refresh_from_db()
    assert (wish.status, wish.claimed_by, wish.claimed_volunteer, wish.claimed_at) == (
        "published",
        None,
        None,
        None,
    )
    assert wish.events.last().note == "临时出差"  # type: ignore[union-attr]
    wishes.claim_wish(wish, actor=pw.world.user_line)
    assert wish.claimed_unit == pw.world.line_cg


def test_who_may_not(pw: PracticeWorld) -> None:
    w = pw.world
    submitted = make_wish(pw)
    published = make_wish(pw, WishStatus.PUBLISHED)
    claimed = make_wish(pw, WishStatus.CLAIMED)
    fulfilled = make_wish(pw, WishStatus.FULFILLED)
    refused = [
        lambda: wishes.publish_wish(submitted, actor=pw.res1),  # not staff
        lambda: wishes.publish_wish(submitted, actor=w.user_s2),  # staff of another street
        lambda: wishes.publish_wish(submitted, actor=pw.other_office),
        lambda: wishes.claim_wish(published, actor=pw.res1),  # residents do not claim
        lambda: wishes.claim_wish(published, actor=pw.vol2_user),  # not on vol2's wall (c2)
        lambda: wishes.claim_wish(published, actor=pw.other_vol_user),
        lambda: wishes.release_wish(claimed, actor=pw.vol2_user),
        lambda: wishes.release_wish(claimed, actor=pw.res1),
        lambda: wishes.fulfil_wish(claimed, actor=w.user_line, note="x送到", files=[photo()]),
        lambda: wishes.fulfil_wish(claimed, actor=pw.other_office, note="送到", files=[photo()]),
        lambda: wishes.rate_wish(fulfilled, actor=pw.vol1_user, rating=5),
        lambda: wishes.rate_wish(fulfilled, actor=w.office, rating=5),  # not the publisher
        lambda: wishes.cancel_wish(published, actor=pw.vol1_user, reason="不想要了"),
        lambda: wishes.cancel_wish(published, actor=pw.other_office, reason="不想要了"),
    ]
    for attempt in refused:
        with pytest.raises(wishes.WishForbiddenError):
            attempt()
    assert WishEvent.objects.count() == 1 + 2 + 3 + 4


def test_the_publisher_cannot_claim_their_own_wish(pw: PracticeWorld) -> None:
    wish = submit_wish(pw.station_c1, data(), actor=pw.vol1_user)
    wishes.publish_wish(wish, actor=pw.world.office)
    with pytest.raises(PracticeError, match="不能认领自己提交的心愿"):
        wishes.claim_wish(wish, actor=pw.vol1_user)


def test_a_household_member_rates_a_wish_staff_made_for_the_household(pw: PracticeWorld) -> None:
    wish = submit_wish(pw.station_c1, data(household=pw.h1), actor=pw.world.office)
    for to in (WishStatus.CLAIMED, WishStatus.FULFILLED):
        step(wish, to, pw)
    wishes.rate_wish(wish, actor=pw.res1, rating=4)
    assert (wish.status, wish.rating) == ("rated", 4)


def test_rate_by_link_and_bad_ratings(pw: PracticeWorld) -> None:
    wish = make_wish(pw, WishStatus.FULFILLED)
    for bad in (0, 6):
        with pytest.raises(PracticeError) as exc:
            wishes.rate_wish(wish, actor=None, rating=bad, by_link=True)
        assert list(exc.value.errors) == ["rating"]
    wishes.rate_wish(wish, actor=None, rating=3, comment="还行", by_link=True)
    assert (wish.status, wish.rating, wish.events.last().actor) == ("rated", 3, None)  # type: ignore[union-attr]
    with pytest.raises(PracticeError):
        wishes.rate_wish(wish, actor=None, rating=5, by_link=True)  # once only


def test_the_publisher_cancels_with_a_reason(pw: PracticeWorld) -> None:
    wish = make_wish(pw, WishStatus.PUBLISHED)
    with pytest.raises(PracticeError) as exc:
        wishes.cancel_wish(wish, actor=pw.res1, reason=" ")
    assert list(exc.value.errors) == ["reason"]
    wishes.cancel_wish(wish, actor=pw.res1, reason="孩子已经买了")
    assert (wish.status, wish.cancel_reason) == ("cancelled", "孩子已经买了")


# Every move, from every status: allowed exactly where WISH_TRANSITIONS has the edge (and,
# for the two moves onto the wall, from their own source only).
MOVES = {
    "publish": (WishStatus.PUBLISHED, WishStatus.SUBMITTED),
    "release": (WishStatus.PUBLISHED, WishStatus.CLAIMED),
    "claim": (WishStatus.CLAIMED, None),
    "fulfil": (WishStatus.FULFILLED, None),
    "rate": (WishStatus.RATED, None),
    "cancel": (WishStatus.CANCELLED, None),
}


def _do(move: str, wish: Wish, pw: PracticeWorld) -> None:
    # Each move by someone allowed to make it, so only the workflow can refuse.
    office = pw.world.office
    if move == "publish":
        wishes.publish_wish(wish, actor=office)
    elif move == "release":
        wishes.release_wish(wish, actor=office)
    elif move == "claim":
        wishes.claim_wish(wish, actor=pw.world.user_s1)  # 东华门街道办, which sees every status
    elif move == "fulfil":
        wishes.fulfil_wish(wish, actor=office, note="已送到", files=[photo()])
    elif move == "rate":
        wishes.rate_wish(wish, actor=pw.res1, rating=5)
    else:
        wishes.cancel_wish(wish, actor=office, reason="重复提交")


@pytest.mark.parametrize("start", list(WishStatus))
@pytest.mark.parametrize("move", list(MOVES))
def test_every_edge(pw: PracticeWorld, start: WishStatus, move: str, media: Path) -> None:
    wish = make_wish(pw, start)
    target, source = MOVES[move]
    allowed = target in WISH_TRANSITIONS[start] and source in (None, start)
    events = wish.events.count()
    photos = Photo.objects.count()
    files = files_in(media)
    if allowed:
        _do(move, wish, pw)
        wish.refresh_from_db()
        assert wish.status == target
        assert wish.events.count() == events + 1
    else:
        with pytest.raises(PracticeError) as exc:
            _do(move, wish, pw)
        assert "的心愿不能变为" in str(exc.value)
        wish.refresh_from_db()
        assert wish.status == start
        assert wish.events.count() == events
        assert Photo.objects.count() == photos
        assert files_in(media) == files


def test_nothing_leads_back_to_submitted() -> None:
    assert all(WishStatus.SUBMITTED not in targets for targets in WISH_TRANSITIONS.values())


def test_a_bad_photo_stores_nothing(pw: PracticeWorld, media: Path) -> None:
    wish = make_wish(pw, WishStatus.CLAIMED)
    broken = SimpleUploadedFile("broken.jpg", b"\xff\xd8\xffnot really", content_type="image/jpeg")
    with pytest.raises(PracticeError) as exc:
        wishes.fulfil_wish(wish, actor=pw.vol1_user, note="已送到", files=[photo(), broken])
    assert list(exc.value.errors) == ["photos"]
    assert "broken.jpg" in exc.value.errors["photos"][0]
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED
    assert (Photo.objects.count(), WishPhoto.objects.count(), files_in(media)) == (0, 0, [])


def test_a_wish_cancelled_meanwhile_keeps_no_photo_file(pw: PracticeWorld, media: Path) -> None:
    wish = make_wish(pw, WishStatus.CLAIMED)
    seen = Wish.objects.get(pk=wish.pk)  # what the volunteer's page showed
    wishes.cancel_wish(wish, actor=pw.world.office, reason="家属已购买")
    with pytest.raises(PracticeError, match="其他人刚刚处理了这个心愿"):
        wishes.fulfil_wish(seen, actor=pw.vol1_user, note="已送到", files=[photo(), photo("b.jpg")])
    assert (Photo.objects.count(), WishPhoto.objects.count(), files_in(media)) == (0, 0, [])
    assert Wish.objects.get(pk=wish.pk).status == WishStatus.CANCELLED


def test_fulfil_needs_a_note_and_one_to_six_photos(pw: PracticeWorld) -> None:
    wish = make_wish(pw, WishStatus.CLAIMED)
    with pytest.raises(PracticeError) as exc:
        wishes.fulfil_wish(wish, actor=pw.vol1_user, note="", files=[])
    assert sorted(exc.value.errors) == ["note", "photos"]
    with pytest.raises(PracticeError) as exc:
        wishes.fulfil_wish(wish, actor=pw.vol1_user, note="送到", files=[photo()] * 7)
    assert list(exc.value.errors) == ["photos"]
