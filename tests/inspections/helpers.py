"""Builders shared by the inspection tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from chuangcheng.accounts.models import User
from chuangcheng.inspections.domain.planning import RoundData, create_round
from chuangcheng.inspections.enums import RoundKind
from chuangcheng.inspections.models import Round
from tests.conftest import World

PERIOD = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def round_data(
    world: World,
    fw: Any,
    *,
    quotas: dict[int, int] | None = None,
    inspectors: Sequence[User] = (),
    region: Any = None,
    **kw: Any,
) -> RoundData:
    return RoundData(
        name=kw.pop("name", "2026年11月日常督查"),
        kind=kw.pop("kind", RoundKind.ROUTINE),
        framework=fw.framework,
        region=region or world.district,
        period_start=kw.pop("period_start", PERIOD[0]),
        period_end=kw.pop("period_end", PERIOD[1]),
        quotas=quotas if quotas is not None else {world.alley.pk: 2},
        inspectors=list(inspectors),
        **kw,
    )


def make_round(world: World, fw: Any, *, seed: int | None = None, **kw: Any) -> Round:
    """A drawn draft round planned by the office (with ``seed`` set, drawn again with it)."""
    from chuangcheng.inspections.domain.draw import draw

    round_, _report = create_round(round_data(world, fw, **kw), actor=world.office)
    if seed is not None:
        round_.seed = seed
        round_.save(update_fields=["seed"])
        draw(round_)
    return round_


def drawn(round_: Round) -> list[tuple[str, str | None]]:
    """(point code, inspector username) in draw order."""
    return [
        (rp.point.code, rp.inspector.username if rp.inspector else None)
        for rp in round_.round_points.select_related("point", "inspector").order_by("seq")
    ]
