"""The command app's own dashboard panels, registered in ``core.dashboards`` from
``CommandConfig.ready()`` like every other app's (ADR 0010)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from chuangcheng.cases.domain.periods import Period
from chuangcheng.cases.forms_figures import read_period
from chuangcheng.command.domain.boards_scores import measured_month
from chuangcheng.orgs.models import Region


def asked_period(request: HttpRequest) -> Period:
    """The period in ``?period=`` (the current month when absent or unreadable)."""
    return read_period(request.GET)[0]


def score_period(request: Any, region: Region) -> Period:
    """The period of a board's scores: the one asked in the query, else the latest month
    with evidence (the current one, or the one before); one answer per request."""
    if any(request.GET.get(k) for k in ("period", "from", "to")):
        return asked_period(request)
    found = getattr(request, "_board_period", None)
    if found is None:
        found = measured_month(region, timezone.localdate(now_of(request)))
        request._board_period = found
    return found


def now_of(request: Any) -> Any:
    """One clock per request, so every panel of a board counts as of the same moment."""
    found = getattr(request, "_board_now", None)
    if found is None:
        found = timezone.now()
        request._board_now = found
    return found
