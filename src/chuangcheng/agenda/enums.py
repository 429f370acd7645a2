"""Kinds of calendar entries and how a unit task recurs."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventKind(models.TextChoices):
    """What a calendar event is about (seed 004: 创建日历)."""

    MATERIAL = "material", _("Material deadline (材料报送截止)")
    INSPECTION = "inspection", _("Inspection round")
    SURVEY = "survey", _("Survey campaign")
    BULLETIN = "bulletin", _("Bulletin")
    NATIONAL = "national", _("National assessment window (国家测评)")
    MEETING = "meeting", _("Meeting")
    OTHER = "other", pgettext_lazy("event kind", "Other")


class Frequency(models.TextChoices):
    """How often a task series falls due (seed 003's 11710 rhythm)."""

    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")


class Weekday(models.IntegerChoices):
    """Python's numbering (Monday 0), as ``date.weekday()`` answers."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


# ``TaskSeries.month_day`` value meaning "the last day of the month".
LAST_DAY = 0


class OccurrenceState(models.TextChoices):
    """Where an occurrence stands at a moment: derived, never stored."""

    OPEN = "open", _("Not due yet")
    DONE = "done", _("Done on time")
    LATE = "late", _("Done late")
    MISSED = "missed", _("Missed")
