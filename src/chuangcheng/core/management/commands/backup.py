"""``chuangcheng backup [--output FILE]``: the database, uploaded files and archive files in one
``.tar.gz`` (docs/guide/security-audit.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chuangcheng.core import backup


class Command(BaseCommand):
    help = "Write a backup archive: every table, MEDIA_ROOT, ARCHIVES_ROOT and a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", help="Archive to write (default: var/backups/chuangcheng-DATE.tar.gz)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        output = Path(opts["output"]) if opts.get("output") else backup.default_output()
        manifest = backup.write_backup(output)
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"Wrote {output}: {rows} rows, {len(manifest['files'])} files.")
