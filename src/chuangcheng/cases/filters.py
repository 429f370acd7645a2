"""The case filters, shared by the list, the map, the export and the API.

The GET parameter names are an interface: other pages (overview, figures, bulletins) link here
with them. ``status`` (a CaseStatus value or ``open``), ``category`` (id; a class includes its
subclasses), ``street`` (region id), ``unit`` (unit id: dispatched to, or proposed as
territorial or line unit), ``source``, ``overdue=1``, ``recurrent=1``, ``extension=1`` (an
extension asked and not yet answered), ``from``/``to`` (reported date, YYYY-MM-DD, inclusive),
``q`` (case number or words of the description or address).
Unreadable values are ignored, never an error page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone

from chuangcheng.cases.enums import (
    OPEN_STATES,
    CaseSource,
    CaseStatus,
    ExtensionStatus,
)
from chuangcheng.cases.models import Case, CaseAssignment, ExtensionRequest, overdue_q
from chuangcheng.orgs.models import Region

PARAMS = (
    "status",
    "category",
    "street",
    "unit",
    "source",
    "overdue",
    "recurrent",
    "extension",
    "from",
    "to",
    "q",
)


def _int(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    category: int | None = None
    street: int | None = None
    unit: int | None = None
    source: str = ""
    overdue: bool = False
    recurrent: bool = False
    extension: bool = False
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""

    @classmethod
    def from_query(cls, params: Any) -> CaseFilters:
        def get(name: str) -> str:
            return str(params.get(name) or "").strip()[:100]

        status = get("status")
        source = get("source")
        return cls(
            status=status if status == "open" or status in CaseStatus.values else "",
            category=_int(get("category")),
            street=_int(get("street")),
            unit=_int(get("unit")),
            source=source if source in CaseSource.values else "",
            overdue=get("overdue") == "1",
            recurrent=get("recurrent") == "1",
            extension=get("extension") == "1",
            date_from=_date(get("from")),
            date_to=_date(get("to")),
            q=get("q"),
        )

    def as_query(self) -> dict[str, str]:
        """The filters as GET parameters (empty ones left out), for links and the export."""
        values = {
            "status": self.status,
            "category": self.category,
            "street": self.street,
            "unit": self.unit,
            "source": self.source,
            "overdue": "1" if self.overdue else "",
            "recurrent": "1" if self.recurrent else "",
            "extension": "1" if self.extension else "",
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "q": self.q,
        }
        return {k: str(v) for k, v in values.items() if v not in ("", None)}

    def as_text(self) -> str:
        return " ".join(f"{k}={v}" for k, v in self.as_query().items())

    @property
    def active(self) -> bool:
        return any(v not in ("", None, False) for v in asdict(self).values())


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def apply(qs: QuerySet[Case], f: CaseFilters, now: dt.datetime | None = None) -> QuerySet[Case]:
    """Narrow ``qs`` (already scoped to the user) by ``f``; never a query of its own."""
    if f.status == "open":
        qs = qs.filter(status__in=OPEN_STATES)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.category is not None:
        qs = qs.filter(Q(category_id=f.category) | Q(category__parent_id=f.category))
    if f.street is not None:
        street_path = Region.objects.filter(pk=f.street).values("path")[:1]
        qs = qs.filter(region__path__startswith=Subquery(street_path))
    if f.unit is not None:
        assigned = CaseAssignment.objects.filter(unit_id=f.unit).values("case_id")
        qs = qs.filter(Q(pk__in=assigned) | Q(territorial_unit_id=f.unit) | Q(line_unit_id=f.unit))
    if f.source:
        qs = qs.filter(source=f.source)
    if f.overdue:
        qs = qs.filter(overdue_q(now or timezone.now()))
    if f.recurrent:
        qs = qs.filter(recurrent=True)
    if f.extension:
        asked = ExtensionRequest.objects.filter(status=ExtensionStatus.ASKED).values("case_id")
        qs = qs.filter(pk__in=asked)
    if f.date_from is not None:
        qs = qs.filter(reported_at__gte=_day_start(f.date_from))
    if f.date_to is not None:
        qs = qs.filter(reported_at__lt=_day_start(f.date_to + dt.timedelta(days=1)))
    if f.q:
        qs = qs.filter(
            Q(number__icontains=f.q)
            | Q(description__icontains=f.q)
            | Q(address__icontains=f.q)
            | Q(external_id=f.q)
        )
    return qs
