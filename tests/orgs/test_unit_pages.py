"""Unit list, detail, create, edit and the audited phone reveal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chuangcheng.core.models import AuditAction, AuditEntry
from chuangcheng.orgs.enums import UnitKind
from chuangcheng.orgs.models import Unit
from tests.conftest import login
from tests.factories import UnitFactory
from tests.orgs.helpers import login_en


def test_unit_list_office_sees_all_masked(world) -> None:
    resp = login_en(world.office).get(reverse("orgs:unit_list"))
    body = resp.content.decode()
    assert resp.status_code == 200
    assert resp.context["page"].paginator.count == 5
    assert "138****1234" in body
    assert "13812341234" not in body and "13900001111" not in body
    rows = {u.name: (u.n_territorial, u.n_line) for u in resp.context["page"]}
    assert rows["区城管委"] == (0, 1)
    assert rows["景山街道办事处"] == (1, 0)


def test_unit_list_filters(world) -> None:
    client = login_en(world.office)
    names = lambda resp: [u.name for u in resp.context["page"]]  # noqa: E731
    assert names(client.get(reverse("orgs:unit_list"), {"kind": "line"})) == [
        "区城管委",
        "区市场监管局",
    ]
    assert names(client.get(reverse("orgs:unit_list"), {"street": "110101002"})) == [
        "景山街道办事处"
    ]
    assert names(client.get(reverse("orgs:unit_list"), {"q": "多福"})) == ["多福巷社区居委会"]


def test_unit_list_scoped(world) -> None:
    resp = login(world.user_s1).get(reverse("orgs:unit_list"))
    body = resp.content.decode()
    assert "东华门街道办事处" in body and "景山街道办事处" not in body


@pytest.mark.parametrize("extra", [0, 20])
def test_unit_list_constant_queries(world, django_assert_num_queries, extra) -> None:
    for _i in range(extra):
        UnitFactory(kind=UnitKind.LINE, region=world.district)
    client = login_en(world.office)
    with django_assert_num_queries(11):
        client.get(reverse("orgs:unit_list"))


def test_unit_detail_denied_out_of_scope(world) -> None:
    assert login(world.user_s1).get(reverse("orgs:unit_detail", args=["S002"])).status_code == 404
    resp = login_en(world.user_s1).get(reverse("orgs:unit_detail", args=["S001"]))
    assert resp.status_code == 200
    assert "Show full number" not in resp.content.decode()


def test_reveal_writes_one_audit_entry(world) -> None:
    client = login_en(world.office)
    page = client.get(reverse("orgs:unit_detail", args=["S002"])).content.decode()
    assert "138****1234" in page and "13812341234" not in page
    url = reverse("orgs:unit_reveal_phone", args=["S002", "contact_phone"])
    resp = client.post(url)
    assert resp.status_code == 200
    assert "13812341234" in resp.content.decode()
    entries = AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL)
    assert entries.count() == 1
    assert (entries[0].object_id, entries[0].note) == (str(world.unit_s2.pk), "contact_phone")
    assert "13812341234" not in str(entries[0].after) + entries[0].note


def test_reveal_denied_to_unit_user(world) -> None:
    url = reverse("orgs:unit_reveal_phone", args=["S001", "contact_phone"])
    assert login(world.user_s1).post(url).status_code == 404
    assert AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL).count() == 0


def _unit_post(**over: str) -> dict[str, str]:
    data = {
        "code": "L009",
        "name": "区园林绿化局",
        "short_name": "园林局",
        "kind": "line",
        "region": "",
        "contact_name": "赵联络",
        "contact_phone": "010-65123456",
        "head_phone": "13612345678",
    }
    data.update(over)
    return data


def test_create_unit(world) -> None:
    client = login_en(world.office)
    resp = client.post(reverse("orgs:unit_create"), _unit_post(region=str(world.district.pk)))
    assert resp.status_code == 302
    unit = Unit.objects.get(code="L009")
    assert (unit.path, unit.contact_phone, unit.contact_phone_masked) == (
        "L009/",
        "010-65123456",
        "010*****3456",
    )
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="orgs.unit")
    assert entry.after["contact_phone"] == "<set>"


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"contact_phone": "12345"}, "Not a valid phone number"),
        ({"head_phone": "23812345678"}, "Not a valid phone number"),
        ({"code": "S001"}, "A unit with this code already exists"),
        ({"name": "区城管委"}, "A unit with this name already exists"),
    ],
)
def test_create_unit_bad_input_writes_nothing(world, over, message) -> None:
    client = login_en(world.office)
    resp = client.post(
        reverse("orgs:unit_create"), _unit_post(region=str(world.district.pk), **over)
    )
    assert resp.status_code == 200
    assert message in resp.content.decode()
    assert Unit.objects.count() == 5
    assert not AuditEntry.objects.filter(object_type="orgs.unit").exists()


def test_create_unit_denied(world) -> None:
    assert login(world.user_s1).get(reverse("orgs:unit_create")).status_code == 404
    assert login(world.leader).get(reverse("orgs:unit_create")).status_code == 404


def test_edit_unit_moves_subtree_paths(world) -> None:
    client = login_en(world.office)
    url = reverse("orgs:unit_edit", args=["S001"])
    data = _unit_post(
        code="S001",
        name="东华门街道办事处",
        kind="territorial",
        region=str(world.s1.pk),
        parent=str(world.line_cg.pk),
    )
    assert client.post(url, data).status_code == 302
    assert Unit.objects.get(code="C001").path == "L001/S001/C001/"
    assert login(world.user_s2).get(url).status_code == 404


def test_deactivate_unit(world) -> None:
    client = login_en(world.office)
    resp = client.post(reverse("orgs:unit_set_active", args=["L002"]), {"active": "0"})
    assert resp.status_code == 302
    assert Unit.objects.get(code="L002").active is False
    resp = login(world.user_s1).post(reverse("orgs:unit_set_active", args=["S001"]))
    assert resp.status_code == 404
    assert Unit.objects.get(code="S001").active is True


def test_the_edit_form_shows_the_phones_and_records_the_view(world) -> None:
    client = login_en(world.office)
    page = client.get(reverse("orgs:unit_edit", args=["S002"])).content.decode()
    assert "13812341234" in page and "13900001111" in page  # filled in, to be corrected
    entries = AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL)
    assert [(e.object_id, e.note) for e in entries] == [
        (str(world.unit_s2.pk), "edit: head_phone, contact_phone")
    ]
    assert "13812341234" not in entries[0].note
