"""Scoring evidence of the methods "material" (材料审核) and "online" (网上申报): for each scored
clause and scope, the requirements approved by the cut-off out of those owed.

A requirement counts for a run when its year lies in the run's period, its unit in the run's
region and its clause in the run's framework, and it is owed by the cut-off: its due date has
passed, or (no due date) its year has ended — or it was approved by then anyway. A clause
counts for a method when the method is among its ``methods``. Two queries, whatever the size.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.utils import timezone

from chuangcheng.archives.enums import AttachmentState
from chuangcheng.archives.models import Attachment, Requirement
from chuangcheng.frameworks.enums import Method
from chuangcheng.scoring.domain.evidence import PROVIDERS, Context, ScopeKey, Tally, new_tallies


def _tallies(ctx: Context, method: str) -> dict[int, dict[ScopeKey, Tally]]:
    tallies = new_tallies()
    last = ctx.end - dt.timedelta(microseconds=1)
    cutoff_day = timezone.localdate(ctx.cutoff)
    reqs = Requirement.objects.filter(
        clause__framework_id=ctx.tree.framework_id,
        year__gte=timezone.localdate(ctx.start).year,
        year__lte=timezone.localdate(last).year,
        unit__region__path__startswith=ctx.region.path,
    )
    if ctx.only_nodes is not None:
        items = [n for n, owner in ctx.tree.scored_of.items() if owner in ctx.only_nodes]
        reqs = reqs.filter(clause_id__in=items)
    rows = list(
        reqs.values_list(
            "pk", "clause_id", "unit_id", "unit__region_id", "year", "due_date", "clause__methods"
        )
    )
    approved = set(
        Attachment.objects.filter(
            requirement__in=reqs,
            state=AttachmentState.APPROVED,
            approved_at__lte=ctx.cutoff,
        ).values_list("requirement_id", flat=True)
    )
    for pk, clause_id, unit_id, region_id, year, due, methods in rows:
        if method not in (methods or []):
            continue
        owner = ctx.tree.scored_of.get(clause_id)
        if owner is None:
            continue
        done = pk in approved
        owed = done or (due < cutoff_day if due else dt.date(year, 12, 31) < cutoff_day)
        if not owed:
            continue
        for key in ctx.scopes_for(region_id, (unit_id,)):
            tallies[owner][key].add(Fraction(int(done)), Fraction(1), 0 if done else 1)
    return tallies


@PROVIDERS.register(Method.MATERIAL)
def material_evidence(ctx: Context) -> dict[int, dict[ScopeKey, Tally]]:
    return _tallies(ctx, Method.MATERIAL)


@PROVIDERS.register(Method.ONLINE)
def online_evidence(ctx: Context) -> dict[int, dict[ScopeKey, Tally]]:
    return _tallies(ctx, Method.ONLINE)
