"""``chuangcheng score --period 2026-11 [--region CODE | --unit CODE] --format json|table``.

Each call computes a new stored run (a snapshot with the evidence received by now, or by
``--cutoff``) and prints the tree of the region or unit asked for; ``--run ID`` prints a stored
run again without computing.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from chuangcheng.cases.domain.periods import PeriodError, parse_period
from chuangcheng.frameworks.models import Framework
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.scoring.domain.compute import ScoringError, compute_run
from chuangcheng.scoring.domain.evidence import ScopeKey
from chuangcheng.scoring.domain.reading import (
    ScoreNode,
    campaign_region,
    default_framework,
    region_key,
    run_region,
    scope_tree,
    unit_key,
)
from chuangcheng.scoring.enums import RunKind
from chuangcheng.scoring.models import ScoreRun


class Command(BaseCommand):
    help = "Score the framework for a period and print the tree (JSON or a table)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", help="2026-11, 2026-Q4, 2026 or 2026-11-01..2026-11-15")
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--region", help="region code (default: the whole district)")
        target.add_argument("--unit", help="unit code: the clauses observed at its points")
        parser.add_argument("--framework", help="framework code (default: the one in force)")
        parser.add_argument("--format", choices=("json", "table"), default="table")
        parser.add_argument("--cutoff", help="count only evidence received by this ISO time")
        parser.add_argument("--run", type=int, help="print a stored run instead of computing")
        parser.add_argument("--depth", type=int, default=0, help="table: levels shown (0 = all)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            run, key = self._run(opts)
        except (ScoringError, PeriodError) as exc:
            raise CommandError(str(exc)) from exc
        tree = scope_tree(run, key)
        if opts["format"] == "json":
            payload = {
                "run": run.pk,
                "period": run.period_key,
                "cutoff": run.cutoff.isoformat(),
                "scope": {"kind": key[0], "id": key[1]},
                "tree": tree.as_json(),
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"run {run.pk} · {run.period_key} · evidence received by "
            f"{timezone.localtime(run.cutoff):%Y-%m-%d %H:%M}"
        )
        for line in table_lines(tree, opts["depth"]):
            self.stdout.write(line)

    def _run(self, opts: dict[str, Any]) -> tuple[ScoreRun, ScopeKey]:
        region: Region | None = None
        unit: Unit | None = None
        if opts.get("region"):
            region = Region.objects.filter(code=opts["region"]).select_related("parent").first()
            if region is None:
                raise CommandError(f"No region has the code {opts['region']}.")
        if opts.get("unit"):
            unit = Unit.objects.filter(code=opts["unit"]).first()
            if unit is None:
                raise CommandError(f"No unit has the code {opts['unit']}.")
        if opts.get("run"):
            run = ScoreRun.objects.select_related("region").filter(pk=opts["run"]).first()
            if run is None:
                raise CommandError(f"No score run {opts['run']}.")
        else:
            if not opts.get("period"):
                raise CommandError("Give --period (e.g. 2026-11) or --run.")
            period = parse_period(opts["period"])
            if opts.get("framework"):
                fw = Framework.objects.filter(code=opts["framework"], status="active").first()
                if fw is None:
                    raise CommandError(f"No framework {opts['framework']} is in force.")
            else:
                fw = default_framework()
            over = run_region(region) if region is not None else campaign_region()
            cutoff = _cutoff(opts.get("cutoff"))
            run = compute_run(
                framework=fw,
                region=over,
                period=period,
                kind=RunKind.SNAPSHOT,
                cutoff=cutoff,
                note="chuangcheng score",
            )
        if unit is not None:
            return run, unit_key(unit)
        return run, region_key(region or run.region)


def _cutoff(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--cutoff {text!r} is not an ISO date and time.") from exc
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def table_lines(tree: ScoreNode, depth: int = 0) -> list[str]:
    """An indented table: code and name, score / maximum, 得分率 and coverage."""
    lines = [f"{_pad('', 44)}{'score':>10}{'max':>8}{'rate':>8}{'coverage':>10}"]

    def visit(node: ScoreNode, level: int) -> None:
        c = node.cell
        label = ("  " * level + f"{node.code} {node.name}").rstrip()
        if _width(label) > 42:
            while _width(label) > 41:
                label = label[:-1]
            label += "…"
        score = "未测" if c.score is None else f"{c.score:.2f}"
        rate = "" if c.rate is None else f"{c.rate * 100:.1f}%"
        lines.append(
            f"{_pad(label, 44)}{score:>10}{c.max_score:>8.2f}{rate:>8}{c.coverage * 100:>9.0f}%"
        )
        if depth and level + 1 >= depth:
            return
        for child in node.children:
            visit(child, level + 1)

    visit(tree, 0)
    return lines
