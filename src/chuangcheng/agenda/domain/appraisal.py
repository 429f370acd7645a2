"""The appraisal's ``tasks`` component (任务完成及时率): for each unit of the region with task
occurrences in the period, the occurrences done on time ÷ those due (an exact fraction), None
when none was due yet. Detail: the :class:`~chuangcheng.agenda.domain.completion.Counts`.
One query."""

from __future__ import annotations

from chuangcheng.agenda.domain.completion import counts_by
from chuangcheng.agenda.models import TaskOccurrence
from chuangcheng.appraisal.domain.components import PROVIDERS, Component, Context


@PROVIDERS.register("tasks")
def tasks(ctx: Context) -> dict[int, Component]:
    qs = TaskOccurrence.objects.filter(unit__region__path__startswith=ctx.region.path)
    counts = counts_by(qs, ctx.period, ctx.now, "unit_id")
    return {unit_id: Component(value=c.rate, detail=c) for (unit_id,), c in counts.items()}
