"""Evidence providers: each assessment method answers "how did each clause do, where".

A provider returns, for each scored node and scope, a :class:`Tally`: ``positive`` out of
``total`` (observations passed out of judged, weighted survey answers out of respondents,
materials approved out of owed) and the number of failed items (for deduction rules).

Field inspection registers here (:mod:`evidence_field`); surveys and archives register their own
providers when those modules exist, and their clauses count as 未测 until then.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from chuangcheng.orgs.models import Region
from chuangcheng.scoring.domain.tree import ScoreTree
from chuangcheng.scoring.enums import ScopeKind

# ("region", region id) or ("unit", unit id)
ScopeKey = tuple[str, int]


@dataclass
class Tally:
    positive: Fraction = Fraction(0)
    total: Fraction = Fraction(0)
    failed: int = 0

    def add(self, positive: Fraction | int, total: Fraction | int, failed: int = 0) -> None:
        self.positive += positive
        self.total += total
        self.failed += failed

    @property
    def ratio(self) -> Fraction | None:
        return self.positive / self.total if self.total else None


@dataclass
class Context:
    """What a provider needs: the tree, the period, the cut-off and how to place evidence."""

    tree: ScoreTree
    region: Region
    start: dt.datetime
    end: dt.datetime
    cutoff: dt.datetime
    # region id (anywhere under the run's region) -> the sub-region (street) it lies in
    sub_region_of: dict[int, int]
    only_nodes: frozenset[int] | None = None  # incremental: restrict to these scored nodes

    def scopes_for(self, region_id: int | None, unit_ids: Iterable[int | None]) -> list[ScopeKey]:
        """The scopes one piece of evidence counts in: the run's region, the street it lies in,
        and each responsible unit (once)."""
        keys: list[ScopeKey] = [(ScopeKind.REGION, self.region.pk)]
        sub = self.sub_region_of.get(region_id) if region_id is not None else None
        if sub is not None and sub != self.region.pk:
            keys.append((ScopeKind.REGION, sub))
        for unit_id in dict.fromkeys(u for u in unit_ids if u is not None):
            keys.append((ScopeKind.UNIT, unit_id))
        return keys


# method -> scored node id -> scope -> tally
Evidence = dict[str, dict[int, dict[ScopeKey, Tally]]]
Provider = Callable[[Context], dict[int, dict[ScopeKey, Tally]]]


@dataclass
class Registry:
    providers: dict[str, Provider] = field(default_factory=dict)

    def register(self, method: str) -> Callable[[Provider], Provider]:
        def wrap(fn: Provider) -> Provider:
            self.providers[method] = fn
            return fn

        return wrap

    def collect(self, ctx: Context) -> Evidence:
        return {method: fn(ctx) for method, fn in self.providers.items()}


PROVIDERS = Registry()


def new_tallies() -> dict[int, dict[ScopeKey, Tally]]:
    return defaultdict(lambda: defaultdict(Tally))
