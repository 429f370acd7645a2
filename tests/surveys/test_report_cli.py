"""``chuangcheng survey report CODE --format json|csv [--output FILE]``: the contract of issue 6."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from chuangcheng.surveys.models import Margin
from tests.surveys.conftest import SurveyWorld
from tests.surveys.results_data import load_ten

CONTRACT = ("numerator", "denominator", "rate", "ci_low", "ci_high", "weighted_rate")


def report(*args: str) -> str:
    out = StringIO()
    call_command("survey", "report", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def ten(sw: SurveyWorld) -> SurveyWorld:
    load_ten(sw)
    return sw


def test_json_gives_each_measure_and_street_the_contract_figures(ten: SurveyWorld) -> None:
    data = json.loads(report("s2026", "--format", "json"))
    assert list(data["measures"]) == ["awareness", "participation", "satisfaction"]
    streets = data["measures"]["awareness"]["streets"]
    assert list(streets) == ["all", "110101001", "110101002"]
    assert {k: streets["all"][k] for k in CONTRACT} == {
        "numerator": 6.0,
        "denominator": 10,
        "rate": 0.6,
        "ci_low": 0.3127,
        "ci_high": 0.8318,
        "weighted_rate": None,
    }
    assert {k: streets["110101002"][k] for k in CONTRACT[:3]} == {
        "numerator": 2.0,
        "denominator": 4,
        "rate": 0.5,
    }
    assert streets["110101001"]["name"] == "东华门街道"
    assert streets["110101001"]["respondents"] == 6
    sat = data["measures"]["satisfaction"]
    assert (sat["streets"]["all"]["rate"], sat["streets"]["all"]["n"]) == (0.7333, 9)
    [clause] = sat["clauses"]
    assert clause["number"] == "1." and clause["streets"]["110101001"]["rate"] == 0.76
    assert data["weighting"]["applied"] is False
    assert data["survey"] == {
        "code": "s2026",
        "title": "2026年文明城区创建群众满意度调查",
        "status": "open",
        "region": {"code": "110101", "name": "东城区"},
        "starts_on": None,
        "ends_on": None,
        "respondents": 10,
    }


def test_with_margins_the_weighted_rate_is_a_number(ten: SurveyWorld) -> None:
    Margin.objects.create(survey=ten.survey, dimension="street", value="110101001", population=300)
    Margin.objects.create(survey=ten.survey, dimension="street", value="110101002", population=700)
    data = json.loads(report("s2026"))
    assert data["measures"]["awareness"]["streets"]["all"]["weighted_rate"] == 0.55
    assert data["weighting"] == {
        "applied": True,
        "dimensions": ["street"],
        "iterations": 1,
        "converged": True,
        "design_effect": 1.375,
        "effective_n": 7.3,
        "excluded": 0,
        "warnings": [],
    }


def test_csv_has_a_row_per_measure_clause_and_street(ten: SurveyWorld) -> None:
    rows = list(csv.DictReader(io.StringIO(report("s2026", "--format", "csv"))))
    # 3 measures × 3 (all + 2 streets) + 2 clause blocks (awareness, satisfaction) × 3.
    assert len(rows) == 15
    first = rows[0]
    assert (first["measure"], first["street"], first["rate"], first["weighted_rate"]) == (
        "awareness",
        "all",
        "0.6",
        "",
    )
    clause_rows = [r for r in rows if r["clause_number"] == "1." and r["measure"] == "satisfaction"]
    assert [r["rate"] for r in clause_rows] == ["0.7333", "0.76", "0.7"]


def test_output_writes_the_file(ten: SurveyWorld, tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    assert report("s2026", "--output", str(target)) == ""
    assert json.loads(target.read_text(encoding="utf-8"))["survey"]["code"] == "s2026"


def test_an_unknown_code_is_an_error_naming_it(sw: SurveyWorld) -> None:
    with pytest.raises(CommandError, match="no survey with code 'nope'"):
        report("nope")


def test_the_command_line_exits_non_zero_for_an_unknown_code(tmp_path: Path) -> None:
    """The installed ``chuangcheng`` entry point, on a scratch database."""
    env: dict[str, Any] = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PATH": "/usr/bin:/bin",
    }
    env.update({k: v for k, v in os.environ.items() if k in ("PYTHONPATH", "SECRET_KEY_FILE")})
    run = [sys.executable, "-m", "chuangcheng"]
    subprocess.run([*run, "migrate", "-v", "0"], env=env, check=True, capture_output=True)
    done = subprocess.run(
        [*run, "survey", "report", "nope"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert "no survey with code 'nope'" in done.stderr
