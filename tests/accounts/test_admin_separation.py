"""三员分立: the system, security and audit administrators each do their part only.

Pages a role cannot open are 404 (they do not exist for it); an action on a user the actor
can see, outside its role, is 403.
"""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from django.urls import reverse
from django.utils import timezone

from chuangcheng.accounts import domain
from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import Grant, SecondFactor, User
from chuangcheng.core.models import AuditAction, AuditEntry
from tests.conftest import login
from tests.factories import UserFactory, grant


@pytest.fixture
def sysadmin(world) -> User:
    user = UserFactory(username="sysadmin", display_name="系统管理员")
    grant(user, Role.SYSADMIN, region=world.district)
    return user


@pytest.fixture
def secadmin(world) -> User:
    user = UserFactory(username="secadmin", display_name="安全管理员")
    grant(user, Role.SECADMIN, region=world.district)
    return user


def _lock(user: User) -> None:
    user.locked_until = timezone.now() + dt.timedelta(minutes=20)
    user.save(update_fields=["locked_until"])


def test_sysadmin_runs_accounts(world, sysadmin) -> None:
    client = login(sysadmin)
    assert client.get(reverse("accounts:user_list")).status_code == 200
    created = client.post(
        reverse("accounts:user_create"),
        {
            "username": "clerk2",
            "display_name": "新职员",
            "phone": "",
            "password": "",
            "role": "unit",
            "unit": "S002",
        },
    )
    assert created.status_code == 200 and created.context["new_password"]
    assert list(User.objects.get(username="clerk2").grants.values_list("role", flat=True)) == [
        "unit"
    ]
    edit = client.post(
        reverse("accounts:user_edit", args=[world.user_s2.pk]),
        {"display_name": "景山新联络员", "phone": ""},
    )
    assert edit.status_code == 302
    reset = client.post(reverse("accounts:user_reset_password", args=[world.user_s2.pk]))
    assert reset.context["new_password"]
    active = reverse("accounts:user_set_active", args=[world.user_s2.pk])
    assert client.post(active, {"active": "0"}).status_code == 302
    assert User.objects.get(pk=world.user_s2.pk).is_active is False
    _lock(world.user_s1)
    assert client.post(reverse("accounts:user_unlock", args=[world.user_s1.pk])).status_code == 302
    assert User.objects.get(pk=world.user_s1.pk).locked_until is None
    # The system administrator also runs the administrators' accounts (not their grants).
    reset = client.post(reverse("accounts:user_reset_password", args=[world.auditor.pk]))
    assert reset.context["new_password"]


def test_sysadmin_cannot_grant_or_read_the_audit_log(world, sysadmin) -> None:
    client = login(sysadmin)
    before = Grant.objects.count()
    add = client.post(
        reverse("accounts:grant_add", args=[world.user_s1.pk]),
        {"role": "inspector", "region": "110101001"},
    )
    assert add.status_code == 403
    g = world.user_s1.grants.get()
    remove = client.post(reverse("accounts:grant_remove", args=[world.user_s1.pk, g.pk]))
    assert remove.status_code == 403
    assert Grant.objects.count() == before
    with pytest.raises(domain.PermissionDenied):
        domain.add_grant(actor=sysadmin, user=world.user_s1, role="inspector", region=world.s1)
    assert client.get("/audit/").status_code == 404
    assert client.post(reverse("accounts:user_reset_mfa", args=[world.auditor.pk])).status_code == (
        403
    )
    detail = client.get(reverse("accounts:user_detail", args=[world.user_s1.pk]))
    assert detail.context["can_manage"] is True and detail.context["can_grant"] is False


def test_secadmin_runs_grants_including_admin_roles(world, secadmin) -> None:
    client = login(secadmin)
    assert client.get(reverse("accounts:user_list")).status_code == 200
    add = client.post(
        reverse("accounts:grant_add", args=[world.user_s1.pk]),
        {"role": "inspector", "region": "110101001"},
    )
    assert add.status_code == 302
    promote = client.post(
        reverse("accounts:grant_add", args=[world.nobody.pk]),
        {"role": "sysadmin", "region": "110101"},
    )
    # ``nobody`` has no grant, so it is outside every area: not found.
    assert promote.status_code == 404
    promote = client.post(
        reverse("accounts:grant_add", args=[world.user_s2.pk]),
        {"role": "sysadmin", "region": "110101"},
    )
    assert promote.status_code == 302
    assert set(world.user_s2.grants.values_list("role", flat=True)) == {"unit", "sysadmin"}
    g = Grant.objects.get(user=world.user_s2, role="sysadmin")
    remove = client.post(reverse("accounts:grant_remove", args=[world.user_s2.pk, g.pk]))
    assert remove.status_code == 302
    _lock(world.user_s1)
    assert client.post(reverse("accounts:user_unlock", args=[world.user_s1.pk])).status_code == 302
    assert User.objects.get(pk=world.user_s1.pk).locked_until is None
    assert AuditEntry.objects.filter(note="unlocked").count() == 1


