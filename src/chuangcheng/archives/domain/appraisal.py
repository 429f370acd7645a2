"""The appraisal's ``materials`` component (材料报送及时率): for each unit of the region with
materials owed in the period, the requirements approved on a version submitted by the due date
÷ those due (an exact fraction). Owed: the due date lies in the period and has passed at ``now``.
Detail: the counts. Two queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.utils import timezone

from chuangcheng.appraisal.domain.components import PROVIDERS, Component, Context
from chuangcheng.archives.enums import AttachmentState
from chuangcheng.archives.models import Attachment, Requirement


@dataclass
class MaterialCounts:
    due: int = 0
    on_time: int = 0

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.on_time, self.due) if self.due else None


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )


@PROVIDERS.register("materials")
def materials(ctx: Context) -> dict[int, Component]:
    today = timezone.localdate(ctx.now)
    reqs = Requirement.objects.filter(
        unit__region__path__startswith=ctx.region.path,
        due_date__gte=ctx.period.start,
        due_date__lt=min(ctx.period.end, today),
    )
    rows = list(reqs.values_list("pk", "unit_id", "due_date"))
    approved: dict[int, list[dt.datetime]] = {}
    for req_id, submitted in Attachment.objects.filter(
        requirement__in=reqs, state=AttachmentState.APPROVED
    ).values_list("requirement_id", "submitted_at"):
        approved.setdefault(req_id, []).append(submitted)
    counts: dict[int, MaterialCounts] = {}
    for pk, unit_id, due in rows:
        c = counts.setdefault(unit_id, MaterialCounts())
        c.due += 1
        if due is not None and any(s < _end_of(due) for s in approved.get(pk, [])):
            c.on_time += 1
    return {unit_id: Component(value=c.rate, detail=c) for unit_id, c in counts.items()}
