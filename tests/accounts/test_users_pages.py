"""The office's user pages: list, create, detail, grants, reset, deactivate, reveal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import Grant, User
from chuangcheng.core.models import AuditAction, AuditEntry
from tests.conftest import login
from tests.factories import UserFactory, grant
from tests.orgs.helpers import login_en


@pytest.fixture
def street_office(world) -> User:
    user = UserFactory(username="office_s1", display_name="东华门文明办")
    grant(user, Role.OFFICE, region=world.s1)
    return user


def test_user_list_office_sees_all_masked(world) -> None:
    resp = login(world.office).get(reverse("accounts:user_list"))
    assert resp.status_code == 200
    assert resp.context["page"].paginator.count == 7  # everyone with a grant; not "nobody"
    body = resp.content.decode()
    assert "137****5678" in body and "13712345678" not in body


def test_user_list_street_office_sees_its_street(world, street_office) -> None:
    resp = login(street_office).get(reverse("accounts:user_list"))
    names = {u.username for u in resp.context["page"]}
    assert names == {"office_s1", "unit_s1", "inspector"}


def test_user_list_role_filter(world) -> None:
    resp = login(world.office).get(reverse("accounts:user_list"), {"role": "unit"})
    assert {u.username for u in resp.context["page"]} == {"unit_s1", "unit_s2", "unit_line"}


@pytest.mark.parametrize("extra", [0, 20])
def test_user_list_constant_queries(world, django_assert_num_queries, extra) -> None:
    for _i in range(extra):
        grant(UserFactory(), Role.UNIT, unit=world.unit_s2)
    client = login(world.office)
    # session, user, grants, 2 permission tables, count, page, grants of the page, session save
    with django_assert_num_queries(11):
        client.get(reverse("accounts:user_list"))


@pytest.mark.parametrize("who", ["user_s1", "leader", "inspector", "auditor", "nobody"])
def test_user_pages_denied_to_non_office(world, who) -> None:
    client = login(getattr(world, who))
    assert client.get(reverse("accounts:user_list")).status_code == 404
    assert client.get(reverse("accounts:user_detail", args=[world.user_s2.pk])).status_code == 404
    assert client.get(reverse("accounts:user_create")).status_code == 404


def test_street_office_cannot_open_other_street_user(world, street_office) -> None:
    url = reverse("accounts:user_detail", args=[world.user_s2.pk])
    assert login(street_office).get(url).status_code == 404


def test_create_user_with_first_grant(world) -> None:
    client = login_en(world.office)
    resp = client.post(
        reverse("accounts:user_create"),
        {
            "username": "jingshan2",
            "display_name": "景山新联络员",
            "phone": "13698765432",
            "role": "unit",
            "unit": "S002",
        },
    )
    assert resp.status_code == 200
    user = User.objects.get(username="jingshan2")
    assert user.must_change_password is True
    password = resp.context["new_password"]
    assert len(password) == 12 and user.check_password(password)
    assert list(user.grants.values_list("role", "unit__code")) == [("unit", "S002")]
    assert "136****5432" in resp.content.decode()


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"phone": "1369876"}, "Not a valid phone number"),
        ({"username": "unit_s1"}, "This user name is taken"),
        ({"password": "short"}, "too short"),
        ({"unit": "", "region": ""}, "Choose either a region or a unit"),
    ],
)
def test_create_user_bad_input_writes_nothing(world, over, message) -> None:
    data = {"username": "x1", "display_name": "某人", "role": "unit", "unit": "S002"}
    data.update(over)
    resp = login_en(world.office).post(reverse("accounts:user_create"), data)
    assert resp.status_code == 200
    assert message in resp.content.decode()
    assert User.objects.count() == 8
    assert not AuditEntry.objects.filter(action=AuditAction.CREATE).exists()


def test_street_office_cannot_grant_on_other_street(world, street_office) -> None:
    client = login_en(street_office)
    before = Grant.objects.count()
    resp = client.post(
        reverse("accounts:grant_add", args=[world.user_s1.pk]),
        {"role": "unit", "region": "110101002"},
    )
    assert resp.status_code == 200
    assert "Choose either a region or a unit" in resp.content.decode()
    assert Grant.objects.count() == before
    # The domain refuses it too when asked directly.
    from chuangcheng.accounts import domain

    with pytest.raises(domain.AccountsError, match="outside your area"):
        domain.add_grant(actor=street_office, user=world.user_s1, role="unit", region=world.s2)
    assert Grant.objects.count() == before


def test_office_cannot_grant_auditor(world) -> None:
    from chuangcheng.accounts import domain

    before = Grant.objects.count()
    with pytest.raises(domain.AccountsError, match="Only a security administrator"):
        domain.add_grant(
            actor=world.office, user=world.user_s1, role=Role.AUDITOR, region=world.district
        )
    resp = login_en(world.office).post(
        reverse("accounts:grant_add", args=[world.user_s1.pk]),
        {"role": "auditor", "region": "110101"},
    )
    assert "not one of the available choices" in resp.content.decode()
    assert Grant.objects.count() == before


def test_add_and_remove_grant(world) -> None:
    client = login(world.office)
    resp = client.post(
        reverse("accounts:grant_add", args=[world.user_s1.pk]),
        {"role": "inspector", "region": "110101001"},
    )
    assert resp.status_code == 302
    g = Grant.objects.get(user=world.user_s1, role="inspector")
    assert g.region == world.s1
    resp = client.post(reverse("accounts:grant_remove", args=[world.user_s1.pk, g.pk]))
    assert resp.status_code == 302
    assert not Grant.objects.filter(pk=g.pk).exists()
    actions = list(
        AuditEntry.objects.filter(object_type="accounts.grant").values_list("action", flat=True)
    )
    assert sorted(actions) == ["create", "delete"]


def test_last_grant_cannot_be_removed(world) -> None:
    g = world.user_s1.grants.get()
    resp = login_en(world.office).post(
        reverse("accounts:grant_remove", args=[world.user_s1.pk, g.pk])
    )
    assert "deactivate the account instead" in resp.content.decode()
    assert Grant.objects.filter(pk=g.pk).exists()


def test_reset_password_forces_change(world) -> None:
    world.user_s2.failed_logins = 4
    world.user_s2.save()
    resp = login(world.office).post(
        reverse("accounts:user_reset_password", args=[world.user_s2.pk])
    )
    user = User.objects.get(pk=world.user_s2.pk)
    assert user.check_password(resp.context["new_password"])
    assert (user.must_change_password, user.failed_logins) == (True, 0)
    assert (
        AuditEntry.objects.filter(action=AuditAction.PASSWORD, object_id=str(user.pk)).count() == 1
    )


def test_deactivate_user_and_not_self(world) -> None:
    client = login_en(world.office)
    assert (
        client.post(
            reverse("accounts:user_set_active", args=[world.user_s2.pk]), {"active": "0"}
        ).status_code
        == 302
    )
    assert User.objects.get(pk=world.user_s2.pk).is_active is False
    resp = client.post(reverse("accounts:user_set_active", args=[world.office.pk]), {"active": "0"})
    assert "cannot deactivate your own account" in resp.content.decode()
    assert User.objects.get(pk=world.office.pk).is_active is True


def test_auditor_account_is_read_only_for_office(world) -> None:
    resp = login(world.office).post(
        reverse("accounts:user_reset_password", args=[world.auditor.pk])
    )
    assert resp.status_code == 200
    assert resp.context["new_password"] == ""
    assert User.objects.get(pk=world.auditor.pk).check_password("Test#Pass2026")


def test_reveal_user_phone_audited(world) -> None:
    client = login(world.office)
    detail = client.get(reverse("accounts:user_detail", args=[world.user_s2.pk])).content.decode()
    assert "137****5678" in detail and "13712345678" not in detail
    resp = client.post(reverse("accounts:user_reveal_phone", args=[world.user_s2.pk]))
    assert "13712345678" in resp.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL).count() == 1
    assert (
        login(world.user_s1)
        .post(reverse("accounts:user_reveal_phone", args=[world.user_s1.pk]))
        .status_code
        == 404
    )
    assert AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL).count() == 1
