"""``chuangcheng survey import FILE.xlsx [--code CODE] [--region CODE] [--framework CODE]
[--title TITLE] [--into CODE]``: an XLSForm as a new draft survey (or added to the draft
survey ``--into``). The region defaults to the only top region when there is exactly one.
Errors name the sheet, row and column; the command then exits non-zero and writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from chuangcheng.frameworks.enums import FrameworkStatus
from chuangcheng.frameworks.models import Framework
from chuangcheng.orgs.models import Region
from chuangcheng.surveys.domain.design_import import import_xlsform
from chuangcheng.surveys.domain.xlsform import XLSFormError
from chuangcheng.surveys.models import Survey


def add_parser(sub: Any) -> None:
    p = sub.add_parser("import", help="Import an XLSForm (.xlsx) as a draft survey.")
    p.add_argument("file", help="The XLSForm workbook (.xlsx).")
    p.add_argument("--code", default="", help="Survey code (default: form_id, else file name).")
    p.add_argument("--title", default="", help="Title (default: form_title).")
    p.add_argument(
        "--region",
        default="",
        help="Region code of the survey (default: the top region, when there is only one).",
    )
    p.add_argument(
        "--framework",
        default="",
        help="Framework code (its version in force) for the clause column.",
    )
    p.add_argument("--into", default="", help="Add the questions to this draft survey instead.")


def _region(code: str) -> Region:
    if code:
        found = Region.objects.filter(code=code).first()
        if found is None:
            raise CommandError(f"No region with code {code}.")
        return found
    tops = list(Region.objects.filter(parent__isnull=True)[:2])
    if len(tops) != 1:
        raise CommandError("Give --region CODE: there is not exactly one top region.")
    return tops[0]


def _framework(code: str) -> Framework | None:
    if not code:
        return None
    rows = Framework.objects.filter(code=code)
    found = rows.filter(status=FrameworkStatus.ACTIVE).first() or rows.order_by("-version").first()
    if found is None:
        raise CommandError(f"No framework with code {code}.")
    return found


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"No such file: {path}")
    into = None
    if options["into"]:
        into = Survey.objects.filter(code=options["into"]).first()
        if into is None:
            raise CommandError(f"No survey with code {options['into']}.")
    with path.open("rb") as stream:
        try:
            result = import_xlsform(
                actor=None,
                stream=stream,
                filename=path.name,
                survey=into,
                code=options["code"],
                title=options["title"],
                region=None if into else _region(options["region"]),
                framework=None if into else _framework(options["framework"]),
            )
        except XLSFormError as exc:
            for issue in exc.issues:
                command.stderr.write(str(issue))
            raise CommandError(
                f"{path.name}: {len(exc.issues)} problem(s); nothing was imported."
            ) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
    survey = result.survey
    verb = "Created" if result.created else "Added to"
    command.stdout.write(
        f"{verb} survey {survey.code} “{survey.title}” ({survey.region.name}): "
        f"{result.questions} questions, {result.choices} choices."
    )
    for warning in result.warnings:
        command.stdout.write(f"warning: {warning}")
