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
