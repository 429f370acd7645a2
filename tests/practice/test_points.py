"""文明储蓄银行: the 居民公约 items and awarding points (balances computed by hand)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from chuangcheng.core.models import AuditEntry
from chuangcheng.practice.domain import ledger
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.points import (
    award_points,
    bank_region,
    owner_account,
    reverse_award,
)
from chuangcheng.practice.domain.points_convention import office_regions, save_item, set_active
from chuangcheng.practice.enums import Book, SystemAccount
from chuangcheng.practice.models import ConventionItem, PointsAward
from tests.practice.conftest import PracticeWorld

D = Decimal


def item(pw: PracticeWorld, code: str = "sort", points: int = 5, cap: int = 0) -> ConventionItem:
    return save_item(
        actor=pw.world.office,
        region=pw.world.district,
        data={"code": code, "title": "垃圾分类", "points": points, "monthly_cap": cap},
    )


def totals_are_zero() -> None:
    assert ledger.book_total(Book.POINTS) == D("0")
    assert ledger.book_total(Book.TIME) == D("0")


def test_office_defines_items_audited_and_others_may_not(pw: PracticeWorld) -> None:
    it = item(pw)
    assert it.region == pw.world.district
    assert office_regions(pw.world.office) == [pw.world.district]
    changed = save_item(
        actor=pw.world.office,
        region=pw.world.district,
        item=it,
        data={"code": "sort", "title": "垃圾分类投放", "points": 8, "monthly_cap": 4},
    )
    assert (changed.points, changed.monthly_cap) == (8, 4)
    set_active(it, actor=pw.world.office, active=False)
    assert ConventionItem.objects.get(pk=it.pk).active is False
    entries = AuditEntry.objects.filter(object_type="practice.conventionitem")
    assert entries.count() == 3
    assert entries.order_by("pk")[1].after == {
        "monthly_cap": 4,
        "points": 8,
        "title": "垃圾分类投放",
    }
    with pytest.raises(PracticeError, match="相同代码"):
        save_item(
            actor=pw.world.office,
            region=pw.world.district,
            data={"code": "sort", "title": "重复", "points": 1},
        )
    for outsider in (pw.world.user_s1, pw.other_office, pw.res1):
        with pytest.raises(PermissionDenied):
            save_item(
                actor=outsider,
                region=pw.world.district,
                data={"code": "x", "title": "x", "points": 1},
            )


def test_award_posts_balanced_points_and_audits(pw: PracticeWorld) -> None:
    it = item(pw, points=5)
    award, created = award_points(
        actor=pw.world.user_s1, item=it, owner=pw.h1, note="主动分类", client_ref="r1"
    )
    assert created
    account = owner_account(pw.h1)
    assert award.account == account and award.points == 5
    assert ledger.balance(account) == D("5")
    issued = ledger.system_account(Book.POINTS, SystemAccount.POINTS_ISSUED, pw.world.district)
    assert ledger.balance(issued) == D("-5")
    assert award.txn.memo == "垃圾分类 · 主动分类"
    # the same form sent again awards nothing more
    again, created = award_points(actor=pw.world.user_s1, item=it, owner=pw.h1, client_ref="r1")
    assert (again.pk, created) == (award.pk, False)
    award_points(actor=pw.world.office, item=it, owner=pw.vol2)
    assert ledger.balance(owner_account(pw.vol2)) == D("5")
    assert ledger.balance(issued) == D("-10")
    assert AuditEntry.objects.filter(object_type="practice.pointsaward").count() == 2
    totals_are_zero()


def test_bank_region_is_the_district(pw: PracticeWorld) -> None:
    assert bank_region(pw.world.c1) == pw.world.district
    assert bank_region(pw.world.district) == pw.world.district


def test_monthly_cap_counts_this_month_only_and_not_reversed_awards(pw: PracticeWorld) -> None:
    it = item(pw, points=3, cap=2)
    now = timezone.now()
    award_points(actor=pw.world.office, item=it, owner=pw.h1, now=now)
    second, _c = award_points(actor=pw.world.office, item=it, owner=pw.h1, now=now)
    with pytest.raises(PracticeError, match="本月已获得“垃圾分类”2 次"):
        award_points(actor=pw.world.office, item=it, owner=pw.h1, now=now)
    assert PointsAward.objects.count() == 2
    # another account is not limited by h1's awards
    award_points(actor=pw.world.office, item=it, owner=pw.h2, now=now)
    # last month's awards do not count this month
    PointsAward.objects.filter(pk=second.pk).update(awarded_at=now - dt.timedelta(days=40))
    award_points(actor=pw.world.office, item=it, owner=pw.h1, now=now)
    # a reversed award frees its place
    first = PointsAward.objects.filter(account__household=pw.h1).order_by("pk").first()
    assert first is not None
    reverse_award(first, actor=pw.world.office, reason="误录")
    award_points(actor=pw.world.office, item=it, owner=pw.h1, now=now)
    # h1: 3 + 3 + 3 + 3 - 3 = 9
    assert ledger.balance(owner_account(pw.h1)) == D("9")
    totals_are_zero()


def test_award_refused_for_inactive_item_other_region_and_outsiders(pw: PracticeWorld) -> None:
    it = item(pw)
    local = save_item(
        actor=pw.world.office,
        region=pw.world.c2,
        data={"code": "dog", "title": "文明养犬", "points": 2},
    )
    with pytest.raises(PracticeError, match="不适用"):
        award_points(actor=pw.world.office, item=local, owner=pw.h1)
    with pytest.raises(PermissionDenied):
        award_points(actor=pw.world.user_s2, item=it, owner=pw.h1)  # 景山 staff, 多福巷 household
    with pytest.raises(PermissionDenied):
        award_points(actor=pw.other_office, item=it, owner=pw.h1)
    with pytest.raises(PermissionDenied):
        award_points(actor=pw.res1, item=it, owner=pw.h1)
    set_active(it, actor=pw.world.office, active=False)
    with pytest.raises(PracticeError, match="已停用"):
        award_points(actor=pw.world.office, item=it, owner=pw.h1)
    assert PointsAward.objects.count() == 0
    totals_are_zero()


def test_reverse_award_is_office_only_once_and_not_below_zero(pw: PracticeWorld) -> None:
    it = item(pw, points=4)
    award, _c = award_points(actor=pw.world.user_s1, item=it, owner=pw.h1)
    with pytest.raises(PermissionDenied):
        reverse_award(award, actor=pw.world.user_s1, reason="x")
    reverse_award(award, actor=pw.world.office, reason="重复录入")
    assert ledger.balance(owner_account(pw.h1)) == D("0")
    with pytest.raises(PracticeError):
        reverse_award(award, actor=pw.world.office, reason="again")
    totals_are_zero()
