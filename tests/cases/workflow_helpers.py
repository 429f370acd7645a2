"""Builders for case tests: reports at the world's points, moved along the workflow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from chuangcheng.cases.domain import actions
from chuangcheng.cases.domain.intake import CaseData, create_case
from chuangcheng.cases.enums import CaseSource
from chuangcheng.cases.models import Case
from tests.conftest import World


def report(
    world: World,
    categories: dict[str, Any],
    *,
    code: str = "S0101",
    point: Any = "p1",
    text: str = "多福巷口垃圾堆放",
    source: str = CaseSource.RESIDENT,
    reporter: Any = None,
    at: dt.datetime | None = None,
    lng: Decimal | None = None,
    lat: Decimal | None = None,
    region: Any = None,
    phone: str = "",
) -> Case:
    """A report through intake (as the system would take it)."""
    return create_case(
        CaseData(
            source=source,
            description=text,
            category=categories[code] if code else None,
            point=getattr(world, point) if isinstance(point, str) else point,
            reporter=reporter,
            reported_at=at,
            lng=lng,
            lat=lat,
            region=region,
            reporter_phone=phone,
        ),
        actor=reporter or world.office,
    )


def dispatched(world: World, categories: dict[str, Any], **kw: Any) -> Case:
    """A report registered and dispatched by the office to the 东华门 street office."""
    case = report(world, categories, **kw)
    actions.register_and_dispatch(case, actor=world.office, lead=world.unit_s1)
    return case


def days_ago(n: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)
