"""The office's catalogue of services."""

from __future__ import annotations

from chuangcheng.core.models import AuditEntry
from chuangcheng.practice.models import ServiceCategory
from tests.conftest import login
from tests.practice.conftest import PracticeWorld

URL = "/practice/categories/"


def test_office_adds_and_renames_a_service_audited(pw: PracticeWorld) -> None:
    client = login(pw.world.office)
    page = client.get(URL)
    assert page.status_code == 200
    assert "助餐" in page.content.decode()
    r = client.post(
        URL,
        {
            "category": "new",
            "new-code": "haircut",
            "new-name": "义务理发",
            "new-seq": "4",
            "new-active": "on",
        },
    )
    assert r.status_code == 302
    added = ServiceCategory.objects.get(code="haircut")
    assert (added.name, added.seq, added.active) == ("义务理发", 4, True)
    r = client.post(
        URL,
        {
            "category": str(pw.meal.pk),
            f"c{pw.meal.pk}-code": "meal",
            f"c{pw.meal.pk}-name": "助餐送餐",
            f"c{pw.meal.pk}-seq": "1",
        },
    )
    assert r.status_code == 302
    pw.meal.refresh_from_db()
    assert (pw.meal.name, pw.meal.active) == ("助餐送餐", False)
    entry = AuditEntry.objects.filter(object_type__icontains="servicecategory").order_by("-pk")[0]
    assert entry.before["name"] == "助餐" and entry.after["name"] == "助餐送餐"


def test_a_duplicate_or_malformed_code_is_refused_and_nothing_changes(pw: PracticeWorld) -> None:
    client = login(pw.world.office)
    before = ServiceCategory.objects.count()
    r = client.post(
        URL, {"category": "new", "new-code": "meal", "new-name": "重复", "new-seq": "0"}
    )
    assert r.status_code == 200
    assert (
        "Another service already has this code." in r.content.decode()
        or "已有" in r.content.decode()
    )
    r = client.post(URL, {"category": "new", "new-code": "助餐", "new-name": "x", "new-seq": "0"})
    assert list(r.context["new"].errors) == ["code"]
    r = client.post(URL, {"category": "new", "new-code": "ok", "new-name": "  ", "new-seq": "0"})
    assert list(r.context["new"].errors) == ["name"]
    assert ServiceCategory.objects.count() == before


def test_only_the_office_manages_services(pw: PracticeWorld) -> None:
    for user in (pw.world.user_s1, pw.vol1_user, pw.res1, pw.world.leader, pw.world.nobody):
        assert login(user).get(URL).status_code == 403
    assert login(pw.world.office).post(URL, {"category": "999999"}).status_code == 404
