"""The "live warnings" panel of the dashboards (core.dashboards, ADR 0010): open warnings the
user may see, counted by level, and the latest few — two queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from chuangcheng.alerts.enums import LEVEL_ORDER, OPEN, SEVERITY
from chuangcheng.alerts.models import Warning
from chuangcheng.core.dashboards import LEADER, OFFICE, SCREEN, UNIT, register_panel

LATEST = 5


def level_counts(rows: Any) -> list[dict[str, Any]]:
    """Open warnings of ``rows`` per level, most severe first, zeros included (one query)."""
    counted: dict[str, int] = dict(
        rows.filter(status__in=OPEN).order_by().values_list("level").annotate(n=Count("pk"))
    )
    return [{"level": lv, "label": lv.label, "n": counted.get(lv.value, 0)} for lv in LEVEL_ORDER]


@register_panel(
    "alerts.live",
    boards=(LEADER, OFFICE, UNIT, SCREEN),
    order=20,
    template="alerts/panels/warnings.html",
)
def live_warnings(request: Any, board: str) -> dict[str, Any] | None:
    user = request.user
    if not user.has_perm("alerts.view_warnings"):
        return None
    rows = Warning.objects.visible_to(user)
    counts = level_counts(rows)
    latest = sorted(
        rows.filter(status__in=OPEN)
        .select_related("unit", "region")
        .order_by("-raised_at", "-id")[:LATEST],
        key=lambda w: (SEVERITY.get(w.level, 9), -w.raised_at.timestamp()),
    )
    return {
        "counts": counts,
        "total": sum(c["n"] for c in counts),
        "latest": latest,
    }
