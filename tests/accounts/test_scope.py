"""Which rows each user sees: the one queryset method per model."""

from chuangcheng.accounts.models import User
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.points.models import Point


def names(qs) -> set[str]:
    return {str(o) for o in qs}


def test_office_sees_whole_district(world) -> None:
    assert names(Point.objects.visible_to(world.office)) == {"多福巷", "景山市场"}
    assert len(Unit.objects.visible_to(world.office)) == 5


def test_street_unit_sees_its_subtree_only(world) -> None:
    assert names(Point.objects.visible_to(world.user_s1)) == {"多福巷"}
    assert names(Point.objects.visible_to(world.user_s2)) == {"景山市场"}
    assert names(Unit.objects.visible_to(world.user_s1)) == {"东华门街道办事处", "多福巷社区居委会"}
    regions = names(Region.objects.visible_to(world.user_s1))
    assert regions == {"东城区", "东华门街道", "多福巷社区"}


def test_line_department_sees_its_own_points(world) -> None:
    assert names(Point.objects.visible_to(world.user_line)) == {"多福巷"}
    assert names(Unit.objects.visible_to(world.user_line)) == {"区城管委"}
    assert "多福巷社区" not in names(Region.objects.visible_to(world.user_line))


def test_user_without_grant_sees_nothing(world) -> None:
    assert not Point.objects.visible_to(world.nobody).exists()
    assert not Unit.objects.visible_to(world.nobody).exists()
    assert not Region.objects.visible_to(world.nobody).exists()
    assert names(User.objects.visible_to(world.nobody)) == {"无授权"}


def test_users_visible_follow_grants(world) -> None:
    seen = names(User.objects.visible_to(world.user_s1))
    assert "东华门联络员" in seen and "督查员甲" in seen
    assert "景山联络员" not in seen and "城管委联络员" not in seen


def test_permissions_follow_scope(world) -> None:
    assert world.office.has_perm("points.manage_point", world.p2)
    assert not world.user_s2.has_perm("points.manage_point", world.p2)
    assert not world.leader.has_perm("points.manage_point", world.p1)
    assert world.auditor.has_perm("accounts.view_audit")
    assert not world.office.has_perm("accounts.view_audit")
