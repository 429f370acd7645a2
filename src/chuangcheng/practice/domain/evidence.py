"""Practice evidence for scoring (method 志愿服务数据): how volunteer service did, where.

For a run, every clause whose methods include ``practice`` gets the same tally per scope:
``positive`` = service orders completed or rated + micro-wishes fulfilled or rated, ``total`` =
orders + wishes not cancelled — those created in the run's period and by its cut-off, in a region
under the run's region. An order or wish counts in the run's region and in the street it lies in
(where the service happened); an order also counts for the unit sponsoring the team it was
dispatched to (机关单位志愿服务队), so a unit's scores show the service its team gave.

Status is read as it stood at the cut-off: a completion or cancellation after it does not count.
Two grouped queries, whatever the size.
"""

from __future__ import annotations

from fractions import Fraction

from django.db.models import Count, Q

from chuangcheng.frameworks.enums import Method
from chuangcheng.practice.enums import OrderStatus, WishStatus
from chuangcheng.practice.models import ServiceOrder, Wish
from chuangcheng.scoring.domain.evidence import PROVIDERS, Context, ScopeKey, Tally, new_tallies


def practice_clauses(ctx: Context) -> list[int]:
    """The scored nodes assessed (also) by practice data, restricted to an incremental run's."""
    nodes = [
        n.id for n in ctx.tree.nodes.values() if n.scored and Method.PRACTICE in (n.methods or [])
    ]
    if ctx.only_nodes is not None:
        nodes = [n for n in nodes if n in ctx.only_nodes]
    return sorted(nodes)


def _not_cancelled(ctx: Context) -> Q:
    return ~Q(status=OrderStatus.CANCELLED) | Q(cancelled_at__gt=ctx.cutoff)


def tallies_by_place(ctx: Context) -> list[tuple[int, int | None, int, int]]:
    """``(region id, sponsoring unit id or None, positive, total)`` groups of the run."""
    under = ctx.region.path
    orders = (
        ServiceOrder.objects.filter(
            region__path__startswith=under,
            ordered_at__gte=ctx.start,
            ordered_at__lt=ctx.end,
            ordered_at__lte=ctx.cutoff,
        )
        .filter(_not_cancelled(ctx))
        .values_list("region_id", "team__unit_id")
        .annotate(
            total=Count("pk"),
            positive=Count(
                "pk",
                filter=Q(status__in=(OrderStatus.COMPLETED, OrderStatus.RATED))
                & (Q(completed_at__isnull=True) | Q(completed_at__lte=ctx.cutoff)),
            ),
        )
        .order_by()
    )
    wishes = (
        Wish.objects.filter(
            region__path__startswith=under,
            created_at__gte=ctx.start,
            created_at__lt=ctx.end,
            created_at__lte=ctx.cutoff,
        )
        .filter(~Q(status=WishStatus.CANCELLED) | Q(cancelled_at__gt=ctx.cutoff))
        .values_list("region_id")
        .annotate(
            total=Count("pk"),
            positive=Count(
                "pk",
                filter=Q(status__in=(WishStatus.FULFILLED, WishStatus.RATED))
                & (Q(fulfilled_at__isnull=True) | Q(fulfilled_at__lte=ctx.cutoff)),
            ),
        )
        .order_by()
    )
    rows = [(region_id, unit_id, positive, total) for region_id, unit_id, total, positive in orders]
    rows += [(region_id, None, positive, total) for region_id, total, positive in wishes]
    return rows


@PROVIDERS.register(Method.PRACTICE)
def practice_evidence(ctx: Context) -> dict[int, dict[ScopeKey, Tally]]:
    tallies = new_tallies()
    clauses = practice_clauses(ctx)
    if not clauses:
        return tallies
    for region_id, unit_id, positive, total in tallies_by_place(ctx):
        for key in ctx.scopes_for(region_id, (unit_id,)):
            for owner in clauses:
                tallies[owner][key].add(Fraction(positive), Fraction(total))
    return tallies
