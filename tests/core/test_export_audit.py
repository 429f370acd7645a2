"""Every download by a signed-in user leaves exactly one export entry in the audit log."""

from __future__ import annotations

from django.urls import reverse

from chuangcheng.core.models import AuditEntry
from tests.conftest import World, login


def test_a_download_without_its_own_entry_is_audited_by_the_middleware(world: World) -> None:
    r = login(world.office).get(reverse("points:import_template"))
    assert r.status_code == 200
    entries = list(AuditEntry.objects.filter(action="export"))
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.actor, entry.object_type, entry.object_repr, entry.note) == (
        world.office,
        "download",
        "points-template.xlsx",
        "/points/import/template.xlsx",
    )


def test_an_export_that_audits_itself_is_not_recorded_twice(world: World) -> None:
    r = login(world.user_s2).get(reverse("cases:export"), {"status": "open"})
    assert r.status_code == 200
    exports = AuditEntry.objects.filter(action="export")
    assert list(exports.values_list("object_type", flat=True)) == ["cases.case"]


def test_a_refused_download_writes_no_export_entry(world: World) -> None:
    r = login(world.user_s2).get(reverse("points:import_template"))
    assert r.status_code in (403, 404)
    assert not AuditEntry.objects.filter(action="export").exists()


def test_pages_that_are_not_downloads_write_nothing(world: World) -> None:
    client = login(world.office)  # the login itself is audited
    before = AuditEntry.objects.count()
    assert client.get(reverse("cases:list")).status_code == 200
    assert AuditEntry.objects.count() == before
