"""``chuangcheng worker``: the task worker (django-tasks-db ``db_worker``) with the periodic-job
scheduler running beside it in a thread, so one process does all background work."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from chuangcheng.core import scheduler

log = logging.getLogger("chuangcheng.scheduler")


class Command(BaseCommand):
    help = "Run the background task worker and the periodic-job scheduler."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue-name", default="*", help="Task queues to work on (default: all)."
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Only work on tasks (when another process runs `chuangcheng scheduler`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_scheduler"]:
            # A daemon thread: it ends with the worker, which handles SIGINT/SIGTERM itself.
            thread = threading.Thread(target=scheduler.loop, name="scheduler", daemon=True)
            thread.start()
        call_command(
            "db_worker",
            queue_name=options["queue_name"],
            reload=False,
            verbosity=options["verbosity"],
        )
