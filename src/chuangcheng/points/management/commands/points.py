"""``chuangcheng points import FILE`` and ``chuangcheng points export``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from chuangcheng.points import domain
from chuangcheng.points.interfaces import exporter
from chuangcheng.points.interfaces.importer import CRS_CHOICES, run_import
from chuangcheng.points.interfaces.tables import FORMATS
from chuangcheng.points.models import Point


class Command(BaseCommand):
    help = "Import or export inspection points (点位)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import points from .xlsx, .csv or .geojson.")
        imp.add_argument("file")
        imp.add_argument("--crs", choices=CRS_CHOICES, default="wgs84")
        imp.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        exp = sub.add_parser("export", help="Export every point in the import format.")
        exp.add_argument("--format", choices=FORMATS, default="xlsx", dest="fmt")
        exp.add_argument("--output", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        # The operator's messages follow the product's language, not the shell's.
        translation.activate(settings.LANGUAGE_CODE)
        if options["action"] == "import":
            self._import(options)
        else:
            self._export(options)

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        report = run_import(
            path.name, path.read_bytes(), actor=None, crs=options["crs"], dry_run=options["dry_run"]
        )
        if report.problems:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                translation.gettext("%(n)s problem(s); nothing was written.")
                % {"n": len(report.problems)}
            )
        if options["dry_run"]:
            self.stdout.write(
                translation.gettext("Dry run: %(c)s to create, %(u)s to update; nothing written.")
                % {"c": report.to_create, "u": report.to_update}
            )
            return
        self.stdout.write(
            translation.gettext("Created %(c)s, updated %(u)s.")
            % {"c": report.created, "u": report.updated}
        )

    def _export(self, options: dict[str, Any]) -> None:
        fmt = options["fmt"]
        if fmt == "xlsx" and not options["output"]:
            raise CommandError("--output FILE is required for xlsx")
        points = list(exporter.export_queryset(Point.objects.all()))
        data = exporter.export(points, fmt)
        domain.record_export(actor=None, fmt=fmt, count=len(points), filters="cli")
        if options["output"]:
            Path(options["output"]).write_bytes(data)
            self.stderr.write(f"{len(points)} → {options['output']}")
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
