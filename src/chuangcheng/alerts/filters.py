"""The warning list's filters, shared by the page and the API.

The GET parameter names are an interface (the dashboard panel links here with ``level``):
``level``, ``status`` (``open`` by default, a status, or ``all``), ``kind`` (a kind's code),
``street`` (a region id: warnings located in its subtree) and ``unit``. Unreadable values are
ignored, never an error page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chuangcheng.alerts.domain.kinds import KINDS
from chuangcheng.alerts.enums import OPEN, WarningLevel, WarningStatus
from chuangcheng.alerts.models import Warning
from chuangcheng.orgs.models import Region

STATUS_CHOICES = [
    ("open", pgettext_lazy("warning status", "Open")),
    *WarningStatus.choices,
    ("all", _("All")),
]


def _int(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


@dataclass(frozen=True)
class WarningFilters:
    """The list's GET parameters: ``level``, ``status`` (open by default), ``kind``, ``street``
    (a region id: warnings located in its subtree) and ``unit``. Unreadable values are ignored."""

    level: str = ""
    status: str = "open"
    kind: str = ""
    street: int | None = None
    unit: int | None = None

    @classmethod
    def from_query(cls, params: Any) -> WarningFilters:
        def get(name: str) -> str:
            return str(params.get(name) or "").strip()[:60]

        status = get("status") or "open"
        return cls(
            level=get("level") if get("level") in WarningLevel.values else "",
            status=status if status in dict(STATUS_CHOICES) else "open",
            kind=get("kind") if get("kind") in KINDS else "",
            street=_int(get("street")),
            unit=_int(get("unit")),
        )

    def apply(self, qs: QuerySet[Warning], *, with_level: bool = True) -> QuerySet[Warning]:
        """Narrow ``qs`` (already scoped to the user); no query of its own."""
        if self.status == "open":
            qs = qs.filter(status__in=OPEN)
        elif self.status != "all":
            qs = qs.filter(status=self.status)
        if self.kind:
            qs = qs.filter(rule__kind=self.kind)
        if self.street is not None:
            path = Region.objects.filter(pk=self.street).values("path")[:1]
            qs = qs.filter(region__path__startswith=Subquery(path))
        if self.unit is not None:
            qs = qs.filter(unit_id=self.unit)
        if with_level and self.level:
            qs = qs.filter(level=self.level)
        return qs

    def query(self, **change: Any) -> str:
        """The filters as a query string, with ``change`` applied (for the level chips)."""
        values = {
            "level": self.level,
            "status": self.status if self.status != "open" else "",
            "kind": self.kind,
            "street": self.street or "",
            "unit": self.unit or "",
        } | change
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})
