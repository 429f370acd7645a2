"""A small iCalendar (RFC 5545) writer: just what a unit's feed needs.

Lines end in CRLF and are folded at 75 octets (a continuation starts with one space and never
splits a UTF-8 character); TEXT values escape backslash, semicolon, comma and newlines
(§3.3.11). All-day entries use DATE values with an exclusive DTEND; timed ones are written in
UTC (``…Z``), so the feed needs no VTIMEZONE. Alarms are relative to the start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

CRLF = "\r\n"
LIMIT = 75  # octets per line, CRLF excluded


def escape(text: str) -> str:
    """A TEXT value: ``\\`` ``;`` ``,`` escaped, every newline as ``\\n``."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """``line`` cut into pieces of at most 75 octets, joined by CRLF and a space."""
    pieces: list[str] = []
    current, size, limit = "", 0, LIMIT
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            # A continuation line's leading space counts against its 75 octets.
            current, size, limit = "", 0, LIMIT - 1
        current += ch
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def date_value(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


@dataclass(frozen=True)
class Entry:
    """One VEVENT. ``start`` and ``end`` are both dates (all day; ``end`` exclusive) or both
    aware datetimes. ``alarms`` are days before the start."""

    uid: str
    stamp: dt.datetime
    summary: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime
    description: str = ""
    url: str = ""
    categories: str = ""
    alarms: tuple[int, ...] = ()
    status: str = ""  # CONFIRMED, TENTATIVE or CANCELLED
    extra: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def _when(name: str, value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return f"{name}:{utc(value)}"
    return f"{name};VALUE=DATE:{date_value(value)}"


def _event_lines(e: Entry) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{e.uid}",
        f"DTSTAMP:{utc(e.stamp)}",
        _when("DTSTART", e.start),
        _when("DTEND", e.end),
        f"SUMMARY:{escape(e.summary)}",
    ]
    if e.description:
        lines.append(f"DESCRIPTION:{escape(e.description)}")
    if e.categories:
        lines.append(f"CATEGORIES:{escape(e.categories)}")
    if e.url:
        lines.append(f"URL:{e.url}")
    if e.status:
        lines.append(f"STATUS:{e.status}")
    lines.extend(f"{name}:{value}" for name, value in e.extra)
    for days in e.alarms:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape(e.summary)}",
            f"TRIGGER:-P{days}D" if days else "TRIGGER:PT0S",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def calendar(
    name: str,
    entries: Iterable[Entry],
    *,
    zone: str = "",
    product: str = "-//chuangcheng//agenda//ZH",
) -> str:
    """The VCALENDAR text of ``entries``, ready to serve as ``text/calendar``; ``zone`` is the
    time zone calendars should show it in (a hint: every time is written in UTC)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{product}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    if zone:
        lines.append(f"X-WR-TIMEZONE:{zone}")
    for entry in entries:
        lines.extend(_event_lines(entry))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
