"""Helpers for the fieldwork tests: screening answers and a whole response in one call."""

from __future__ import annotations

from typing import Any

from chuangcheng.core.crypto import keyed_hash
from chuangcheng.surveys.domain import submit
from chuangcheng.surveys.domain.screening import DEVICE_PURPOSE, Screening, clean_screening
from chuangcheng.surveys.enums import Mode
from chuangcheng.surveys.models import QuotaCell, Response, Survey
from tests.surveys.conftest import SurveyWorld

GOOD = {"aware": "yes", "joined": ["vol"], "satisfied": "s"}


def screening(survey: Survey, **raw: Any) -> Screening:
    data = {"age": "34", "sex": "f", "months": "24", "region": "110101001001", **raw}
    cleaned, errors = clean_screening(survey, {k: str(v) for k, v in data.items()})
    assert not errors, errors
    assert cleaned is not None
    return cleaned


def device(token: str) -> str:
    return keyed_hash(token, DEVICE_PURPOSE)


def respond(
    sw: SurveyWorld,
    answers: dict[str, Any] | None = None,
    *,
    actor: Any = None,
    mode: str = Mode.SELF,
    token: str = "",
    survey: Survey | None = None,
    **screen: Any,
) -> Response:
    """Screen and, when eligible, submit ``answers`` (GOOD by default)."""
    target = survey or sw.survey
    started = submit.start(
        target,
        actor=actor,
        screening=screening(target, **screen),
        mode=mode,
        device_hash=device(token) if token else "",
    )
    if started.state != "draft":
        return started
    return submit.submit(started, GOOD if answers is None else answers, actor=actor)


def grid(sw: SurveyWorld, target: int, **keys: str) -> QuotaCell:
    """One quota cell over street s1 (any age band and sex unless given)."""
    return QuotaCell.objects.create(survey=sw.survey, street=sw.world.s1, target=target, **keys)
