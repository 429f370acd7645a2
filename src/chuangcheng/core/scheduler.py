"""Run the registered periodic jobs (:mod:`chuangcheng.core.periodic`) when they are due.

A job is due when it never ran or ``every`` has passed since its last start. Whoever runs it
first *claims* it: ``UPDATE … SET last_run = now WHERE name = … AND last_run = <what was read>``
changes one row for exactly one of two schedulers looking at once; the other sees zero rows and
moves on. A claimed job is enqueued as a task for the worker, or run here with ``inline``. A job
that raises is logged and recorded on its row; the other jobs run all the same.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import traceback
from dataclasses import dataclass

from django.db import close_old_connections
from django.db.models import F
from django.utils import timezone

from chuangcheng.core.models_jobs import JobRun
from chuangcheng.core.periodic import Job, discover

# ``discover`` is looked up here at call time, so tests can swap in a registry of their own.
__all__ = ["Tick", "claim", "discover", "due_jobs", "is_due", "loop", "run_due", "run_job"]

log = logging.getLogger("chuangcheng.scheduler")

# The longest the loop sleeps, so a job registered with a short period is not kept waiting.
MAX_SLEEP = 30.0


def is_due(job: Job, last_run: dt.datetime | None, now: dt.datetime) -> bool:
    """Due when it never ran or at least ``every`` has passed since it last started."""
    return last_run is None or now >= last_run + job.every


def claim(name: str, seen: dt.datetime | None, now: dt.datetime) -> bool:
    """Move the job's ``last_run`` from ``seen`` to ``now``; True for the one caller that did."""
    rows = JobRun.objects.filter(name=name)
    rows = rows.filter(last_run__isnull=True) if seen is None else rows.filter(last_run=seen)
    return rows.update(last_run=now) == 1


def due_jobs(jobs: dict[str, Job], now: dt.datetime) -> list[tuple[Job, dt.datetime | None]]:
    """The jobs due at ``now`` with the ``last_run`` each was seen with (two queries)."""
    JobRun.objects.bulk_create([JobRun(name=n) for n in jobs], ignore_conflicts=True)
    seen = dict(JobRun.objects.filter(name__in=list(jobs)).values_list("name", "last_run"))
    return [
        (job, seen.get(name))
        for name, job in sorted(jobs.items())
        if is_due(job, seen.get(name), now)
    ]


def run_job(name: str) -> bool:
    """Run one registered job now and record how it ended; never raises. True when it succeeded."""
    job = discover().get(name)
    if job is None:
        log.error("periodic job %s is not registered", name)
        return False
    try:
        job.func()
    except Exception as exc:
        log.exception("periodic job %s failed", name)
        detail = "".join(traceback.format_exception_only(exc)).strip()[:2000]
        JobRun.objects.filter(name=name).update(
            finished_at=timezone.now(),
            ok=False,
            error=detail,
            runs=F("runs") + 1,
            failures=F("failures") + 1,
        )
        return False
    JobRun.objects.filter(name=name).update(
        finished_at=timezone.now(), ok=True, error="", runs=F("runs") + 1
    )
    return True


@dataclass
class Tick:
    """What one pass of the scheduler did."""

    started: list[str]
    skipped: list[str]  # due, but another scheduler claimed them first
    failed: list[str]  # run inline and raised


def run_due(*, now: dt.datetime | None = None, inline: bool = False) -> Tick:
    """Claim every due job and enqueue it (or run it here with ``inline``)."""
    from chuangcheng.core.tasks import run_periodic_job

    now = now or timezone.now()
    tick = Tick(started=[], skipped=[], failed=[])
    for job, seen in due_jobs(discover(), now):
        if not claim(job.name, seen, now):
            tick.skipped.append(job.name)
            continue
        tick.started.append(job.name)
        if inline:
            if not run_job(job.name):
                tick.failed.append(job.name)
            continue
        try:
            run_periodic_job.enqueue(job.name)
        except Exception:
            # The claim stands: the job runs again at its next period rather than twice now.
            log.exception("could not enqueue periodic job %s", job.name)
            tick.failed.append(job.name)
    return tick


def seconds_to_next(now: dt.datetime) -> float:
    """How long until the next job is due, capped at :data:`MAX_SLEEP`."""
    jobs = discover()
    seen = dict(JobRun.objects.filter(name__in=list(jobs)).values_list("name", "last_run"))
    waits = []
    for name, job in jobs.items():
        last = seen.get(name)
        waits.append(0.0 if last is None else (last + job.every - now).total_seconds())
    return max(1.0, min([MAX_SLEEP, *waits]))


def loop(*, inline: bool = False, stop: threading.Event | None = None) -> None:
    """Run due jobs until ``stop`` is set; a database error in one pass is logged and retried."""
    stop = stop or threading.Event()
    log.info("scheduler started with jobs: %s", ", ".join(sorted(discover())))
    while not stop.is_set():
        close_old_connections()
        try:
            tick = run_due(inline=inline)
            if tick.started:
                log.info("started %s", ", ".join(tick.started))
            wait = seconds_to_next(timezone.now())
        except Exception:
            log.exception("scheduler pass failed")
            wait = MAX_SLEEP
        close_old_connections()
        stop.wait(wait)
    log.info("scheduler stopped")
