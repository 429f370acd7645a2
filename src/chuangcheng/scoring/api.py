"""Scores under /api/v1/scores/: the tree the CLI prints, the runs, snapshots and the evidence
behind a clause. Scoped like the pages: a scope outside the user's answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from chuangcheng.cases.domain.periods import PeriodError, current_month, parse_period
from chuangcheng.core.api_support import Error, PageLimit, PageOffset
from chuangcheng.inspections.enums import Result
from chuangcheng.orgs.models import Region
from chuangcheng.scoring.domain import access
from chuangcheng.scoring.domain.explain import observation_counts, observations_behind
from chuangcheng.scoring.domain.manage import publish_snapshot
from chuangcheng.scoring.domain.reading import default_framework, run_region, scope_tree
from chuangcheng.scoring.domain.scopes import Question, Resolved, resolve
from chuangcheng.scoring.domain.tree import load_tree
from chuangcheng.scoring.models import ScoreRun

router = Router(tags=["scores"])
MAX_LIMIT = 200


class ScopeParams(Schema):
    period: str = Field("", description="2026-11, 2026-Q4 or 2026; default: this month")
    region: str = Field("", description="Region code (district or street); default: yours")
    unit: str = Field("", description="Unit code: the clauses observed at its points")
    run: int | None = Field(None, description="A stored run instead of the period's live run")


class ScopeOut(Schema):
    kind: str = Field(..., description="region or unit")
    id: int


class TreeOut(Schema):
    run: int
    period: str
    cutoff: str = Field(..., description="Only evidence received by then counts (ISO time)")
    scope: ScopeOut
    tree: dict[str, Any] = Field(
        ...,
        description="{code, name, level, max_score, score (null = 未测), measured_max, rate, "
        "coverage, passed, failed, children}",
    )


class RunOut(Schema):
    id: int
    framework: str
    region: str = Field(..., description="Region code")
    period: str
    kind: str = Field(..., description="live or snapshot")
    cutoff: dt.datetime
    created_at: dt.datetime
    note: str


class RunsOut(Schema):
    count: int
    items: list[RunOut]


class SnapshotIn(Schema):
    period: str = Field(..., description="2026-11, 2026-Q4 or 2026")
    region: str = Field("", description="Region code; default: the district")
    note: str = Field(..., min_length=1, max_length=200)


class ScorePointOut(Schema):
    id: int
    code: str
    name: str
    type: str
    region: str = Field(..., description="Name of the point's region")


class ObservationOut(Schema):
    id: int
    observed_at: dt.datetime
    inspector: str | None
    point: ScorePointOut
    clause: str = Field(..., description="Number of the check item observed")
    result: str = Field(..., description="pass or fail")
    note: str
    photos: list[int]
    case: int | None = Field(..., description="Id of the case a failed observation produced")


class ObservationsOut(Schema):
    run: int
    node: int
    passed: int
    failed: int
    count: int
    items: list[ObservationOut]


class PageParams(ScopeParams):
    limit: PageLimit = 50
    offset: PageOffset = 0


def _resolve(request: HttpRequest, params: ScopeParams, node_id: int | None = None) -> Resolved:
    if not access.may_view(request.user):
        raise HttpError(403, "You may not see scores.")
    try:
        period = parse_period(params.period) if params.period else current_month()
    except PeriodError as exc:
        raise HttpError(422, str(exc)) from exc
    found = resolve(
        request.user,
        Question(period, params.run, params.region.strip(), params.unit.strip()),
        node_id=node_id,
    )
    if found is None:
        raise Http404
    return found


def run_out(run: ScoreRun) -> RunOut:
    return RunOut(
        id=run.pk,
        framework=run.framework.code,
        region=run.region.code,
        period=run.period_key,
        kind=run.kind,
        cutoff=run.cutoff,
        created_at=run.created_at,
        note=run.note,
    )


@router.get("/tree", response={200: TreeOut, 403: Error, 404: Error, 422: Error})
def tree(request: HttpRequest, params: Query[ScopeParams]) -> TreeOut:
    """The score tree of a scope — the same JSON as `chuangcheng score --format json`, read
    from the period's live run (or the run given)."""
    found = _resolve(request, params)
    root = scope_tree(found.run, found.key)
    return TreeOut(
        run=found.run.pk,
        period=found.run.period_key,
        cutoff=found.run.cutoff.isoformat(),
        scope=ScopeOut(kind=found.key[0], id=found.key[1]),
        tree=root.as_json(),
    )


