"""Calendar events, recurring unit tasks and their occurrences, and the units' .ics feeds.

Who sees what (ADR 0002, 0010): an office, a leader or an auditor sees the rows of the region
subtrees they are granted; a unit sees the events its units answer for (lead or partner) and
the district-wide events (no responsible unit) of a region holding one of its units, and the
tasks assigned to its units. Everything else answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangcheng.agenda.enums import LAST_DAY, EventKind, Frequency, OccurrenceState
from chuangcheng.orgs.paths import containing_paths

# Roles that read a region's calendar as a whole.
REGION_READERS = ("office", "leader", "auditor")


def default_remind_days() -> list[int]:
    return [7, 3, 1]


def _scope(user: Any) -> Any:
    from chuangcheng.accounts.scope import scope_of

    return scope_of(user)


def unit_ids_of(user: Any) -> frozenset[int]:
    """The units the user acts for (granted the unit role on them or on a unit above)."""
    return frozenset(_scope(user).role_units.get("unit", frozenset()))


class EventQuerySet(models.QuerySet["CalendarEvent"]):
    def visible_to(self, user: Any) -> EventQuerySet:
        """Events over the user's region subtrees (office, leader, auditor); for a unit, the
        events its units answer for and the general events (no unit) of a region holding one
        of its units (one more query, for those regions)."""
        scope = _scope(user)
        if scope.everything:
            return self.all()
        cond = scope.subtree_q("region__path", *REGION_READERS)
        units = unit_ids_of(user)
        if units:
            from chuangcheng.orgs.models import Unit

            cond |= Q(lead_unit_id__in=units) | Q(
                pk__in=EventPartner.objects.filter(unit_id__in=units).values("event_id")
            )
            paths = list(
                Unit.objects.filter(pk__in=units, region__isnull=False).values_list(
                    "region__path", flat=True
                )
            )
            if paths:
                cond |= Q(
                    lead_unit__isnull=True,
                    region__path__in=sorted(containing_paths(paths)),
                    general=True,
                )
        return self.filter(cond)

    def for_unit(self, unit: Any) -> EventQuerySet:
        """What the unit's .ics feed and reminders hold: its own events and the general events
        of a region holding it."""
        cond = Q(lead_unit=unit) | Q(
            pk__in=EventPartner.objects.filter(unit=unit).values("event_id")
        )
        if unit.region_id is not None:
            cond |= Q(
                lead_unit__isnull=True,
                general=True,
                region__path__in=sorted(containing_paths([unit.region.path])),
            )
        return self.filter(cond)

    def between(self, start: dt.date, end: dt.date) -> EventQuerySet:
        """Events touching the days ``start`` (included) to ``end`` (excluded)."""
        return self.filter(start_date__lt=end).filter(
            Q(end_date__isnull=True, start_date__gte=start) | Q(end_date__gte=start)
        )


class CalendarEvent(models.Model):
    """A dated entry of the campaign calendar: a material deadline, a survey campaign, a
    bulletin, the national assessment window, a meeting.

    The lead unit and partner units answer for it and are reminded ``remind_days`` days before
    ``start_date``. An event without units and marked ``general`` is shown to every unit of its
    region (the national assessment window). ``start_time`` None means all day; ``end_date``
    None means one day; ``end_date``, when set, is on or after ``start_date``.
    """

    title = models.CharField(_("title"), max_length=160)
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    start_date = models.DateField(_("date"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    start_time = models.TimeField(_("from (time)"), null=True, blank=True)
    end_time = models.TimeField(_("to (time)"), null=True, blank=True)
    clause = models.ForeignKey(
        "frameworks.Node",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("framework clause"),
    )
    lead_unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead unit"),
    )
    partner_units = models.ManyToManyField(
        "orgs.Unit",
        through="EventPartner",
        blank=True,
        related_name="+",
        verbose_name=_("partner units"),
    )
    region = models.ForeignKey(
        "orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    general = models.BooleanField(
        _("shown to every unit of the region"),
        default=False,
        help_text=_("For an event without responsible units, such as the assessment window."),
    )
    remind_days = models.JSONField(_("remind days before"), default=default_remind_days)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "start_time", "id"]
        verbose_name = _("calendar event")
        verbose_name_plural = _("calendar events")
        indexes = [models.Index(fields=["start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="agenda_event_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def all_day(self) -> bool:
        return self.start_time is None

    @property
    def last_day(self) -> dt.date:
        return self.end_date or self.start_date

    def scope_path(self) -> str:
        return self.region.path

    def scope_unit_ids(self) -> tuple[int, ...]:
        partners = tuple(p.pk for p in self.partner_units.all()) if self.pk else ()
        return ((self.lead_unit_id,) if self.lead_unit_id else ()) + partners


class EventPartner(models.Model):
    """A partner unit (配合单位) of an event."""

    event = models.ForeignKey(CalendarEvent, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "unit"], name="agenda_event_partner_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} · {self.unit_id}"


class SeriesQuerySet(models.QuerySet["TaskSeries"]):
    def visible_to(self, user: Any) -> SeriesQuerySet:
        """Series over the user's region subtrees, and series assigned to the user's units."""
        scope = _scope(user)
        if scope.everything:
            return self.all()
        cond = scope.subtree_q("region__path", *REGION_READERS)
        units = unit_ids_of(user)
        if units:
            cond |= Q(pk__in=SeriesUnit.objects.filter(unit_id__in=units).values("series_id"))
        return self.filter(cond)


class TaskSeries(models.Model):
    """A recurring task of units (日巡查, 周小结, 月盘点): due every day, every week on
    ``weekday`` or every month on ``month_day`` (``LAST_DAY`` = 0 for the last day; a day past
    a month's end falls on its last day) from ``start_date`` to ``end_date`` (open-ended when
    None), at ``due_time`` local time, for each assigned unit.

    ``generated_until`` is the last day whose occurrences exist (None: none yet); generation
    continues from the day after, so a run only adds the days it has not seen.
    """

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    clause = models.ForeignKey(
        "frameworks.Node",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("framework clause"),
    )
    frequency = models.CharField(_("recurs"), max_length=8, choices=Frequency.choices)
    weekday = models.PositiveSmallIntegerField(_("weekday"), null=True, blank=True)
    month_day = models.PositiveSmallIntegerField(_("day of the month"), null=True, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    due_time = models.TimeField(_("due at"), default=dt.time(18, 0))
    units = models.ManyToManyField(
        "orgs.Unit", through="SeriesUnit", related_name="+", verbose_name=_("assigned units")
    )
    region = models.ForeignKey(
        "orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    active = models.BooleanField(_("active"), default=True)
    generated_until = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("task series")
        verbose_name_plural = _("task series")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="agenda_series_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(frequency="weekly") | Q(weekday__isnull=False, weekday__lte=6),
                name="agenda_series_weekly_has_weekday",
            ),
            models.CheckConstraint(
                condition=~Q(frequency="monthly") | Q(month_day__isnull=False, month_day__lte=31),
                name="agenda_series_monthly_has_day",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def on_last_day(self) -> bool:
        return self.frequency == Frequency.MONTHLY and self.month_day == LAST_DAY

    def scope_path(self) -> str:
        return self.region.path


class SeriesUnit(models.Model):
    """A unit a task series is assigned to."""

    series = models.ForeignKey(TaskSeries, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "unit"], name="agenda_series_unit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.series_id} · {self.unit_id}"


class OccurrenceQuerySet(models.QuerySet["TaskOccurrence"]):
    def visible_to(self, user: Any) -> OccurrenceQuerySet:
        """Occurrences of series over the user's region subtrees, and those of the user's units."""
        scope = _scope(user)
        if scope.everything:
            return self.all()
        cond = scope.subtree_q("series__region__path", *REGION_READERS)
        units = unit_ids_of(user)
        if units:
            cond |= Q(unit_id__in=units)
        return self.filter(cond)

    def in_state(self, state: str, now: dt.datetime) -> OccurrenceQuerySet:
        """Occurrences in ``state`` (an :class:`OccurrenceState`) at ``now``."""
        if state == OccurrenceState.DONE:
            return self.filter(completed_at__isnull=False, completed_at__lte=models.F("due_at"))
        if state == OccurrenceState.LATE:
            return self.filter(completed_at__gt=models.F("due_at"))
        if state == OccurrenceState.MISSED:
            return self.filter(completed_at__isnull=True, due_at__lt=now)
        return self.filter(completed_at__isnull=True, due_at__gte=now)


class TaskOccurrence(models.Model):
    """One unit's task on one day, generated from its series (once per series, unit and day).

    It is done when ``completed_at`` is set; late when that is after ``due_at`` (the series'
    due time on ``due_date``); missed while it is not done and ``due_at`` has passed.
    """

    series = models.ForeignKey(TaskSeries, on_delete=models.CASCADE, related_name="occurrences")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(_("due date"))
    due_at = models.DateTimeField(_("due at"))
    completed_at = models.DateTimeField(_("done at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("done by"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("task occurrence")
        verbose_name_plural = _("task occurrences")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "unit", "due_date"], name="agenda_occurrence_once"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "due_date"]),
            models.Index(fields=["due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.series_id} {self.unit_id} {self.due_date}"

    def state(self, now: dt.datetime | None = None) -> str:
        if self.completed_at is not None:
            return OccurrenceState.LATE if self.completed_at > self.due_at else OccurrenceState.DONE
        now = now or timezone.now()
        return OccurrenceState.MISSED if self.due_at < now else OccurrenceState.OPEN

    @property
    def late(self) -> bool:
        return self.completed_at is not None and self.completed_at > self.due_at

    def scope_path(self) -> str:
        return self.series.region.path

    def scope_unit_ids(self) -> tuple[int, ...]:
        return (self.unit_id,)


class FeedToken(models.Model):
    """A unit's secret .ics subscription link. Only the SHA-256 of the token is kept, so the
    link is shown once, when issued; issuing again replaces it and the old link stops working."""

    unit = models.OneToOneField(
        "orgs.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    token_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )

    class Meta:
        verbose_name = _("calendar feed link")
        verbose_name_plural = _("calendar feed links")

    def __str__(self) -> str:
        return f"feed {self.unit_id}"


class ReminderSent(models.Model):
    """One reminder that went out (``event:3:unit:7:d3``, ``tasks:unit:7:2026-11-30``): a key
    is sent once, whatever the number of runs or of recipients found."""

    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self) -> str:
        return self.key
