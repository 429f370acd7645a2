"""``chuangcheng framework import FILE …`` and ``chuangcheng framework export CODE …``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import ngettext

from chuangcheng.frameworks import domain
from chuangcheng.frameworks.enums import FrameworkStatus
from chuangcheng.frameworks.interfaces import exporter
from chuangcheng.frameworks.interfaces.importer import build_plan, code_from_filename
from chuangcheng.frameworks.models import Framework


class Command(BaseCommand):
    help = "Import or export indicator frameworks (测评体系)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import a .xlsx or .csv file as a new draft version.")
        imp.add_argument("file")
        imp.add_argument("--code", default="", help="Framework code (default: from the file name).")
        imp.add_argument("--name", default="", help="Framework name (default: the last version's).")
        imp.add_argument(
            "--create-missing",
            action="store_true",
            help="Create unknown units (as line departments) and point types.",
        )
        imp.add_argument("--activate", action="store_true", help="Put the new version in force.")
        exp = sub.add_parser("export", help="Write a version as xlsx, csv or json.")
        exp.add_argument("code")
        exp.add_argument("--version", type=int, default=None, dest="number")
        exp.add_argument("--format", choices=exporter.FORMATS, required=True, dest="fmt")
        exp.add_argument("--output", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options)
        else:
            self._export(options)

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        create_missing = bool(options["create_missing"])
        plan = build_plan(path.name, data, create_missing=create_missing)
        if plan.problems:
            lines = [str(p) for p in plan.problems]
            summary = ngettext(
                "%(file)s: %(count)s problem; nothing was imported.",
                "%(file)s: %(count)s problems; nothing was imported.",
                len(lines),
            ) % {"file": path.name, "count": len(lines)}
            raise CommandError(summary + "\n" + "\n".join(lines))
        code = options["code"] or code_from_filename(path.name)
        previous = Framework.objects.filter(code=code).order_by("-version").first()
        name = options["name"] or (previous.name if previous else code)
        result = domain.import_framework(
            actor=None,
            roots=plan.roots,
            unit_ids=plan.unit_ids,
            point_type_ids=plan.point_type_ids,
            missing_units=plan.missing_units,
            missing_point_types=plan.missing_point_types,
            code=code,
            name=name,
            activate=bool(options["activate"]),
            source_file=path.name,
        )
        framework = result.framework
        framework.refresh_from_db()
        self.stdout.write(
            f"{framework.code} v{framework.version} ({framework.get_status_display()}): "
            f"{len(plan.clauses())} standards, {len(plan.roots)} projects, id {framework.pk}"
        )
        for unit in result.created_units:
            self.stdout.write(f"created unit: {unit.name} ({unit.code})")
        for point_type in result.created_point_types:
            self.stdout.write(f"created point type: {point_type.name} ({point_type.code})")

    def _export(self, options: dict[str, Any]) -> None:
        versions = Framework.objects.filter(code=options["code"])
        if options["number"] is not None:
            framework = versions.filter(version=options["number"]).first()
        else:
            framework = (
                versions.filter(status=FrameworkStatus.ACTIVE).first()
                or versions.order_by("-version").first()
            )
        if framework is None:
            raise CommandError(f"no framework {options['code']!r} with that version")
        fmt = options["fmt"]
        data = exporter.export(framework, fmt)
        domain.record_export(actor=None, framework=framework, fmt=fmt)
        if options["output"]:
            Path(options["output"]).write_bytes(data)
            self.stdout.write(f"wrote {options['output']}")
        elif fmt == "xlsx":
            raise CommandError("--format xlsx needs --output FILE")
        else:
            sys.stdout.flush()
            self.stdout.write(data.decode("utf-8"), ending="")
