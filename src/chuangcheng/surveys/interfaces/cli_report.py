"""``chuangcheng survey report``: being written (issue 6); replaced by its owner."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


def add_parser(sub: Any) -> None:
    sub.add_parser("report")


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    raise CommandError("survey report is not written yet")
