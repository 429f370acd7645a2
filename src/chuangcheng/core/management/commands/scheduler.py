"""``chuangcheng scheduler``: run the periodic jobs when due (:mod:`chuangcheng.core.scheduler`).

``--once`` runs one pass and exits (for cron and tests); ``--inline`` runs the jobs in this
process instead of enqueueing them for the task worker; ``--list`` shows each job's last run.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.core import scheduler
from chuangcheng.core.models_jobs import JobRun


class Command(BaseCommand):
    help = "Run the periodic jobs when they are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run what is due, then exit.")
        parser.add_argument(
            "--inline", action="store_true", help="Run jobs here instead of in the task worker."
        )
        parser.add_argument("--list", action="store_true", help="List the jobs and their last run.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self._list()
            return
        if options["once"]:
            tick = scheduler.run_due(inline=options["inline"])
            for name in tick.started:
                failed = name in tick.failed
                self.stdout.write(
                    (_("%(job)s: failed (see the log)") if failed else _("%(job)s: started"))
                    % {"job": name}
                )
            if not tick.started:
                self.stdout.write(_("No job is due."))
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_args: stop.set())
        scheduler.loop(inline=options["inline"], stop=stop)

    def _list(self) -> None:
        jobs = scheduler.discover()
        runs = {r.name: r for r in JobRun.objects.filter(name__in=list(jobs))}
        now = timezone.now()
        for name, job in sorted(jobs.items()):
            run = runs.get(name)
            last = run.last_run if run else None
            if run is None or run.ok is None:
                state = _("never run")
            else:
                state = _("succeeded") if run.ok else _("failed")
            self.stdout.write(
                _("%(job)s — every %(every)s; last started %(last)s; %(state)s%(due)s")
                % {
                    "job": name,
                    "every": _("%(minutes)d min") % {"minutes": job.every.total_seconds() // 60},
                    "last": timezone.localtime(last).strftime("%Y-%m-%d %H:%M:%S") if last else "—",
                    "state": state,
                    "due": _(" (due now)") if scheduler.is_due(job, last, now) else "",
                }
            )
            if run is not None and run.error:
                self.stdout.write(f"    {run.error.splitlines()[-1]}")
