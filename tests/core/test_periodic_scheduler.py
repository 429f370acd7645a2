"""The scheduler: when a job is due, who claims it, what a failing job leaves behind."""

from __future__ import annotations

import datetime as dt
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from chuangcheng.core import scheduler
from chuangcheng.core.models_jobs import JobRun
from chuangcheng.core.periodic import Job, discover

T0 = dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)


@pytest.fixture
def jobs(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Two jobs of our own instead of the project's: ``t.fast`` every 5 min, ``t.slow`` every
    hour, and ``t.broken`` every 5 min which raises. Returns the log of calls."""
    calls: dict[str, list[str]] = {"calls": []}

    def fast() -> None:
        calls["calls"].append("fast")

    def slow() -> None:
        calls["calls"].append("slow")

    def broken() -> None:
        calls["calls"].append("broken")
        raise RuntimeError("gateway down")

    registry = {
        "t.fast": Job("t.fast", 5 * MIN, fast),
        "t.slow": Job("t.slow", 60 * MIN, slow),
        "t.broken": Job("t.broken", 5 * MIN, broken),
    }
    monkeypatch.setattr(scheduler, "discover", lambda: registry)
    return calls


def test_the_project_registers_its_jobs() -> None:
    registry = discover()
    assert registry["cases.escalate_overdue"].every == dt.timedelta(minutes=5)
    assert registry["cases.remind_due_soon"].every == dt.timedelta(minutes=5)
    assert registry["core.deliver_messages"].every == dt.timedelta(minutes=1)


def test_due_exactly_when_the_period_has_passed() -> None:
    job = Job("x", 5 * MIN, lambda: None)
    assert scheduler.is_due(job, None, T0) is True
    assert scheduler.is_due(job, T0 - 5 * MIN + dt.timedelta(seconds=1), T0) is False
    assert scheduler.is_due(job, T0 - 5 * MIN, T0) is True
    assert scheduler.is_due(job, T0 - 6 * MIN, T0) is True


@pytest.mark.django_db
def test_claim_succeeds_once_for_the_value_seen() -> None:
    JobRun.objects.create(name="x")
    assert scheduler.claim("x", None, T0) is True
    assert scheduler.claim("x", None, T0) is False  # another scheduler read None as well
    assert scheduler.claim("x", T0 - MIN, T0 + 5 * MIN) is False  # a stale value
    assert scheduler.claim("x", T0, T0 + 5 * MIN) is True
    assert JobRun.objects.get(name="x").last_run == T0 + 5 * MIN


@pytest.mark.django_db
def test_inline_pass_runs_due_jobs_and_records_the_failure(jobs) -> None:
    tick = scheduler.run_due(now=T0, inline=True)
    assert tick.started == ["t.broken", "t.fast", "t.slow"]
    assert tick.failed == ["t.broken"]
    assert jobs["calls"] == ["broken", "fast", "slow"]
    runs = {r.name: r for r in JobRun.objects.all()}
    assert (runs["t.fast"].last_run, runs["t.fast"].ok, runs["t.fast"].runs) == (T0, True, 1)
    broken = runs["t.broken"]
    assert (broken.ok, broken.runs, broken.failures) == (False, 1, 1)
    assert broken.error == "RuntimeError: gateway down"

    # Four minutes later nothing is due; at five the two fast jobs are, the hourly one is not.
    assert scheduler.run_due(now=T0 + 4 * MIN, inline=True).started == []
    tick = scheduler.run_due(now=T0 + 5 * MIN, inline=True)
    assert tick.started == ["t.broken", "t.fast"]
    assert jobs["calls"] == ["broken", "fast", "slow", "broken", "fast"]
    assert JobRun.objects.get(name="t.fast").runs == 2
    assert JobRun.objects.get(name="t.slow").last_run == T0
    assert scheduler.run_due(now=T0 + 60 * MIN, inline=True).started == [
        "t.broken",
        "t.fast",
        "t.slow",
    ]


@pytest.mark.django_db
def test_a_job_claimed_by_another_scheduler_is_skipped(jobs) -> None:
    seen = scheduler.due_jobs(scheduler.discover(), T0)
    assert [(j.name, last) for j, last in seen] == [
        ("t.broken", None),
        ("t.fast", None),
        ("t.slow", None),
    ]
    # The other scheduler claims t.fast between our read and our claim.
    assert scheduler.claim("t.fast", None, T0) is True
    assert scheduler.claim("t.fast", None, T0) is False
    tick = scheduler.run_due(now=T0, inline=True)
    assert "t.fast" not in tick.started and "fast" not in jobs["calls"]


@pytest.mark.django_db
def test_enqueued_jobs_run_in_the_worker(jobs) -> None:
    # Tests use Django's immediate task backend: the enqueued task runs at once.
    tick = scheduler.run_due(now=T0)
    assert tick.started == ["t.broken", "t.fast", "t.slow"]
    assert tick.failed == []  # a failure inside the worker is recorded, not raised here
    assert jobs["calls"] == ["broken", "fast", "slow"]
    assert JobRun.objects.get(name="t.broken").ok is False


@pytest.mark.django_db
def test_next_wait_is_until_the_earliest_due_job(jobs) -> None:
    scheduler.run_due(now=T0, inline=True)
    assert scheduler.seconds_to_next(T0 + 2 * MIN) == 30.0  # 3 min away, but it looks every 30 s
    assert scheduler.seconds_to_next(T0 + 4 * MIN + dt.timedelta(seconds=50)) == 10.0
    assert scheduler.seconds_to_next(T0 + 6 * MIN) == 1.0


@pytest.mark.django_db
def test_scheduler_command_once_and_list(jobs) -> None:
    out = StringIO()
    call_command("scheduler", "--once", "--inline", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3 and "t.broken" in lines[0] and "t.fast" in lines[1]
    assert jobs["calls"] == ["broken", "fast", "slow"]
    out = StringIO()
    call_command("scheduler", "--once", "--inline", stdout=out)
    assert jobs["calls"] == ["broken", "fast", "slow"]  # nothing was due a moment later
    out = StringIO()
    call_command("scheduler", "--list", stdout=out)
    listing = out.getvalue()
    assert "t.fast" in listing and "RuntimeError: gateway down" in listing
    assert (
        timezone.localtime(JobRun.objects.get(name="t.fast").last_run).strftime("%Y-%m-%d %H:%M")
        in listing
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_racing_run_a_job_once() -> None:
    JobRun.objects.create(name="race", last_run=T0)
    barrier = threading.Barrier(8)
    wins: list[bool] = []

    def contend() -> None:
        barrier.wait()
        try:
            wins.append(scheduler.claim("race", T0, T0 + 5 * MIN))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=contend) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False] * 7 + [True]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_several_workers_on_postgresql_run_each_due_job_once(
    monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    """Three schedulers enqueue at the same moment and three db workers drain the queue
    together (as three `chuangcheng worker` processes would): every job runs exactly once."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # type: ignore[attr-defined]
    ran: list[str] = []
    lock = threading.Lock()

    def job(name: str) -> Job:
        def run() -> None:
            with lock:
                ran.append(name)

        return Job(name, 5 * MIN, run)

    registry = {f"w.{i:02d}": job(f"w.{i:02d}") for i in range(24)}
    monkeypatch.setattr(scheduler, "discover", lambda: registry)

    def in_threads(target: object, n: int = 3) -> None:
        barrier = threading.Barrier(n)

        def run() -> None:
            barrier.wait()
            try:
                target()  # type: ignore[operator]
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run) for _ in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    in_threads(lambda: scheduler.run_due(now=T0))
    assert DBTaskResult.objects.count() == 24  # each due job enqueued by one scheduler only
    counter = iter(range(3))

    def work() -> None:
        Worker(
            queue_names=["*"],
            interval=0.01,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"worker-{next(counter)}",
            excluded_queue_names=[],
        ).run()

    in_threads(work)
    assert sorted(ran) == sorted(registry)
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 24
    assert all(len(r.worker_ids) == 1 for r in DBTaskResult.objects.all())
