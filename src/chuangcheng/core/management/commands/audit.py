"""``chuangcheng audit verify|prune``: check the audit log's hash chain; remove entries past
AUDIT_RETENTION_DAYS (docs/adr/0014, docs/guide/security-audit.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangcheng.core import audit_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain, or prune entries older than the retention."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Walk the chain; exit 1 at the first broken link.")
        sub.add_parser(
            "prune", help="Remove entries older than AUDIT_RETENTION_DAYS (at least 180)."
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "prune":
            removed = audit_chain.prune()
            self.stdout.write(
                f"Removed {removed} entries older than {settings.AUDIT_RETENTION_DAYS} days."
            )
            return
        verdict = audit_chain.verify()
        if not verdict.ok:
            raise CommandError(
                f"Audit chain broken after {verdict.checked} good entries: {verdict.problem}",
                returncode=1,
            )
        self.stdout.write(
            f"Audit chain intact: {verdict.checked} entries; head {verdict.head_hash or '-'}"
        )
