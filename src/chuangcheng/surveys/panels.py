"""The dashboards' survey panel (core.dashboards, ADR 0010/0011), registered from
``SurveysConfig.ready``: the four rates of the latest survey the user may read results of —
rate, 95 % interval, answers counted and, with margins, the weighted rate — each linking to the
results page. One query finds the survey, the report is six more, whatever the data's size."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.urls import reverse

from chuangcheng.core.dashboards import LEADER, OFFICE, SCREEN, register_panel
from chuangcheng.surveys.domain.results import build_report
from chuangcheng.surveys.enums import SurveyStatus
from chuangcheng.surveys.models import Survey

CANDIDATES = 10


def latest_survey(user: Any) -> Survey | None:
    """The most recently started open or closed survey whose results the user may read."""
    rows = (
        Survey.objects.visible_to(user)
        .exclude(status=SurveyStatus.DRAFT)
        .select_related("region")
        .order_by(F("starts_on").desc(nulls_last=True), "-created_at", "-pk")[:CANDIDATES]
    )
    return next((s for s in rows if user.has_perm("surveys.view_results", s)), None)


@register_panel(
    "surveys.latest",
    boards=(LEADER, OFFICE, SCREEN),
    order=45,
    template="surveys/panels/latest.html",
)
def latest_rates(request: Any, board: str) -> dict[str, Any] | None:
    user = request.user
    if not getattr(user, "is_authenticated", False) or not user.has_perm("surveys.view_results"):
        return None
    survey = latest_survey(user)
    if survey is None:
        return None
    report = build_report(survey)
    if not report.measures:
        return None
    link = reverse("surveys:results", args=[survey.pk])
    return {
        "survey": survey,
        "report": report,
        "weighted": report.weighting.applied,
        "link": link,
    }
