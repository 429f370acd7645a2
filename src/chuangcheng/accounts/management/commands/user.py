"""``chuangcheng user create|grant|revoke|unlock|reset-2fa|list``: accounts from the server.

A fresh installation makes its first office account and its three administrators here (system,
security and audit: 等保 2.0 keeps them separate, and one account never holds two of them).
Every change is audited with the actor "cli".
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangcheng.accounts import domain
from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import Grant, User
from chuangcheng.orgs.models import Region, Unit

CLI = domain.SystemActor("cli")


class Command(BaseCommand):
    help = "Create accounts, grant and revoke roles, list accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create an account (must change its password).")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="Display name")
        create.add_argument("--phone", default="")
        create.add_argument("--password-file", help="Read the initial password from this file")
        for name in ("grant", "revoke"):
            p = sub.add_parser(name, help=f"{name.title()} a role over a region or a unit.")
            p.add_argument("username")
            p.add_argument("--role", required=True, choices=Role.values)
            scope = p.add_mutually_exclusive_group(required=True)
            scope.add_argument("--region", help="Region code")
            scope.add_argument("--unit", help="Unit code")
        unlock = sub.add_parser("unlock", help="Lift a lockout after failed logins.")
        unlock.add_argument("username")
        reset = sub.add_parser("reset-2fa", help="Remove an account's authenticator.")
        reset.add_argument("username")
        sub.add_parser("list", help="List accounts and their grants.")

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        try:
            if action == "create":
                self._create(opts)
            elif action == "grant":
                self._grant(opts)
            elif action == "revoke":
                self._revoke(opts)
            elif action == "unlock":
                user = self._user(opts["username"])
                done = domain.unlock_user(actor=CLI, user=user)
                self.stdout.write(f"Unlocked {user.username}." if done else "Not locked.")
            elif action == "reset-2fa":
                user = self._user(opts["username"])
                done = domain.reset_second_factor(actor=CLI, user=user)
                self.stdout.write(
                    f"Reset the second factor of {user.username}." if done else "None set up."
                )
            else:
                self._list()
        except domain.AccountsError as err:
            raise CommandError(err.message) from err

    def _password(self, opts: dict[str, Any]) -> str:
        if opts.get("password_file"):
            path = Path(opts["password_file"])
            try:
                return path.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        first = getpass.getpass("Initial password: ")
        if first != getpass.getpass("Again: "):
            raise CommandError("The two passwords differ.")
        return first

    def _create(self, opts: dict[str, Any]) -> None:
        user, _generated = domain.create_user(
            actor=CLI,
            username=opts["username"],
            display_name=opts["name"],
            phone=opts["phone"],
            password=self._password(opts),
        )
        self.stdout.write(f"Created {user.username}; the password must be changed at login.")

    def _scope(self, opts: dict[str, Any]) -> tuple[Region | None, Unit | None]:
        if opts.get("region"):
            region = Region.objects.filter(code=opts["region"]).first()
            if region is None:
                raise CommandError(f"No region with code {opts['region']}.")
            return region, None
        unit = Unit.objects.filter(code=opts["unit"]).first()
        if unit is None:
            raise CommandError(f"No unit with code {opts['unit']}.")
        return None, unit

    def _user(self, username: str) -> User:
        user: User | None = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named {username}.")
        return user

    def _grant(self, opts: dict[str, Any]) -> None:
        user = self._user(opts["username"])
        region, unit = self._scope(opts)
        grant = domain.add_grant(actor=CLI, user=user, role=opts["role"], region=region, unit=unit)
        self.stdout.write(f"Granted {grant.role} over {region or unit} to {user.username}.")

    def _revoke(self, opts: dict[str, Any]) -> None:
        user = self._user(opts["username"])
        region, unit = self._scope(opts)
        grant = Grant.objects.filter(user=user, role=opts["role"], region=region, unit=unit)
        found = grant.select_related("user").first()
        if found is None:
            raise CommandError(f"{user.username} holds no such grant.")
        domain.remove_grant(actor=CLI, grant=found)
        self.stdout.write(f"Revoked {opts['role']} over {region or unit} from {user.username}.")

    def _list(self) -> None:
        users = User.objects.prefetch_related("grants__region", "grants__unit").order_by("username")
        for u in users:
            grants = ", ".join(
                f"{g.role}@{g.region.code if g.region else g.unit.code}" for g in u.grants.all()
            )
            state = "active" if u.is_active else "inactive"
            self.stdout.write(f"{u.username}\t{u.display_name}\t{state}\t{grants or '-'}")
