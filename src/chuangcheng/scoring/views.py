"""Score overview and drill-down pages, and the office's recompute / snapshot buttons.

Thin: parse the query → :mod:`scoring.domain.scopes` decides the run and whether the scope may be
seen (404 otherwise) → the domain reads the figures → render.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangcheng.cases.forms_figures import period_choices, read_period
from chuangcheng.scoring.domain import access
from chuangcheng.scoring.domain.explain import (
    explain,
    negative_events,
    observation_counts,
    observations_behind,
)
from chuangcheng.scoring.domain.manage import publish_snapshot, recompute_live
from chuangcheng.scoring.domain.overview import CompareRow, led_rows, street_rows, unit_rows
from chuangcheng.scoring.domain.reading import scope_tree
from chuangcheng.scoring.domain.scopes import Question, Resolved, resolve, snapshots
from chuangcheng.scoring.domain.tree import load_tree
from chuangcheng.scoring.enums import RunKind
from chuangcheng.scoring.forms import SnapshotForm

OBSERVATIONS_PER_PAGE = 50


def _need_view(request: HttpRequest) -> None:
    if not access.may_view(request.user):
        raise PermissionDenied


def question_from(data: Any) -> tuple[Question, str]:
    """The question a query string asks, and a period error ("" when fine)."""
    period, error = read_period(data)
    run_text = str(data.get("run", "") or "")
    region = str(data.get("region", "") or "")
    unit = str(data.get("unit", "") or "")
    # The overview's scope selector sends "region:CODE" or "unit:CODE".
    kind, _sep, code = str(data.get("scope", "") or "").partition(":")
    if code and kind in ("region", "unit"):
        region, unit = (code, "") if kind == "region" else ("", code)
    return (
        Question(
            period=period,
            run_id=int(run_text) if run_text.isdigit() else None,
            region_code=region,
            unit_code=unit,
        ),
        error,
    )


def _resolve(request: HttpRequest, node_id: int | None = None) -> tuple[Resolved, str]:
    _need_view(request)
    question, error = question_from(request.GET)
    if request.GET.get("run") and question.run_id is None:
        raise Http404
    found = resolve(request.user, question, node_id=node_id)
    if found is None:
        raise Http404
    return found, error


def _scope_query(found: Resolved) -> str:
    return urlencode(found.query(with_run=found.run.kind == RunKind.SNAPSHOT))


def _previous_periods(found: Resolved) -> list[tuple[str, str]]:
    """The three months before the run's period (links), newest first."""
    months = found.period.previous_months(4)[:-1] if found.period.kind == "month" else []
    return [(p.key, str(p.label)) for p in reversed(months)]


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    found, error = _resolve(request)
    run = found.run
    tree = load_tree(run.framework_id)
    root = scope_tree(run, found.key, tree)
    overview = bool(access.overview_regions(request.user))
    # Only the run region's own overview compares streets and units.
    compare = overview and found.region is not None and found.region.pk == run.region_id
    streets = street_rows(run, tree) if compare else []
    scored_units = unit_rows(run, tree) if overview else []
    led = [] if overview else led_rows(run, tree, access.led_units(request.user))
    scopes = _scope_options(request, found, scored_units if overview else None)
    can_compute = request.user.has_perm("scoring.compute_scores", run.region)
    return render(
        request,
        "scoring/index.html",
        {
            "found": found,
            "run": run,
            "root": root,
            "rows": _flatten(root),
            "projects": [tree.nodes[r] for r in tree.roots],
            "streets": streets,
            "units": scored_units if compare else [],
            "led": led,
            "overview": overview,
            "scopes": scopes,
            "periods": period_choices(),
            "previous": _previous_periods(found),
            "error": error,
            "query": _scope_query(found),
            "can_compute": can_compute,
            "can_rules": request.user.has_perm("scoring.manage_rules", run.region),
            "snapshots": snapshots(request.user, found) if overview else [],
            "snapshot_form": SnapshotForm(),
        },
    )


