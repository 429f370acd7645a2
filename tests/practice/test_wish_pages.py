"""微心愿 pages: the wall (never the beneficiary's name or phone), a wish's page, a new wish,
my wishes, the station's list; each allowed for its users and 404 for the other district's
people; the lists run the same number of queries at two sizes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chuangcheng.accounts.enums import Role
from chuangcheng.practice.domain import wishes
from chuangcheng.practice.domain.wishes_submit import NOTICE_VERSION
from chuangcheng.practice.enums import WishStatus
from chuangcheng.practice.models import Wish
from tests.conftest import login
from tests.factories import UserFactory, grant
from tests.practice.conftest import PracticeWorld
from tests.practice.wish_helpers import make_wish, other_wish, photo

NAME, PHONE = "王大妈", "13700000001"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


@pytest.fixture
def res2(pw: PracticeWorld) -> Any:
    """A resident of c2 (吉祥社区)."""
    user = UserFactory(username="res2", display_name="居民李")
    grant(user, Role.RESIDENT, region=pw.world.c2)
    return user


def html(response: Any) -> str:
    return str(response.content.decode())


def test_wall_shows_cards_of_the_users_area_without_name_or_phone(
    pw: PracticeWorld, res2: Any
) -> None:
    wish = make_wish(pw, WishStatus.PUBLISHED)
    make_wish(pw, title="尚未审核的心愿")  # submitted: not on the wall
    for user in (pw.vol1_user, pw.res1, pw.world.user_line, pw.world.office, pw.world.user_s1):
        page = html(login(user).get("/practice/wishes/"))
        assert "想要一盏护眼台灯" in page and "多福巷社区" in page and "2099-06-01" in page
        assert NAME not in page and PHONE not in page and "137****0001" not in page
        assert "尚未审核的心愿" not in page
    for user in (pw.vol2_user, res2, pw.other_vol_user, pw.other_office):
        page = html(login(user).get("/practice/wishes/"))
        assert "想要一盏护眼台灯" not in page, user
    # A volunteer claims from the card: the form posts straight to the claim.
    page = html(login(pw.vol1_user).get("/practice/wishes/"))
    assert f'action="/practice/wishes/{wish.pk}/claim/"' in page
    assert f'action="/practice/wishes/{wish.pk}/claim/"' not in html(
        login(pw.res1).get("/practice/wishes/")
    )


def test_wall_needs_a_role(pw: PracticeWorld) -> None:
    assert login(pw.world.nobody).get("/practice/wishes/").status_code == 403
    assert Client().get("/practice/wishes/").status_code == 302


def test_claim_from_the_wall_in_one_post(pw: PracticeWorld) -> None:
    wish = make_wish(pw, WishStatus.PUBLISHED)
    response = login(pw.world.user_line).post(
        f"/practice/wishes/{wish.pk}/claim/", {"unit": str(pw.world.line_cg.pk)}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/practice/wishes/{wish.pk}/"
    wish.refresh_from_db()
    assert (wish.status, wish.claimed_unit) == (WishStatus.CLAIMED, pw.world.line_cg)


def test_lists_keep_their_query_count(pw: PracticeWorld) -> None:
    users = {
        "/practice/wishes/": pw.vol1_user,
        "/practice/wishes/manage/?show=all": pw.world.office,
        "/practice/wishes/mine/?tab=made": pw.res1,
        "/practice/wishes/mine/?tab=claimed": pw.vol1_user,
    }
    clients = {url: login(user) for url, user in users.items()}

    def counts() -> dict[str, int]:
        found = {}
        for url, client in clients.items():
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            found[url] = len(ctx)
        return found

    for status in (WishStatus.PUBLISHED, WishStatus.CLAIMED):
        make_wish(pw, status)
    small = counts()
    for status in [WishStatus.PUBLISHED, WishStatus.CLAIMED, WishStatus.SUBMITTED] * 6:
        make_wish(pw, status)
    assert counts() == small


def test_detail_shows_what_each_may_see_and_do(pw: PracticeWorld) -> None:
    wish = make_wish(pw, WishStatus.PUBLISHED)
    url = f"/practice/wishes/{wish.pk}/"
    staff = html(login(pw.world.office).get(url))
    assert NAME in staff and "137****0001" in staff and PHONE not in staff
    assert "/cancel/" in staff and "/claim/" not in staff
    volunteer = html(login(pw.vol1_user).get(url))
    assert NAME not in volunteer and "137****0001" not in volunteer
    assert "/claim/" in volunteer and "/cancel/" not in volunteer
    owner = html(login(pw.res1).get(url))
    assert NAME in owner and "/cancel/" in owner and "/claim/" not in owner
    assert f"/p/w/{wish.public_token}/" in owner


@pytest.mark.parametrize(
    "path",
    [
        "",
        "publish/",
        "claim/",
        "release/",
        "fulfil/",
        "rate/",
        "cancel/",
    ],
)
def test_every_wish_page_is_404_for_the_other_district(pw: PracticeWorld, path: str) -> None:
    ours = make_wish(pw, WishStatus.CLAIMED)
    theirs = other_wish(pw)
    for user, wish in (
        (pw.other_office, ours),
        (pw.other_vol_user, ours),
        (pw.world.office, theirs),
        (pw.vol1_user, theirs),
    ):
        client = login(user)
        url = f"/practice/wishes/{wish.pk}/{path}"
        response = client.get(url) if not path else client.post(url, {"reason": "x"})
        assert response.status_code == 404, (user, url)
    assert Wish.objects.get(pk=ours.pk).status == WishStatus.CLAIMED


def test_a_resident_of_c2_sees_none_of_c1s_wishes(pw: PracticeWorld, res2: Any) -> None:
    submitted = make_wish(pw)
    published = make_wish(pw, WishStatus.PUBLISHED)
    client = login(res2)
    for wish in (submitted, published):
        assert client.get(f"/practice/wishes/{wish.pk}/").status_code == 404
    assert "想要一盏护眼台灯" not in html(client.get("/practice/wishes/mine/?tab=made"))
    assert list(Wish.objects.visible_to(res2)) == []


def test_resident_makes_a_wish_on_the_form(pw: PracticeWorld) -> None:
    client = login(pw.res1)
    page = client.get("/practice/wishes/new/")
    assert page.status_code == 200
    assert page.context["form"].initial["site"] == pw.station_c1.pk
    assert "household" not in page.context["form"].fields
    posted = {
        "site": pw.station_c1.pk,
        "title": "想要一台收音机",
        "beneficiary_name": "王大妈",
        "beneficiary_phone": "137 0000 0001",
        "due_on": "2099-05-01",
        "notice": "on",
    }
    response = client.post("/practice/wishes/new/", posted)
    wish = Wish.objects.get(title="想要一台收音机")
    assert response["Location"] == f"/practice/wishes/{wish.pk}/"
    assert (wish.status, wish.beneficiary_phone, wish.notice_version) == (
        WishStatus.SUBMITTED,
        "13700000001",
        NOTICE_VERSION,
    )
    # Another community's station is not offered, and refused when posted.
    refused = client.post("/practice/wishes/new/", {**posted, "site": pw.station_c2.pk})
    assert refused.status_code == 200 and "site" in refused.context["form"].errors
    no_notice = client.post("/practice/wishes/new/", {**posted, "notice": ""})
    assert "notice" in no_notice.context["form"].errors
    assert Wish.objects.count() == 1


def test_staff_take_a_wish_down_for_a_household(pw: PracticeWorld) -> None:
    client = login(pw.world.user_s1)
    response = client.post(
        "/practice/wishes/new/",
        {
            "site": pw.station_c1.pk,
            "title": "想理个发",
            "beneficiary_name": "王大妈",
            "household": "H-C1-001",
            "notice": "on",
        },
    )
    wish = Wish.objects.get()
    assert response.status_code == 302
    assert (wish.status, wish.household) == (WishStatus.PUBLISHED, pw.h1)
    unknown = client.post(
        "/practice/wishes/new/",
        {
            "site": pw.station_c1.pk,
            "title": "想理个发",
            "beneficiary_name": "王大妈",
            "household": "H-XC-001",  # the other district's household
            "notice": "on",
        },
    )
    assert "household" in unknown.context["form"].errors


def test_manage_lists_and_approves(pw: PracticeWorld) -> None:
    submitted = make_wish(pw)
    make_wish(pw, WishStatus.CLAIMED, due_on=None)
    other_wish(pw)
    client = login(pw.world.office)
    page = client.get("/practice/wishes/manage/")
    assert [(k, n) for k, _label, n in page.context["tabs"]] == [
        ("todo", 1),
        ("open", 0),
        ("claimed", 1),
        ("overdue", 0),
        ("done", 0),
        ("cancelled", 0),
        ("all", 2),
    ]
    assert [w.pk for w, _a, _r in page.context["items"]] == [submitted.pk]
    response = client.post(
        f"/practice/wishes/{submitted.pk}/publish/", {"next": "/practice/wishes/manage/"}
    )
    assert response["Location"] == "/practice/wishes/manage/"
    submitted.refresh_from_db()
    assert submitted.status == WishStatus.PUBLISHED
    assert login(pw.res1).get("/practice/wishes/manage/").status_code == 403
    theirs = login(pw.other_office).get("/practice/wishes/manage/?show=all")
    assert [w.title for w, _a, _r in theirs.context["items"]] == ["西城的心愿"]


def test_overdue_tab(pw: PracticeWorld) -> None:
    late = make_wish(pw, WishStatus.CLAIMED)
    Wish.objects.filter(pk=late.pk).update(due_on="2020-01-01")
    make_wish(pw, WishStatus.PUBLISHED)
    page = login(pw.world.user_s1).get("/practice/wishes/manage/?show=overdue")
    assert [w.pk for w, _a, _r in page.context["items"]] == [late.pk]


def test_fulfil_rate_and_photos_through_the_pages(
    pw: PracticeWorld, django_capture_on_commit_callbacks: Any
) -> None:
    wish = make_wish(pw, WishStatus.CLAIMED)
    volunteer = login(pw.vol1_user)
    missing = volunteer.post(f"/practice/wishes/{wish.pk}/fulfil/", {"note": "送到了"})
    assert missing.status_code == 400
    assert missing.context["photo_errors"] == ["请至少上传一张照片作为凭证。"]
    with django_capture_on_commit_callbacks(execute=True):
        done = volunteer.post(
            f"/practice/wishes/{wish.pk}/fulfil/", {"note": "送到了", "photos": [photo()]}
        )
    assert done.status_code == 302
    wish.refresh_from_db()
    assert wish.status == WishStatus.FULFILLED
    photo_id = wish.photos.get().photo_id
    base = f"/practice/wishes/{wish.pk}/photos/{photo_id}"
    assert volunteer.get(f"{base}/original/").status_code == 200
    assert login(pw.world.office).get(f"{base}/thumb/").status_code == 200
    resident = login(pw.res1)
    assert resident.get(f"{base}/original/").status_code == 404  # faces are not blurred there
    assert resident.get(f"{base}/public/").status_code == 404  # not approved for display yet
    office = login(pw.world.office)
    assert office.post(f"{base}/moderate/", {"decision": "approve"}).status_code == 302
    assert resident.get(f"{base}/public/").status_code == 200
    assert login(pw.other_office).get(f"{base}/public/").status_code == 404
    response = resident.post(f"/practice/wishes/{wish.pk}/rate/", {"rating": "5", "comment": "好"})
    assert response.status_code == 302
    wish.refresh_from_db()
    assert (wish.status, wish.rating, wish.rating_comment) == (WishStatus.RATED, 5, "好")


def test_cancel_needs_a_reason_on_the_page(pw: PracticeWorld) -> None:
    wish = make_wish(pw, WishStatus.PUBLISHED)
    client = login(pw.res1)
    refused = client.post(f"/practice/wishes/{wish.pk}/cancel/", {"reason": ""})
    assert refused.status_code == 400
    assert refused.context["cancel_form"].errors == {"reason": ["请填写原因。"]}
    client.post(f"/practice/wishes/{wish.pk}/cancel/", {"reason": "已经买到了"})
    wish.refresh_from_db()
    assert (wish.status, wish.cancel_reason) == (WishStatus.CANCELLED, "已经买到了")


def test_my_wishes(pw: PracticeWorld) -> None:
    claimed = make_wish(pw, WishStatus.CLAIMED)
    made = make_wish(pw, title="想学剪纸")
    mine = login(pw.res1).get("/practice/wishes/mine/")
    assert mine.context["tab"] == "made"
    assert [w.pk for w in mine.context["page"].object_list] == [made.pk, claimed.pk]
    volunteer = login(pw.vol1_user).get("/practice/wishes/mine/")
    assert [w.pk for w in volunteer.context["page"].object_list] == [claimed.pk]
    wishes.release_wish(claimed, actor=pw.vol1_user)
    again = login(pw.vol1_user).get("/practice/wishes/mine/?tab=claimed")
    assert list(again.context["page"].object_list) == []
