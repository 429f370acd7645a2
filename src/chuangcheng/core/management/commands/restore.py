"""``chuangcheng restore FILE [--force]``: put back a backup written by ``chuangcheng backup``;
refuses a database that holds data unless ``--force`` (docs/guide/security-audit.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangcheng.core import backup


class Command(BaseCommand):
    help = "Restore a backup archive into this (migrated) database and the file directories."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="A .tar.gz written by `chuangcheng backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the rows and files this installation already holds.",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            done = backup.restore_backup(Path(opts["archive"]), force=opts["force"])
        except backup.BackupError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(f"Restored {done.rows} rows and {done.files} files.")
