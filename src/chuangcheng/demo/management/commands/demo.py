"""``chuangcheng demo load`` builds the demo district with its case history and, where the demo
framework is active, its inspection rounds; ``chuangcheng demo cases`` adds the case history to a
district loaded without it; ``chuangcheng demo accounts`` lists the accounts. The work is done by
:mod:`chuangcheng.demo.loader`, :mod:`chuangcheng.demo.cases`, :mod:`chuangcheng.demo.rounds`,
:mod:`chuangcheng.demo.score_history`, :mod:`chuangcheng.demo.ratings`,
:mod:`chuangcheng.demo.calendar`, :mod:`chuangcheng.archives.demo`,
:mod:`chuangcheng.demo.survey_results` and :mod:`chuangcheng.demo.warnings` (live warnings,
evaluated last so that they see the calendar, the archives and the surveys)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from chuangcheng.archives.demo import load_demo_archives
from chuangcheng.demo import catalog
from chuangcheng.demo.accounts import accounts_table
from chuangcheng.demo.calendar import load_demo_calendar
from chuangcheng.demo.cases import load_demo_cases
from chuangcheng.demo.loader import DemoError, load_demo
from chuangcheng.demo.ratings import load_demo_ratings
from chuangcheng.demo.rounds import load_demo_rounds
from chuangcheng.demo.score_history import load_score_history
from chuangcheng.demo.survey_results import load_demo_survey_results
from chuangcheng.demo.warnings import load_demo_warnings
from chuangcheng.frameworks.enums import FrameworkStatus
from chuangcheng.frameworks.models import Framework
from chuangcheng.practice.demo_network import load_demo_network
from chuangcheng.practice.demo_orders import load_demo_orders
from chuangcheng.practice.demo_points import load_demo_points
from chuangcheng.practice.demo_wishes import load_demo_wishes


class Command(BaseCommand):
    help = "Build the demo district (北京市东城区) or list its accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="Build the demo district; does nothing when it is loaded.")
        sub.add_parser(
            "cases", help="Add the case history to a loaded demo district that has no cases."
        )
        sub.add_parser("accounts", help="List the demo accounts and their password.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            started = time.monotonic()
            try:
                result = load_demo(stdout=self.stdout)
            except DemoError as exc:
                raise CommandError(str(exc)) from exc
            seconds = time.monotonic() - started
            if result.created:
                self.stdout.write(
                    _(
                        "Loaded the demo district in %(seconds).1f s: %(streets)d streets, "
                        "%(communities)d communities, %(grid_cells)d grid cells, %(units)d units, "
                        "%(points)d points, %(accounts)d accounts, %(cases)d cases."
                    )
                    % {"seconds": seconds, "cases": result.cases, **result.counts}
                )
            else:
                self.stdout.write(_("The demo district is already loaded; nothing was changed."))
            if Framework.objects.filter(
                code=catalog.FRAMEWORK_CODE, status=FrameworkStatus.ACTIVE
            ).exists():
                load_demo_rounds(self.stdout)
                load_score_history(self.stdout)
            load_demo_ratings(self.stdout)
            load_demo_calendar(self.stdout)
            load_demo_archives(self.stdout)
            load_demo_survey_results(self.stdout)
            load_demo_network(self.stdout)
            load_demo_orders(self.stdout)
            load_demo_points(self.stdout)
            load_demo_wishes(self.stdout)
            load_demo_warnings(self.stdout)
        if options["action"] == "cases":
            if not load_demo_cases(self.stdout):
                self.stdout.write(
                    _(
                        "No cases were added: the demo district is not loaded, or its case "
                        "history is there already."
                    )
                )
            return
        self.stdout.write(_("Demo accounts:"))
        self.stdout.write(accounts_table())
