"""督查通报: the facts a bulletin reports for a period and a region, gathered in a fixed number
of queries whatever the number of cases, and the export recorded in the audit log.

The writers in :mod:`chuangcheng.cases.interfaces` turn a :class:`Bulletin` into .docx, .pdf
and .xlsx; they never query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case as CaseExpr
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from chuangcheng.cases.domain.figures import (
    AT_UNIT,
    FigureTable,
    UnitRow,
    cases_behind,
    cohort_filter,
    figure_table,
)
from chuangcheng.cases.domain.figures_access import record_export
from chuangcheng.cases.domain.periods import Period
from chuangcheng.cases.enums import CaseStatus, PhotoStage
from chuangcheng.cases.models import Case, CaseAssignment, Photo
from chuangcheng.cases.models_appraisal import AppraisalScheme
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region

TYPICAL_LIMIT = 6
OVERDUE_LIMIT = 200


@dataclass(frozen=True)
class BulletinMeta:
    """What the clerk types on the form: the header of the document."""

    title: str
    number: str  # 发文字号, e.g. 东城区文明办〔2026〕第11期
    issuer: str  # 发文机关
    recipients: str = ""  # 主送机关
    date: dt.date | None = None  # 成文日期


@dataclass(frozen=True)
class Activity:
    """What came in during the period (by report and registration time), in the region."""

    reported: int = 0  # 上报
    registered: int = 0  # 立案
    rejected: int = 0  # 不予立案
    closed_in_period: int = 0  # 本期结案 (closed_at in the period, whatever the deadline)


@dataclass
class PhotoPair:
    case: Case
    before: Photo
    after: Photo


@dataclass
class BulletinSection:
    """A section another module adds to every bulletin: a title, an optional note and a table
    of text cells. Every writer (.docx, .pdf, .xlsx) renders it after the built-in tables."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    note: str = ""
    numeric: set[int] = field(default_factory=set)  # right-aligned columns
    widths: list[float] = field(default_factory=list)  # relative; empty: equal


# Section builders registered by the modules above cases (cases never imports them): each is
# called with the period, the region and the time the bulletin is read, and may return None
# to add nothing.
SectionBuilder = Callable[[Period, Region, dt.datetime], "BulletinSection | None"]
SECTIONS: list[SectionBuilder] = []


def register_section(builder: SectionBuilder) -> SectionBuilder:
    """Add ``builder`` to every bulletin (once, in registration order)."""
    if builder not in SECTIONS:
        SECTIONS.append(builder)
    return builder


def extra_sections(period: Period, region: Region, now: dt.datetime) -> list[BulletinSection]:
    return [s for build in SECTIONS if (s := build(period, region, now)) is not None]


@dataclass
class Bulletin:
    meta: BulletinMeta
    period: Period
    region: Region
    now: dt.datetime
    table: FigureTable
    activity: Activity
    overdue: list[Case] = field(default_factory=list)
    overdue_total: int = 0
    typical: list[PhotoPair] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    sections: list[BulletinSection] = field(default_factory=list)

    @property
    def units_below_average(self) -> list[UnitRow]:
        """Units whose 结案率 is below the region's, worst first."""
        average = self.table.total.closed_rate.fraction
        if average is None:
            return []
        rows = [
            r
            for r in self.table.units
            if (f := r.counts.closed_rate.fraction) is not None and f < average
        ]
        return sorted(rows, key=lambda r: (r.counts.closed_rate.fraction, r.unit.name))


def _related(qs: QuerySet[Case]) -> QuerySet[Case]:
    """What every line of a bulletin reads about a case, fetched up front."""
    return qs.select_related(
        "category",
        "category__parent",
        "region",
        "region__parent",
        "region__parent__parent",
        "point",
    ).prefetch_related(
        Prefetch(
            "assignments",
            queryset=CaseAssignment.objects.select_related("unit").order_by("-lead", "id"),
        )
    )


def activity(period: Period, region: Region) -> Activity:
    start, end = period.bounds()
    row = Case.objects.filter(region__path__startswith=region.path).aggregate(
        reported=Count("pk", filter=Q(reported_at__gte=start, reported_at__lt=end)),
        registered=Count(
            "pk",
            filter=Q(registered_at__gte=start, registered_at__lt=end)
            & ~Q(status__in=(CaseStatus.REJECTED, CaseStatus.MERGED)),
        ),
        rejected=Count(
            "pk",
            filter=Q(reported_at__gte=start, reported_at__lt=end, status=CaseStatus.REJECTED),
        ),
        closed_in_period=Count(
            "pk",
            filter=Q(closed_at__gte=start, closed_at__lt=end, status=CaseStatus.CLOSED),
        ),
    )
    return Activity(**{k: int(v or 0) for k, v in row.items()})


