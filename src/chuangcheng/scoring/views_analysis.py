"""Where to act first (gap list, what-if) and trends. Thin: parse → domain → render.

Who sees which scope is decided in :mod:`chuangcheng.scoring.domain.analysis_scope`; a scope,
case or point outside the user's answers 404.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from chuangcheng.cases.forms_figures import period_choices
from chuangcheng.scoring.domain import access
from chuangcheng.scoring.domain.analysis_scope import Scope, resolve_scope, scope_choices
from chuangcheng.scoring.domain.cells import Cell
from chuangcheng.scoring.domain.gaps import gap_list
from chuangcheng.scoring.domain.trends import TrendError, trend
from chuangcheng.scoring.domain.whatif import (
    Basis,
    FailedObservation,
    NotVisibleError,
    failed_observations,
    open_case_condition,
    what_if,
)
from chuangcheng.scoring.forms_analysis import TrendForm, WhatIfForm, read_period
from chuangcheng.scoring.trend_chart import line_chart


def node_url(node_id: int | None, query: dict[str, str]) -> str | None:
    """The drill-down page of a node when that page exists (it lives in another module)."""
    if node_id is None:
        return None
    try:
        base = reverse("scoring:node", args=[node_id])
    except NoReverseMatch:
        return None
    return f"{base}?{urlencode(query)}"


def _scope(request: HttpRequest) -> Scope:
    if not access.may_view(request.user):
        raise PermissionDenied
    scope = resolve_scope(request.user, request.GET.get("region"), request.GET.get("unit"))
    if scope is None:
        raise Http404
    return scope


def _filters(request: HttpRequest, scope: Scope) -> dict[str, Any]:
    regions, units = scope_choices(request.user)
    return {"scope": scope, "regions": regions, "units": units, "scope_q": urlencode(scope.query)}


@login_required
@require_GET
def gaps(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    period, error = read_period(request.GET)
    found = gap_list(request.user, scope, period)
    query = {**scope.query, "period": period.key}
    rows = [(r, node_url(r.node.id, {**query, **_row_scope(r.key)})) for r in found.rows]
    return render(
        request,
        "scoring/analysis_gaps.html",
        {
            **_filters(request, scope),
            "gaps": found,
            "rows": rows,
            "period": period,
            "periods": period_choices(),
            "error": error,
            "query": urlencode(query),
            "all_cases": urlencode({**query, "case": ",".join(map(str, found.case_ids))}),
        },
    )


def _row_scope(key: tuple[str, int]) -> dict[str, str]:
    return {key[0]: str(key[1])}


def _candidates(
    request: HttpRequest, basis: Basis, scope: Scope
) -> tuple[list[FailedObservation], list[tuple[int, str, int]]]:
    """The open cases and the points with failures the user may tick (two queries)."""
    cases = failed_observations(basis.ctx, open_case_condition(request.user), scope, [scope.key])
    failed = failed_observations(basis.ctx, Q(), scope, [scope.key])
    per_point: dict[tuple[int, str], int] = defaultdict(int)
    for obs in failed:
        per_point[(obs.point_id, obs.point_name)] += 1
    points = sorted(
        ((pk, name, n) for (pk, name), n in per_point.items()), key=lambda p: (-p[2], p[1])
    )
    return cases, points


def _pct(cell: Cell | None) -> Decimal | None:
    rate = cell.rate if cell is not None else None
    return None if rate is None else (rate * 100).quantize(Decimal("0.01"))


@login_required
@require_GET
def what_if_page(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    period, error = read_period(request.GET)
    form = WhatIfForm(request.GET)
    case_ids: list[int] = []
    point_ids: list[int] = []
    if form.is_valid():
        case_ids, point_ids = form.cleaned_data["case"], form.cleaned_data["point"]
    try:
        result = what_if(request.user, scope, period, case_ids=case_ids, point_ids=point_ids)
    except NotVisibleError as exc:
        raise Http404 from exc
    cases, points = _candidates(request, result.basis, scope)
    query = {**scope.query, "period": period.key}
    return render(
        request,
        "scoring/analysis_whatif.html",
        {
            **_filters(request, scope),
            "result": result,
            "form": form,
            "period": period,
            "periods": period_choices(),
            "error": error,
            "query": urlencode(query),
            "cases": cases,
            "points": points,
            "now_pct": _pct(result.total.now if result.total else None),
            "projected_pct": _pct(result.total.projected if result.total else None),
            "chosen_cases": set(case_ids),
            "chosen_points": set(point_ids),
            "outline": [(c, node_url(c.node_id, query)) for c in result.outline],
            "clauses": [(c, node_url(c.node_id, query)) for c in result.clauses],
        },
    )


@login_required
@require_GET
def trends(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    form = TrendForm(request.GET)
    form.is_valid()
    grain = form.grain_value()
    node_id = form.cleaned_data.get("node")
    try:
        found = trend(scope, grain=grain, node_id=node_id)
    except TrendError as exc:
        raise Http404 from exc
    tree = found.tree
    nodes = [
        (n, len(tree.ancestors(n))) for n in sorted(tree.nodes, key=lambda n: tree.nodes[n].seq)
    ]
    return render(
        request,
        "scoring/analysis_trends.html",
        {
            **_filters(request, scope),
            "trend": found,
            "chart": line_chart(found.points),
            "grain": grain,
            "nodes": [(tree.nodes[n], "\u3000" * depth) for n, depth in nodes],
            "node_link": node_url(node_id, scope.query),
            "rows": list(reversed(found.points)),
        },
    )
