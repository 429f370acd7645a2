"""The archives' dashboard panels (ADR 0010, 0012), registered from ``ArchivesConfig.ready``.

- unit board: "materials due" — this year's owed materials of the user's units by state, and
  the next ones due that are not approved;
- office board: "awaiting review" — what waits at the levels the user reviews, oldest first.

Each answers in a constant number of queries and returns None when it has nothing for the user.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.scope import scope_of
from chuangcheng.archives.domain.matrix import requirement_cells
from chuangcheng.archives.domain.review import levels, levels_of, queue_q
from chuangcheng.archives.enums import Cell
from chuangcheng.archives.models import Attachment, Requirement
from chuangcheng.core.dashboards import OFFICE, UNIT, register_panel

DUE_SHOWN = 5
QUEUE_SHOWN = 5


def _list_link(**query: Any) -> str:
    return f"{reverse('archives:index')}?{urlencode(query)}"


@register_panel(
    "archives.materials_due", boards=(UNIT,), order=25, template="archives/panels/due.html"
)
def materials_due(request: Any, board: str) -> dict[str, Any] | None:
    user = request.user
    units = scope_of(user).role_units.get(Role.UNIT, frozenset())
    if not units:
        return None
    today = timezone.localdate()
    reqs = list(
        Requirement.objects.filter(unit_id__in=sorted(units), year=today.year)
        .select_related("clause", "unit")
        .order_by("due_date", "clause__seq", "pk")
    )
    if not reqs:
        return None
    cells = requirement_cells(reqs)
    counts = dict.fromkeys(Cell.values, 0)
    for state in cells.values():
        counts[state] += 1
    open_reqs = [r for r in reqs if cells[r.pk] != Cell.APPROVED]
    dated = [r for r in open_reqs if r.due_date] + [r for r in open_reqs if not r.due_date]
    return {
        "year": today.year,
        "today": today,
        "counts": [
            {
                "state": c,
                "label": c.label,
                "n": counts[c.value],
                "link": _list_link(year=today.year, state=c.value),
            }
            for c in Cell
        ],
        "next": [(r, cells[r.pk]) for r in dated[:DUE_SHOWN]],
        "list_link": _list_link(year=today.year),
    }


@register_panel(
    "archives.awaiting_review",
    boards=(OFFICE,),
    order=45,
    template="archives/panels/review.html",
)
def awaiting_review(request: Any, board: str) -> dict[str, Any] | None:
    user = request.user
    all_levels = levels()
    mine = levels_of(user, all_levels)
    if not mine:
        return None
    queue = Attachment.objects.filter(queue_q(user, all_levels))
    per_level = dict(queue.order_by().values_list("level").annotate(n=Count("pk")))
    oldest = list(
        queue.select_related("material", "requirement__unit", "requirement__clause").order_by(
            "submitted_at", "pk"
        )[:QUEUE_SHOWN]
    )
    return {
        "levels": [{"level": lv, "n": per_level.get(lv.number, 0)} for lv in mine],
        "total": sum(per_level.values()),
        "oldest": oldest,
        "queue_link": reverse("archives:review"),
    }