def period_cases(period: Period, region: Region) -> QuerySet[Case]:
    """Every case of the period in the region: reported in it, or due in it."""
    start, end = period.bounds()
    in_period = Q(reported_at__gte=start, reported_at__lt=end) | cohort_filter("", period)
    return _related(
        Case.objects.filter(in_period, region__path__startswith=region.path).order_by(
            "reported_at", "id"
        )
    )


def typical_pairs(period: Period, region: Region, now: dt.datetime) -> list[PhotoPair]:
    """Up to six cases of the period with both a before and an after photo: recurring ones
    first, then those handled late or still overdue, then the most reworked."""
    start, end = period.bounds()
    late = (
        Q(escalated_at__isnull=False)
        | Q(closed_on_time=False)
        | Q(status__in=AT_UNIT, due_at__lt=now)
    )
    case_photos = Photo.objects.filter(case=OuterRef("pk"))
    chosen = list(
        Case.objects.filter(
            Q(reported_at__gte=start, reported_at__lt=end) | cohort_filter("", period),
            Exists(case_photos.filter(stage=PhotoStage.REPORT)),
            Exists(case_photos.filter(stage=PhotoStage.AFTER)),
            region__path__startswith=region.path,
        )
        .annotate(
            late=CaseExpr(When(late, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        .order_by("-recurrent", "-late", "-rework_count", "-reported_at", "-id")
        .values_list("pk", flat=True)[:TYPICAL_LIMIT]
    )
    by_pk = {
        c.pk: c
        for c in _related(Case.objects.filter(pk__in=chosen)).prefetch_related(
            Prefetch(
                "photos",
                queryset=Photo.objects.filter(
                    stage__in=(PhotoStage.REPORT, PhotoStage.AFTER)
                ).order_by("uploaded_at", "id"),
            )
        )
    }
    pairs = []
    for pk in chosen:
        case = by_pk[pk]
        photos = list(case.photos.all())
        before = next(p for p in photos if p.stage == PhotoStage.REPORT)
        after = [p for p in photos if p.stage == PhotoStage.AFTER][-1]
        pairs.append(PhotoPair(case, before, after))
    return pairs


def build_bulletin(
    *,
    actor: Any,
    meta: BulletinMeta,
    period: Period,
    region: Region,
    fmt: str,
    now: dt.datetime | None = None,
    scheme: AppraisalScheme | None = None,
    with_cases: bool = False,
    with_sections: bool = False,
) -> Bulletin:
    """Everything a bulletin of ``region`` for ``period`` says, for an ``actor`` who may issue
    one there (PermissionDenied otherwise). Recorded as an export of format ``fmt``.
    ``with_sections`` adds the registered sections of other modules (:data:`SECTIONS`)."""
    if not actor.has_perm("cases.issue_bulletin", region):
        raise PermissionDenied
    now = now or timezone.now()
    table = figure_table(period, region, now=now, scheme=scheme)
    overdue_qs = cases_behind(period, "overdue", region=region, now=now)
    bulletin = Bulletin(
        meta=meta,
        period=period,
        region=region,
        now=now,
        table=table,
        activity=activity(period, region),
        overdue=list(_related(overdue_qs)[:OVERDUE_LIMIT]),
        overdue_total=table.total.overdue,
        typical=typical_pairs(period, region, now),
    )
    if with_cases:
        bulletin.cases = list(period_cases(period, region))
    if with_sections:
        bulletin.sections = extra_sections(period, region, now)
    record_export(
        actor=actor,
        what=f"bulletin.{fmt}",
        period=period,
        region=region,
        rows=len(bulletin.cases) or table.total.due,
    )
    return bulletin


def lead_unit_name(case: Case) -> str:
    """The lead unit's short name (from the prefetched assignments)."""
    for a in case.assignments.all():
        if a.lead:
            return a.unit.short_name or a.unit.name
    return ""


def street_of(case: Case) -> Region:
    """The street a case's region lies in (the region itself when it is a street)."""
    region = case.region
    while region.level not in (RegionLevel.STREET, RegionLevel.DISTRICT, RegionLevel.CITY):
        if region.parent is None:
            break
        region = region.parent
    return region


def overdue_days(case: Case, now: dt.datetime) -> int:
    """Whole days past the deadline, counting a started day as one."""
    if case.due_at is None:
        return 0
    seconds = (now - case.due_at).total_seconds()
    return max(1, -(-int(seconds) // 86400))
