"""Monthly rounds: when a repeating round's period has ended, next month's round is created with
the same settings and quotas, a new seed, drawn and opened — exactly once per round."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.inspections.domain.draw import describe, draw, new_seed
from chuangcheng.inspections.domain.planning import state
from chuangcheng.inspections.enums import RoundStatus
from chuangcheng.inspections.models import Round, RoundQuota

_MONTH_IN_NAME = re.compile(r"(\d{4})年(\d{1,2})月")


def _add_month(day: dt.date, months: int = 1) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _whole_month(start: dt.date, end: dt.date) -> bool:
    last = calendar.monthrange(start.year, start.month)[1]
    return start.day == 1 and (end.year, end.month, end.day) == (start.year, start.month, last)


def next_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The same period one month later. A whole calendar month gives the whole next month
    (November → all of December); other periods move by a month, days clamped to the month's
    length (31 January → 28 or 29 February)."""
    if _whole_month(start, end):
        nxt = _add_month(start)
        return nxt, nxt.replace(day=calendar.monthrange(nxt.year, nxt.month)[1])
    return _add_month(start), _add_month(end)


def next_name(name: str, start: dt.date) -> str:
    """The name with its "2026年11月" replaced by the new month, or the month appended."""
    label = f"{start.year}年{start.month}月"
    if _MONTH_IN_NAME.search(name):
        return _MONTH_IN_NAME.sub(label, name, count=1)
    return f"{name}（{label}）"


def repeat_due_rounds(today: dt.date) -> list[Round]:
    """Create the next round of every repeating round (not a draft) whose period ended before
    ``today`` and that has not been repeated yet. The new round's period is the first monthly
    step that has not ended by ``today`` (months missed while nothing ran are skipped). Safe to
    run any number of times and concurrently: each round is repeated exactly once."""
    due = list(
        Round.objects.filter(repeat_monthly=True, period_end__lt=today, repeats__isnull=True)
        .exclude(status=RoundStatus.DRAFT)
        .order_by("pk")
    )
    created: list[Round] = []
    for old in due:
        try:
            with transaction.atomic():
                new = _repeat(old, today)
        except IntegrityError:
            continue  # another run repeated this round at the same moment
        if new is not None:
            created.append(new)
    return created


def _repeat(old: Round, today: dt.date) -> Round | None:
    locked = Round.objects.select_for_update().get(pk=old.pk)
    if Round.objects.filter(previous=locked).exists():
        return None
    start, end = next_period(locked.period_start, locked.period_end)
    while end < today:
        start, end = next_period(start, end)
    new = Round.objects.create(
        name=next_name(locked.name, start)[:120],
        kind=locked.kind,
        framework_id=locked.framework_id,
        region_id=locked.region_id,
        period_start=start,
        period_end=end,
        status=RoundStatus.DRAFT,
        seed=new_seed(),
        stratify_by_street=locked.stratify_by_street,
        avoid_own_street=locked.avoid_own_street,
        repeat_monthly=True,
        previous=locked,
        created_by=locked.created_by,
    )
    RoundQuota.objects.bulk_create(
        RoundQuota(round=new, point_type_id=q.point_type_id, count=q.count)
        for q in locked.quotas.all()
    )
    new.inspectors.set(list(locked.inspectors.filter(is_active=True)))
    report = draw(new)
    new.status = RoundStatus.OPEN if report.drawn else RoundStatus.DRAFT
    new.save(update_fields=["status"])
    audit.record(
        None,
        AuditAction.CREATE,
        new,
        after=state(new),
        note=_("Repeated from round %(id)s.") % {"id": locked.pk} + " " + str(describe(report)),
    )
    return new
