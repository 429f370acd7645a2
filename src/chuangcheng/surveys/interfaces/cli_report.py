"""``chuangcheng survey report CODE [--format json|csv] [--output FILE]``.

Prints, for each measure and each street (and the whole region as ``"all"``), ``numerator``,
``denominator``, ``rate``, ``ci_low``, ``ci_high`` and ``weighted_rate`` (null without
margins), with the sample size, the clause breakdown and the weighting as further keys
(:func:`chuangcheng.surveys.interfaces.export.report_json`). CSV has one row per measure ×
clause × street with machine-readable headers. An unknown code stops with an error naming it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from chuangcheng.surveys.domain.results import build_report
from chuangcheng.surveys.interfaces.export import machine_headers, rate_rows, report_json, to_csv
from chuangcheng.surveys.models import Survey


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "report", help="Print a survey's rates, intervals and weighted rates per street."
    )
    parser.add_argument("code", help="The survey's code.")
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument("--output", help="Write to this file instead of standard output.")


def render(code: str, fmt: str) -> str:
    survey = Survey.objects.select_related("region").filter(code=code).first()
    if survey is None:
        known = ", ".join(Survey.objects.order_by("code").values_list("code", flat=True)[:20])
        raise CommandError(
            f"no survey with code {code!r}" + (f" (known: {known})" if known else "")
        )
    report = build_report(survey)
    if fmt == "csv":
        return to_csv(machine_headers(), rate_rows(report))
    return json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n"


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    text = render(options["code"], options["format"])
    output = options.get("output")
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}") from exc
        command.stderr.write(f"wrote {output}")
        return
    command.stdout.write(text, ending="")
