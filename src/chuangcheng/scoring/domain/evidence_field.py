"""Field-inspection evidence: observations judged 符合 or 不符合 at the sampled points.

One grouped query counts results by clause, point region and the point's two responsible units
(its territorial and its line unit); 不适用 is not judged and counts nowhere.
"""

from __future__ import annotations

from fractions import Fraction

from django.db.models import Count

from chuangcheng.frameworks.enums import Method
from chuangcheng.inspections.enums import Result
from chuangcheng.inspections.models import Observation
from chuangcheng.scoring.domain.evidence import PROVIDERS, Context, ScopeKey, Tally, new_tallies

POINT = "inspection__round_point__point__"


def judged_observations(ctx: Context) -> object:
    """The observations that count for a run: judged, in the period, received by the cut-off,
    at points inside the run's region, for clauses of the run's framework."""
    qs = Observation.objects.filter(
        clause__framework_id=ctx.tree.framework_id,
        result__in=(Result.PASS, Result.FAIL),
        inspection__observed_at__gte=ctx.start,
        inspection__observed_at__lt=ctx.end,
        inspection__received_at__lte=ctx.cutoff,
        **{f"{POINT}region__path__startswith": ctx.region.path},
    )
    if ctx.only_nodes is not None:
        items = [n for n, owner in ctx.tree.scored_of.items() if owner in ctx.only_nodes]
        qs = qs.filter(clause_id__in=items)
    return qs


@PROVIDERS.register(Method.FIELD)
def field_evidence(ctx: Context) -> dict[int, dict[ScopeKey, Tally]]:
    tallies = new_tallies()
    qs = judged_observations(ctx)
    rows = (
        qs.values_list(  # type: ignore[attr-defined]
            "clause_id",
            f"{POINT}region_id",
            f"{POINT}territorial_unit_id",
            f"{POINT}line_unit_id",
            "result",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    for clause_id, region_id, territorial, line, result, n in rows:
        owner = ctx.tree.scored_of.get(clause_id)
        if owner is None:
            continue
        passed = n if result == Result.PASS else 0
        failed = n - passed
        for key in ctx.scopes_for(region_id, (territorial, line)):
            tallies[owner][key].add(Fraction(passed), Fraction(n), failed)
    return tallies
