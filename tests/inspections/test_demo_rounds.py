"""The demo rounds: one finished mock assessment with cases, one open routine round."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest

from chuangcheng.accounts.models import User
from chuangcheng.cases.enums import CaseSource, CaseStatus
from chuangcheng.cases.models import Case
from chuangcheng.demo.loader import load_demo
from chuangcheng.demo.rounds import load_demo_rounds
from chuangcheng.inspections import results
from chuangcheng.inspections.enums import RoundKind, RoundStatus
from chuangcheng.inspections.models import Inspection, Observation, Round

pytestmark = pytest.mark.django_db


def test_demo_rounds(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    load_demo(include_cases=False)  # only the rounds' own cases
    out = StringIO()
    made = load_demo_rounds(out, today=dt.date(2026, 11, 22))
    assert made.created and made.mock is not None and made.routine is not None
    mock, routine = made.mock, made.routine
    assert (mock.name, mock.kind, mock.status) == (
        "2026年10月模拟测评",
        RoundKind.MOCK,
        RoundStatus.CLOSED,
    )
    assert (mock.period_start, mock.period_end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert mock.round_points.count() == 40
    assert Inspection.objects.filter(round_point__round=mock).count() == 40
    overall = results.overall(mock)
    # Mostly compliant; the fixed seeds give these figures on every load.
    assert (overall.passed, overall.failed, overall.na) == (171, 13, 9)
    assert str(overall.percent) == "92.9"
    cases = Case.objects.filter(source=CaseSource.INSPECTION)
    assert cases.count() == made.cases == Observation.objects.filter(result="fail").count()
    assert set(cases.values_list("status", flat=True)) == {CaseStatus.DISPATCHED}
    assert routine.status == RoundStatus.OPEN and routine.repeat_monthly
    assert routine.region.name == "景山街道" and routine.round_points.count() == 10
    inspector = User.objects.get(username="inspector")
    assert inspector.home_region.code == "110101001"
    assert set(routine.round_points.values_list("inspector__username", flat=True)) == {"inspector"}
    assert "2026年11月日常督查（景山街道）" in out.getvalue()
    # A second call changes nothing.
    assert load_demo_rounds(today=dt.date(2026, 11, 22)).created is False
    assert Round.objects.count() == 2
