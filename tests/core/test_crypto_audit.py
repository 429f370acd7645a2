from typing import Any

import pytest
from django.db import connection

from chuangcheng.core import audit
from chuangcheng.core.crypto import keyed_hash, mask_id_number, mask_phone
from chuangcheng.core.models import AuditAction, AuditEntry
from tests.factories import UnitFactory


def test_masks() -> None:
    assert mask_phone("13812341234") == "138****1234"
    assert mask_id_number("110101199003071234") == "110101********1234"
    assert mask_phone("123") == "***"


@pytest.mark.django_db
def test_phone_is_encrypted_at_rest() -> None:
    unit = UnitFactory(contact_phone="13812341234")
    with connection.cursor() as cur:
        cur.execute("SELECT contact_phone FROM orgs_unit WHERE id = %s", [unit.pk])
        stored = cur.fetchone()[0]
    assert "13812341234" not in stored
    unit.refresh_from_db()
    assert unit.contact_phone == "13812341234"
    assert unit.contact_phone_masked == "138****1234"


@pytest.mark.django_db
def test_audit_diff_keeps_only_changes_and_hides_personal_data() -> None:
    unit = UnitFactory(name="甲", contact_phone="13800000000")
    before = audit.snapshot(unit)
    unit.name, unit.contact_phone = "乙", "13900000000"
    entry = audit.record(
        "system", AuditAction.UPDATE, unit, before=before, after=audit.snapshot(unit)
    )
    assert entry.before == {"name": "甲"}
    assert entry.after == {"name": "乙"}
    assert "13900000000" not in str(AuditEntry.objects.values_list("after", flat=True)[0])


@pytest.mark.django_db
def test_audit_entries_cannot_change() -> None:
    entry = audit.record(None, AuditAction.LOGIN_FAILED, object_repr="x")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(note="x")


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_refuses_raw_updates_of_the_audit_log() -> None:
    from django.db import DatabaseError, transaction

    entry = audit.record(None, AuditAction.LOGIN_FAILED, object_repr="x")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE core_auditentry SET note = 'forged' WHERE id = %s", [entry.pk])


def test_keyed_hash_is_stable_per_purpose_and_hides_the_value(settings: Any) -> None:
    a = keyed_hash(" 13800138000", "survey-phone")
    assert a == keyed_hash("13800138000 ", "survey-phone")
    assert a != keyed_hash("13800138000", "other")
    assert a != keyed_hash("13800138001", "survey-phone")
    assert "13800138000" not in a and len(a) == 64
    settings.FIELD_ENCRYPTION_KEY = "another key"
    assert keyed_hash("13800138000", "survey-phone") != a
