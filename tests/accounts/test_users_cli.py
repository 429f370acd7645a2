"""``chuangcheng user``: the first office account and the auditor come from the server."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from chuangcheng.accounts.models import Grant, User
from chuangcheng.core.models import AuditAction, AuditEntry


def test_create_grant_revoke_list(world, tmp_path, capsys) -> None:
    pw = tmp_path / "pw"
    pw.write_text("Audit#2026pass\n")
    call_command("user", "create", "audit2", "--name", "审计员", "--password-file", str(pw))
    user = User.objects.get(username="audit2")
    assert user.must_change_password and user.check_password("Audit#2026pass")
    call_command("user", "grant", "audit2", "--role", "auditor", "--region", "110101")
    assert list(user.grants.values_list("role", "region__code")) == [("auditor", "110101")]
    entries = AuditEntry.objects.filter(actor_name="cli")
    assert sorted(entries.values_list("action", flat=True)) == [AuditAction.CREATE] * 2
    call_command("user", "list")
    assert "audit2\t审计员\tactive\tauditor@110101" in capsys.readouterr().out
    call_command("user", "revoke", "audit2", "--role", "auditor", "--region", "110101")
    assert not Grant.objects.filter(user=user).exists()


def test_cli_bad_input(world, tmp_path) -> None:
    pw = tmp_path / "pw"
    pw.write_text("short")
    with pytest.raises(CommandError):
        call_command("user", "create", "x", "--name", "某", "--password-file", str(pw))
    assert not User.objects.filter(username="x").exists()
    with pytest.raises(CommandError, match="No region"):
        call_command("user", "grant", "office", "--role", "office", "--region", "999")


def test_cli_unlock_reset_2fa_and_one_admin_role(world, capsys) -> None:
    import datetime as dt

    import pyotp
    from django.utils import timezone

    from chuangcheng.accounts.models import PasswordHistory, SecondFactor

    auditor = world.auditor
    auditor.locked_until = timezone.now() + dt.timedelta(minutes=10)
    auditor.save(update_fields=["locked_until"])
    SecondFactor.objects.create(
        user=auditor, secret=pyotp.random_base32(), confirmed_at=timezone.now()
    )
    call_command("user", "unlock", "auditor")
    call_command("user", "reset-2fa", "auditor")
    call_command("user", "unlock", "auditor")
    assert capsys.readouterr().out.splitlines() == [
        "Unlocked auditor.",
        "Reset the second factor of auditor.",
        "Not locked.",
    ]
    assert User.objects.get(pk=auditor.pk).locked_until is None
    assert not SecondFactor.objects.filter(user=auditor).exists()
    notes = AuditEntry.objects.filter(actor_name="cli").values_list("note", flat=True)
    assert sorted(notes) == ["second factor reset", "unlocked"]
    with pytest.raises(CommandError, match="三个不同的账号"):
        call_command("user", "grant", "auditor", "--role", "secadmin", "--region", "110101")
    assert list(auditor.grants.values_list("role", flat=True)) == ["auditor"]
    assert PasswordHistory.objects.count() == 0
