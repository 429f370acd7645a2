"""``chuangcheng survey import FILE.xlsx [--code CODE]`` and
``chuangcheng survey report CODE --format json``.

Each sub-command lives in its own module under ``surveys.interfaces``; this file only routes.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chuangcheng.surveys.interfaces import cli_import, cli_report


class Command(BaseCommand):
    help = "Import questionnaires (XLSForm) and report survey results (问卷调查)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        cli_import.add_parser(sub)
        cli_report.add_parser(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        module = cli_import if options["action"] == "import" else cli_report
        module.run(self, options)
