"""Survey evidence for scoring (method 问卷调查): what residents' answers earned, clause by clause.

For a run, the credits that count are those of complete responses, tied to a clause of the
run's framework, submitted in the period and by the run's cut-off, from respondents living in
a street under the run's region — whichever survey they answered. Each clause's tally is
``positive`` = Σscore (满意 1, 基本满意 0.9 …) out of ``total`` = answers counted, exactly the
unweighted rate of the results page: scores stay recountable from the answers, and a weighting
that moves with the margins typed in would move the score with them (ADR 0011). An answer
counts in the run's region, in its street, and for the street's territorial unit(s).

One grouped query for the credits, one for the streets' territorial units.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from django.db.models import Count, Sum

from chuangcheng.frameworks.enums import Method
from chuangcheng.orgs.enums import UnitKind
from chuangcheng.orgs.models import Unit
from chuangcheng.scoring.domain.evidence import PROVIDERS, Context, ScopeKey, Tally, new_tallies
from chuangcheng.surveys.enums import ResponseState, SurveyStatus
from chuangcheng.surveys.models import Credit, Response


def counted_credits(ctx: Context) -> object:
    """The credit rows that count for a run."""
    # Only submitted responses have credits: those voided (or screened out) since leave.
    others = Response.objects.filter(state__in=(ResponseState.VOID, ResponseState.SCREENED_OUT))
    qs = Credit.objects.filter(
        clause__framework_id=ctx.tree.framework_id,
        submitted_at__gte=ctx.start,
        submitted_at__lt=ctx.end,
        submitted_at__lte=ctx.cutoff,
        street__path__startswith=ctx.region.path,
        survey__status__in=(SurveyStatus.OPEN, SurveyStatus.CLOSED),
    ).exclude(response_id__in=others.values("pk"))
    if ctx.only_nodes is not None:
        items = [n for n, owner in ctx.tree.scored_of.items() if owner in ctx.only_nodes]
        qs = qs.filter(clause_id__in=items)
    return qs


@PROVIDERS.register(Method.SURVEY)
def survey_evidence(ctx: Context) -> dict[int, dict[ScopeKey, Tally]]:
    tallies = new_tallies()
    rows = list(
        counted_credits(ctx)  # type: ignore[attr-defined]
        .values_list("clause_id", "street_id")
        .annotate(n=Count("id"), s=Sum("score"))
        .order_by()
    )
    if not rows:
        return tallies
    units: dict[int, list[int]] = defaultdict(list)
    for unit_id, region_id in (
        Unit.objects.filter(
            kind=UnitKind.TERRITORIAL,
            active=True,
            region_id__in={street for _c, street, _n, _s in rows},
        )
        .order_by("path")
        .values_list("pk", "region_id")
    ):
        units[region_id].append(unit_id)
    for clause_id, street_id, n, total in rows:
        owner = ctx.tree.scored_of.get(clause_id)
        if owner is None:
            continue
        for key in ctx.scopes_for(street_id, units.get(street_id, ())):
            tallies[owner][key].add(Fraction(str(total)), Fraction(n))
    return tallies
