"""Tasks the worker runs: thin wrappers taking names and ids (docs/adr/0004)."""

from __future__ import annotations

from django.tasks import task


@task()
def run_periodic_job(name: str) -> bool:
    """One run of a periodic job claimed by the scheduler."""
    from chuangcheng.core.scheduler import run_job

    return run_job(name)


@task()
def deliver_message(message_id: int) -> str:
    """One delivery attempt of an outbound message; returns its status after the attempt."""
    from chuangcheng.core.messaging import deliver

    return deliver(message_id)
