"""Which run and which scope a page or API question is about, and whether the user may see it.

A question names a period (or a stored run) and a scope: a region by code (the district or a
street) or a unit by code. :func:`resolve` answers with the run and the scope key, or None when
the scope is outside the user's (the caller answers 404). It never computes a run for a scope the
user may not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chuangcheng.cases.domain.periods import Period
from chuangcheng.frameworks.models import Node
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.scoring.domain import access
from chuangcheng.scoring.domain.compute import run_period
from chuangcheng.scoring.domain.evidence import ScopeKey
from chuangcheng.scoring.domain.reading import (
    campaign_region,
    default_framework,
    live_run,
    run_region,
)
from chuangcheng.scoring.enums import RunKind, ScopeKind
from chuangcheng.scoring.models import ScoreRun


@dataclass
class Question:
    """What the query string asks: a period, and optionally a run, a region or a unit code."""

    period: Period
    run_id: int | None = None
    region_code: str = ""
    unit_code: str = ""


@dataclass
class Resolved:
    """The run answering a question and the scope shown; ``region`` or ``unit`` is set."""

    run: ScoreRun
    key: ScopeKey
    region: Region | None
    unit: Unit | None
    # A unit user reading the region figures of a clause their unit leads: no observations.
    led_only: bool = False

    @property
    def period(self) -> Period:
        return run_period(self.run)

    @property
    def label(self) -> str:
        if self.unit is not None:
            return self.unit.short_name or self.unit.name
        assert self.region is not None
        return self.region.name

    def query(self, *, with_run: bool) -> dict[str, str]:
        """The query parameters naming this scope (and the run when it is a snapshot)."""
        params = {"period": self.run.period_key}
        if self.unit is not None:
            params["unit"] = self.unit.code
        elif self.region is not None:
            params["region"] = self.region.code
        if with_run:
            params["run"] = str(self.run.pk)
        return params


def default_scope(user: Any) -> tuple[Region | None, Unit | None]:
    """The broadest region the user oversees, else their first unit; (None, None) for nobody."""
    regions = access.overview_regions(user)
    if regions:
        return regions[0], None
    units = list(access.own_units(user).order_by("code"))
    ids = {u.pk for u in units}
    # The unit granted, before the units below it.
    tops = [u for u in units if u.parent_id not in ids]
    first = (tops or units)[:1]
    return None, first[0] if first else None


def _scope_allowed(user: Any, key: ScopeKey, over: Region) -> bool:
    return access.may_view(user) and access.may_see_scope(user, key, over)


def _region_in_run(region: Region, run: ScoreRun) -> bool:
    """A run holds rows for its own region and its direct sub-regions only."""
    return run.region_id in (region.pk, region.parent_id)


def _leads(user: Any, node_id: int | None, region: Region | None, over: Region) -> bool:
    """A unit user may read the region figures of a node their unit leads, for the run's own
    region only (never a street's)."""
    if node_id is None or region is None or region.pk != over.pk or not access.may_view(user):
        return False
    units = access.led_units(user)
    return bool(units) and Node.objects.filter(pk=node_id, lead_unit_id__in=units).exists()


def _asked_scope(user: Any, question: Question) -> tuple[Region | None, Unit | None]:
    """The region or unit the question names (its default when none); (None, None) when the
    code names nothing."""
    if question.unit_code:
        return None, Unit.objects.filter(code=question.unit_code).first()
    if question.region_code:
        found = Region.objects.filter(code=question.region_code).select_related("parent").first()
        return found, None
    return default_scope(user)


def _stored_run(user: Any, run_id: int, region: Region | None) -> ScoreRun | None:
    run = (
        ScoreRun.objects.visible_to(user)
        .select_related("region", "framework")
        .filter(pk=run_id)
        .first()
    )
    if run is None or (region is not None and not _region_in_run(region, run)):
        return None
    return run


def resolve(user: Any, question: Question, *, node_id: int | None = None) -> Resolved | None:
    """The run and scope asked for, or None when the user may not see them (or they do not
    exist). Without a run id the live run of the period is used (computed on first use, only
    after the scope was allowed). With ``node_id``, a unit user may also read the region scope
    of a node their unit leads (``led_only``)."""
    region, unit = _asked_scope(user, question)
    key: ScopeKey
    if unit is not None:
        key = (ScopeKind.UNIT, unit.pk)
    elif region is not None:
        key = (ScopeKind.REGION, region.pk)
    else:
        return None
    run: ScoreRun | None = None
    if question.run_id is not None:
        run = _stored_run(user, question.run_id, region)
        if run is None:
            return None
        over = run.region
    else:
        over = run_region(region) if region is not None else campaign_region()
    led_only = False
    if not _scope_allowed(user, key, over):
        if not _leads(user, node_id, region, over):
            return None
        led_only = True
    if run is None:
        run = live_run(default_framework(), over, question.period)
    return Resolved(run, key, region, unit, led_only)


def snapshots(user: Any, resolved: Resolved, limit: int = 20) -> list[ScoreRun]:
    """Stored snapshots of the same framework and region, newest first (one query)."""
    return list(
        ScoreRun.objects.visible_to(user)
        .filter(
            framework_id=resolved.run.framework_id,
            region_id=resolved.run.region_id,
            kind=RunKind.SNAPSHOT,
        )
        .select_related("created_by")
        .order_by("-created_at", "-id")[:limit]
    )
