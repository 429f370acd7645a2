"""The dashboards' practice panel (core.dashboards, ADR 0010/0013), registered from
``PracticeConfig.ready``: this month's service orders, hours credited, fulfilment and
satisfaction rates of the broadest region whose practice figures the user may read, linking to
the figures page. The same six grouped queries as the page, whatever the data's size."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from chuangcheng.cases.domain.periods import current_month
from chuangcheng.core.dashboards import LEADER, OFFICE, register_panel
from chuangcheng.practice.domain.figures import compute, figure_regions


@register_panel(
    "practice.month",
    boards=(LEADER, OFFICE),
    order=48,
    template="practice/figures/panel.html",
)
def practice_month(request: Any, board: str) -> dict[str, Any] | None:
    user = request.user
    if not getattr(user, "is_authenticated", False) or not user.has_perm("practice.view_figures"):
        return None
    regions = figure_regions(user)
    if not regions:
        return None
    period = current_month()
    figures = compute(regions[0], period)
    query = urlencode({"period": period.key, "region": regions[0].pk})
    return {
        "figures": figures,
        "orders": figures.total.orders,
        "link": f"{reverse('practice:figures')}?{query}",
    }
