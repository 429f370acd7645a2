"""Periodic jobs: a registry that apps fill from their ``jobs.py`` modules.

An app declares ``@periodic("cases.escalate_overdue", every=dt.timedelta(minutes=5))`` on a
function that takes no arguments and is safe to run twice (idempotent). The scheduler that runs
beside the task worker decides when each job is due and enqueues it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

JobFunc = Callable[[], object]


@dataclass(frozen=True)
class Job:
    name: str
    every: dt.timedelta
    func: JobFunc


REGISTRY: dict[str, Job] = {}


def periodic(name: str, *, every: dt.timedelta) -> Callable[[JobFunc], JobFunc]:
    """Register ``func`` to run every ``every``; names are unique across the project."""

    def decorate(func: JobFunc) -> JobFunc:
        if name in REGISTRY and REGISTRY[name].func is not func:
            raise ValueError(f"periodic job {name!r} registered twice")
        REGISTRY[name] = Job(name=name, every=every, func=func)
        return func

    return decorate


def discover() -> dict[str, Job]:
    """Import every installed app's ``jobs`` module so its jobs register; returns the registry."""
    import importlib

    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "jobs"):
            importlib.import_module(f"{config.name}.jobs")
    return REGISTRY