@router.get("/runs", response=RunsOut)
def runs(
    request: HttpRequest, period: str = "", limit: PageLimit = 50, offset: PageOffset = 0
) -> RunsOut:
    """Runs over the regions the user sees, newest first."""
    if not access.may_view(request.user):
        return RunsOut(count=0, items=[])
    qs = ScoreRun.objects.visible_to(request.user).select_related("framework", "region")
    if period:
        qs = qs.filter(period_key=period)
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    return RunsOut(count=qs.count(), items=[run_out(r) for r in qs[offset : offset + limit]])


@router.post("/runs", response={201: RunOut, 403: Error, 404: Error, 422: Error})
def create_snapshot(request: HttpRequest, payload: SnapshotIn) -> Status[RunOut]:
    """Publish a snapshot (office): the framework in force scored for the period over the
    region (a street is scored inside its district's run)."""
    try:
        period = parse_period(payload.period)
    except PeriodError as exc:
        raise HttpError(422, str(exc)) from exc
    regions = access.overview_regions(request.user)
    if payload.region:
        region = next((r for r in regions if r.code == payload.region), None)
        if region is None:
            raise Http404
    elif regions:
        region = regions[0]
    else:
        raise Http404
    over = run_region(region)
    if not Region.objects.visible_to(request.user).filter(pk=over.pk).exists():
        raise Http404
    try:
        run = publish_snapshot(
            actor=request.user,
            framework_id=default_framework().pk,
            region=over,
            period=period,
            note=payload.note,
        )
    except PermissionDenied as exc:
        raise HttpError(403, "Only the office may publish snapshots.") from exc
    run = ScoreRun.objects.select_related("framework", "region").get(pk=run.pk)
    return Status(201, run_out(run))


@router.get(
    "/nodes/{node_id}/observations",
    response={200: ObservationsOut, 403: Error, 404: Error, 422: Error},
)
def node_observations(
    request: HttpRequest, node_id: int, params: Query[PageParams]
) -> ObservationsOut:
    """The observations a clause's figure counted in a scope (newest first, paginated);
    ``passed`` and ``failed`` equal the figure's."""
    found = _resolve(request, params)
    tree_ = load_tree(found.run.framework_id)
    if node_id not in tree_.nodes or not tree_.nodes[node_id].scored:
        raise Http404
    qs = observations_behind(found.run, tree_, node_id, found.key)
    passed, failed = observation_counts(qs)
    limit = max(1, min(params.limit, MAX_LIMIT))
    offset = max(0, params.offset)
    page = qs.select_related(
        "clause",
        "inspection__inspector",
        "inspection__round_point__point__type",
        "inspection__round_point__point__region",
    ).prefetch_related("photos")[offset : offset + limit]
    items = []
    for o in page:
        p = o.inspection.round_point.point
        items.append(
            ObservationOut(
                id=o.pk,
                observed_at=o.inspection.observed_at,
                inspector=str(o.inspection.inspector) if o.inspection.inspector else None,
                point=ScorePointOut(
                    id=p.pk, code=p.code, name=p.name, type=p.type.name, region=p.region.name
                ),
                clause=o.clause.number,
                result="pass" if o.result == Result.PASS else "fail",
                note=o.note,
                photos=[ph.pk for ph in o.photos.all()],
                case=o.case_id,
            )
        )
    return ObservationsOut(
        run=found.run.pk,
        node=node_id,
        passed=passed,
        failed=failed,
        count=passed + failed,
        items=items,
    )