def test_secadmin_cannot_run_accounts_or_read_the_audit_log(world, secadmin) -> None:
    client = login(secadmin)
    assert client.get(reverse("accounts:user_create")).status_code == 403
    reset = client.post(reverse("accounts:user_reset_password", args=[world.user_s2.pk]))
    assert reset.status_code == 403
    active = client.post(
        reverse("accounts:user_set_active", args=[world.user_s2.pk]), {"active": "0"}
    )
    assert active.status_code == 403
    assert client.get(reverse("accounts:user_edit", args=[world.user_s2.pk])).status_code == 403
    assert User.objects.get(pk=world.user_s2.pk).is_active is True
    with pytest.raises(domain.PermissionDenied):
        domain.create_user(
            actor=secadmin, username="x1", display_name="x", role="unit", unit=world.unit_s1
        )
    assert client.get("/audit/").status_code == 404


def test_secadmin_resets_a_second_factor(world, secadmin) -> None:
    SecondFactor.objects.create(
        user=world.auditor, secret=pyotp.random_base32(), confirmed_at=timezone.now()
    )
    client = login(secadmin)
    resp = client.post(reverse("accounts:user_reset_mfa", args=[world.auditor.pk]))
    assert resp.status_code == 302
    assert not SecondFactor.objects.filter(user=world.auditor).exists()
    entry = AuditEntry.objects.get(note="second factor reset")
    assert (entry.action, entry.actor_name, entry.object_id) == (
        AuditAction.DELETE,
        "secadmin",
        str(world.auditor.pk),
    )


def test_auditor_only_reads_the_audit_log(world) -> None:
    client = login(world.auditor)
    assert client.get("/audit/").status_code == 200
    assert client.get(reverse("accounts:user_list")).status_code == 404
    assert (
        client.post(
            reverse("accounts:grant_add", args=[world.user_s1.pk]),
            {"role": "inspector", "region": "110101001"},
        ).status_code
        == 404
    )
    assert client.post(reverse("accounts:user_unlock", args=[world.user_s1.pk])).status_code == 404
    assert client.get("/api/v1/users").status_code == 403


def test_superuser_and_office_do_not_read_the_audit_log(world) -> None:
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert login(root).get("/audit/").status_code == 404
    assert login(world.office).get("/audit/").status_code == 404
    assert not root.has_perm("accounts.view_audit")


def test_only_secadmin_grants_admin_roles(world) -> None:
    before = Grant.objects.count()
    for role in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR):
        with pytest.raises(domain.AccountsError, match="只能由安全管理员授予"):
            domain.add_grant(actor=world.office, user=world.user_s1, role=role, region=world.s1)
    resp = login(world.office).post(
        reverse("accounts:grant_add", args=[world.user_s1.pk]),
        {"role": "sysadmin", "region": "110101001"},
    )
    assert resp.status_code == 200 and "sysadmin" not in dict(
        resp.context["grant_form"].fields["role"].choices
    )
    assert Grant.objects.count() == before


def test_office_keeps_business_roles_but_not_admin_accounts(world, sysadmin) -> None:
    client = login(world.office)
    add = client.post(
        reverse("accounts:grant_add", args=[world.user_s1.pk]),
        {"role": "inspector", "region": "110101001"},
    )
    assert add.status_code == 302
    reset = client.post(reverse("accounts:user_reset_password", args=[sysadmin.pk]))
    assert reset.status_code == 200 and reset.context["new_password"] == ""
    assert User.objects.get(pk=sysadmin.pk).check_password("Test#Pass2026")


def test_nobody_changes_their_own_grants(world, secadmin) -> None:
    before = Grant.objects.count()
    with pytest.raises(domain.AccountsError, match="不能修改自己的授权"):
        domain.add_grant(actor=secadmin, user=secadmin, role="inspector", region=world.s1)
    own = secadmin.grants.get()
    resp = login(secadmin).post(reverse("accounts:grant_remove", args=[secadmin.pk, own.pk]))
    assert resp.status_code == 200 and "不能修改自己的授权" in resp.content.decode()
    assert Grant.objects.count() == before


def test_one_account_holds_one_admin_role(world, secadmin) -> None:
    before = Grant.objects.count()
    for actor in (secadmin, domain.SystemActor()):
        with pytest.raises(domain.AccountsError, match="三个不同的账号"):
            domain.add_grant(
                actor=actor, user=world.auditor, role="sysadmin", region=world.district
            )
    assert Grant.objects.count() == before
    # The same admin role on another region is not a second role.
    domain.add_grant(actor=secadmin, user=world.auditor, role="auditor", region=world.s1)
    assert Grant.objects.count() == before + 1


def test_api_user_list_for_admins(world, sysadmin, secadmin) -> None:
    assert login(sysadmin).get("/api/v1/users").status_code == 200
    assert login(secadmin).get("/api/v1/users").status_code == 200
    assert login(world.leader).get("/api/v1/users").status_code == 403


def test_navigation_shows_each_admin_its_pages(world, sysadmin) -> None:
    home = login(sysadmin).get("/").content.decode()
    assert reverse("accounts:user_list") in home and 'href="/audit/"' not in home
    home = login(world.auditor).get("/").content.decode()
    assert 'href="/audit/"' in home and reverse("accounts:user_list") not in home