def _flatten(root: Any) -> list[tuple[Any, int, str]]:
    """Rows of the tree table: (node, depth, parent key) in display order; the framework row
    is depth 0 and each node's key is its id ("" for the root)."""
    rows: list[tuple[Any, int, str]] = []

    def visit(node: Any, depth: int, parent: str) -> None:
        rows.append((node, depth, parent))
        for child in node.children:
            visit(child, depth + 1, str(node.node_id or "root"))

    visit(root, 0, "")
    return rows


def _scope_options(
    request: HttpRequest, found: Resolved, scored_units: list[CompareRow] | None
) -> list[dict[str, Any]]:
    """The scopes the user may switch to: regions they oversee (district, streets) and units
    scored in the run, or, for a unit user (``scored_units`` None), their own units."""
    options: list[dict[str, Any]] = []
    if scored_units is not None:
        for region in access.overview_regions(request.user):
            options.append({"param": "region", "code": region.code, "label": region.name})
        for row in scored_units:
            options.append({"param": "unit", "code": row.code, "label": row.name})
    else:
        for unit in access.own_units(request.user).order_by("code"):
            options.append(
                {"param": "unit", "code": unit.code, "label": unit.short_name or unit.name}
            )
    current = found.query(with_run=False)
    for o in options:
        o["selected"] = current.get(o["param"]) == o["code"]
    return options


@login_required
@require_GET
def node(request: HttpRequest, node_id: int) -> HttpResponse:
    found, error = _resolve(request, node_id=node_id)
    run = found.run
    tree = load_tree(run.framework_id)
    if node_id not in tree.nodes:
        raise Http404
    target = tree.nodes[node_id]
    if found.led_only and target.lead_unit_id not in access.led_units(request.user):
        raise Http404
    explained = explain(run, tree, node_id, found.key)
    page = None
    counted: tuple[int, int] | None = None
    events: list[Any] = []
    if target.scored and not found.led_only:
        qs = observations_behind(run, tree, node_id, found.key)
        counted = observation_counts(qs)
        qs = qs.select_related(
            "clause",
            "case",
            "inspection__inspector",
            "inspection__round_point__point__type",
            "inspection__round_point__point__region__parent",
        ).prefetch_related("photos")
        page = Paginator(qs, OBSERVATIONS_PER_PAGE).get_page(request.GET.get("page"))
        events = list(negative_events(run, tree, node_id, found.key))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "scoring/node.html",
        {
            "found": found,
            "run": run,
            "tree": tree,
            "target": target,
            "x": explained,
            "page": page,
            "counted": counted,
            "events": events,
            "query": _scope_query(found),
            "page_query": query.urlencode(),
            "error": error,
            "sees_round_photos": request.user.has_perm("inspections.view_rounds"),
        },
    )


def _back(found: Resolved) -> str:
    return f"{reverse('scoring:index')}?{_scope_query(found)}"


@login_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    found, _error = _resolve(request)
    run = found.run
    fresh = recompute_live(
        actor=request.user,
        framework_id=run.framework_id,
        region=run.region,
        period=found.period,
    )
    messages.success(
        request, _("Recomputed: the figures now count the evidence received until now.")
    )
    found.run = fresh
    return redirect(_back(found))


@login_required
@require_POST
def snapshot(request: HttpRequest) -> HttpResponse:
    found, _error = _resolve(request)
    form = SnapshotForm(request.POST)
    if not form.is_valid():
        if not request.user.has_perm("scoring.compute_scores", found.run.region):
            raise PermissionDenied
        messages.error(request, _("Give the snapshot a note saying what it is for."))
        return redirect(_back(found))
    run = publish_snapshot(
        actor=request.user,
        framework_id=found.run.framework_id,
        region=found.run.region,
        period=found.period,
        note=form.cleaned_data["note"],
    )
    messages.success(request, _("Snapshot published; its figures will not change."))
    found.run = run
    return redirect(_back(found))
