"""The words and tables of a 督查通报, as neutral blocks that the .docx and .pdf writers lay out
the same way (so both formats always say the same thing)."""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from chuangcheng.cases.domain.bulletin import (
    Bulletin,
    BulletinSection,
    PhotoPair,
    lead_unit_name,
    overdue_days,
    street_of,
)
from chuangcheng.cases.domain.figures import Counts
from chuangcheng.cases.models import Photo
from chuangcheng.orgs.enums import RegionLevel

log = logging.getLogger(__name__)
NUMERALS = "一二三四五六七八九十"
PHOTO_MAX_PX = 1000
BELOW_AVERAGE_NAMED = 8


@dataclass
class Heading:
    level: int  # 1: 一、 (黑体) 2: （一） (楷体)
    text: str


@dataclass
class Para:
    text: str


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative
    numeric: set[int] = field(default_factory=set)  # right-aligned columns
    total_last: bool = False  # the last row is a 合计 row


@dataclass
class PhotoItem:
    caption: str
    before: bytes
    after: bytes
    before_label: str
    after_label: str


@dataclass
class Document:
    masthead: str
    number: str
    title: str
    recipients: str
    blocks: list[Heading | Para | Table | PhotoItem]
    signature: str
    date_text: str


def long_date(day: dt.date) -> str:
    return _("%(y)d-%(m)02d-%(d)02d") % {"y": day.year, "m": day.month, "d": day.day}


def chinese_numeral(n: int) -> str:
    """1 → 一 … 10 → 十 (headings never need more)."""
    return NUMERALS[n - 1] if 1 <= n <= len(NUMERALS) else str(n)


def level1(n: int, text: str) -> Heading:
    return Heading(1, _("%(n)s. %(text)s") % {"n": chinese_numeral(n), "text": text})


def level2(n: int, text: str) -> Heading:
    return Heading(2, _("(%(n)s) %(text)s") % {"n": chinese_numeral(n), "text": text})


def _figure_cells(c: Counts) -> list[str]:
    return [
        str(c.due),
        str(c.handled),
        str(c.closed),
        str(c.closed_rate),
        str(c.on_time_rate),
        str(c.rework_rate),
        str(c.overdue),
    ]


def overview(b: Bulletin) -> list[Heading | Para | Table | PhotoItem]:
    a, t = b.activity, b.table.total
    values = {
        "period": b.period.label,
        "region": b.region.name,
        "reported": a.reported,
        "registered": a.registered,
        "rejected": a.rejected,
        "closed_in_period": a.closed_in_period,
    }
    first = (
        _(
            "In %(period)s, %(region)s received %(reported)d reports of problems; "
            "%(registered)d were registered as cases and %(rejected)d were not registered; "
            "%(closed_in_period)d cases were closed in the period."
        )
        % values
    )
    if t.due == 0:
        second = _("No case had its deadline in this period.")
    else:
        second = _(
            "By deadline, %(due)d cases were due in the period: %(handled)d handled "
            "(handling rate %(handled_rate)s) and %(closed)d closed (closure rate "
            "%(closed_rate)s); %(on_time)d handled on time (on-time rate %(on_time_rate)s); "
            "%(overdue)d overdue and not handled; %(rework)d re-checks failed (rework rate "
            "%(rework_rate)s); %(extended)d extended; %(suspended)d suspended."
        ) % {
            "due": t.due,
            "handled": t.handled,
            "handled_rate": t.handled_rate,
            "closed": t.closed,
            "closed_rate": t.closed_rate,
            "on_time": t.on_time,
            "on_time_rate": t.on_time_rate,
            "overdue": t.overdue,
            "rework": t.rework,
            "rework_rate": t.rework_rate,
            "extended": t.extended,
            "suspended": t.suspended,
        }
    return [level1(1, _("Overall")), Para(first + second)]


def by_region(b: Bulletin, n: int) -> list[Heading | Para | Table | PhotoItem]:
    street_level = b.region.level in (RegionLevel.CITY, RegionLevel.DISTRICT)
    name = _("Street") if street_level else _("Community")
    heading = _("Results by street") if street_level else _("Results by community")
    rows = [
        [str(i), r.region.name, *_figure_cells(r.counts)]
        for i, r in enumerate(b.table.regions, start=1)
    ]
    rows.append(["", _("Total"), *_figure_cells(b.table.total)])
    table = Table(
        headers=[
            _("No."),
            name,
            pgettext("figure", "Due"),
            pgettext("figure", "Handled"),
            pgettext("figure", "Closed"),
            _("Closure rate"),
            _("On-time rate"),
            _("Rework rate"),
            pgettext("figure", "Overdue"),
        ],
        rows=rows,
        widths=[0.6, 2.4, 1, 1, 1, 1.4, 1.4, 1.4, 1],
        numeric={2, 3, 4, 5, 6, 7, 8},
        total_last=True,
    )
    return [level1(n, heading), table]


def by_unit(b: Bulletin, n: int) -> list[Heading | Para | Table | PhotoItem]:
    rows = [
        [
            str(r.rank) if r.rank else "—",
            r.unit.short_name or r.unit.name,
            str(r.counts.due),
            str(r.counts.closed_rate),
            str(r.counts.on_time_rate),
            str(r.counts.rework_rate),
            str(r.counts.overdue),
            str(r.counts.extension_rate),
            f"{r.score:.2f}" if r.score is not None else "—",
        ]
        for r in b.table.units
        if r.counts.due or r.counts.pending
    ]
    intro = _(
        "Units are ranked by the composite score of the appraisal scheme “%(scheme)s”; "
        "units with no case due have no score."
    ) % {"scheme": b.table.scheme.name}
    table = Table(
        headers=[
            _("Rank"),
            _("Responsible unit"),
            pgettext("figure", "Due"),
            _("Closure rate"),
            _("On-time rate"),
            _("Rework rate"),
            pgettext("figure", "Overdue"),
            _("Extension rate"),
            pgettext("figure", "Score"),
        ],
        rows=rows,
        widths=[0.7, 3, 0.9, 1.3, 1.3, 1.3, 0.9, 1.3, 1.1],
        numeric={2, 3, 4, 5, 6, 7, 8},
    )
    return [level1(n, _("Results by responsible unit")), Para(intro), table]


def overdue_list(b: Bulletin, n: int) -> list[Heading | Para | Table | PhotoItem]:
    blocks: list[Heading | Para | Table | PhotoItem] = [level1(n, _("Overdue cases not handled"))]
    if not b.overdue:
        blocks.append(Para(_("No case is overdue and unhandled.")))
        return blocks
    as_of = long_date(timezone.localtime(b.now).date())
    blocks.append(
        Para(
            ngettext(
                "As of %(date)s, %(n)d case is past its deadline and not handled:",
                "As of %(date)s, %(n)d cases are past their deadline and not handled:",
                b.overdue_total,
            )
            % {"date": as_of, "n": b.overdue_total}
        )
    )
    rows = []
    for i, case in enumerate(b.overdue, start=1):
        street = street_of(case)
        place = street.name if street == case.region else f"{street.name} {case.region.name}"
        assert case.due_at is not None
        rows.append(
            [
                str(i),
                case.number,
                case.category.name if case.category else "",
                place,
                (case.address or case.description)[:40],
                lead_unit_name(case),
                case.due_at.strftime("%Y-%m-%d"),
                str(overdue_days(case, b.now)),
            ]
        )
    blocks.append(
        Table(
            headers=[
                _("No."),
                _("Case number"),
                _("Category"),
                _("Location"),
                _("Address"),
                pgettext("case", "Lead unit"),
                _("Deadline"),
                _("Days overdue"),
            ],
            rows=rows,
            widths=[0.6, 2.3, 1.6, 2.2, 2.6, 2.0, 2.0, 1.0],
            numeric={7},
        )
    )
    if b.overdue_total > len(b.overdue):
        blocks.append(
            Para(
                _("Only the first %(n)d are listed; the case workbook (.xlsx) lists all.")
                % {"n": len(b.overdue)}
            )
        )
    return blocks


def read_photo(photo: Photo) -> bytes | None:
    """The photo scaled to at most 1000 px as JPEG; None when the file cannot be read (a
    missing file must not stop the bulletin)."""
    from PIL import Image, ImageOps

    try:
        with photo.image.open("rb") as fh:
            image = ImageOps.exif_transpose(Image.open(io.BytesIO(fh.read())))
            image.thumbnail((PHOTO_MAX_PX, PHOTO_MAX_PX))
            buf = io.BytesIO()
            image.convert("RGB").save(buf, "JPEG", quality=82)
            return buf.getvalue()
    except (OSError, ValueError) as exc:
        log.warning("bulletin: photo %s unreadable: %s", photo.pk, exc)
        return None


def _tags(pair: PhotoPair) -> str:
    case = pair.case
    tags = []
    if case.recurrent:
        tags.append(_("recurring problem"))
    if case.closed_on_time is False or case.escalated_at is not None:
        tags.append(_("handled late"))
    if case.rework_count:
        tags.append(
            ngettext("reworked %(n)d time", "reworked %(n)d times", case.rework_count)
            % {"n": case.rework_count}
        )
    return "，".join(tags) if tags else ""


def typical(b: Bulletin, n: int) -> list[Heading | Para | Table | PhotoItem]:
    blocks: list[Heading | Para | Table | PhotoItem] = [level1(n, _("Typical problems"))]
    items = 0
    for pair in b.typical:
        before, after = read_photo(pair.before), read_photo(pair.after)
        if before is None or after is None:
            continue
        items += 1
        case = pair.case
        heading = _("%(street)s %(where)s: %(category)s") % {
            "street": street_of(case).name,
            "where": case.address or case.region.name,
            "category": case.category.name if case.category else case.number,
        }
        caption = _("%(text)s. Case %(number)s, lead unit: %(unit)s.") % {
            "text": case.description.rstrip("。."),
            "number": case.number,
            "unit": lead_unit_name(case) or "—",
        }
        tags = _tags(pair)
        if tags:
            caption += _(" [%(tags)s]") % {"tags": tags}
        blocks.append(level2(items, heading))
        blocks.append(
            PhotoItem(
                caption=caption,
                before=before,
                after=after,
                before_label=_("Before (%(date)s)") % {"date": _photo_date(pair.before)},
                after_label=_("After (%(date)s)") % {"date": _photo_date(pair.after)},
            )
        )
    if not items:
        blocks.append(Para(_("No case of the period has both before and after photos.")))
    return blocks


def _photo_date(photo: Photo) -> str:
    moment = photo.taken_at or photo.uploaded_at
    return timezone.localtime(moment).strftime("%Y-%m-%d") if moment else ""


def requirements(b: Bulletin, n: int) -> list[Heading | Para | Table | PhotoItem]:
    t = b.table.total
    blocks: list[Heading | Para | Table | PhotoItem] = [level1(n, _("Next steps"))]
    k = 1
    if t.overdue:
        blocks.append(level2(k, _("Clear the overdue cases")))
        blocks.append(
            Para(
                ngettext(
                    "The lead units of the %(n)d overdue case listed above are to handle it and "
                    "report back within three working days; a case still open after that is "
                    "escalated (督办).",
                    "The lead units of the %(n)d overdue cases listed above are to handle them and "
                    "report back within three working days; cases still open after that are "
                    "escalated (督办).",
                    t.overdue,
                )
                % {"n": t.overdue}
            )
        )
        k += 1
    below = b.units_below_average
    if below:
        named = "、".join(
            _("%(unit)s (%(rate)s)")
            % {"unit": r.unit.short_name or r.unit.name, "rate": r.counts.closed_rate}
            for r in below[:BELOW_AVERAGE_NAMED]
        )
        more = (
            _(" and %(n)d more") % {"n": len(below) - BELOW_AVERAGE_NAMED}
            if len(below) > BELOW_AVERAGE_NAMED
            else ""
        )
        blocks.append(level2(k, _("Raise the closure rate")))
        blocks.append(
            Para(
                _(
                    "The closure rate of %(units)s%(more)s is below the average of %(region)s "
                    "(%(rate)s). These units are to find the causes, assign the work to named "
                    "people and report their improvement in the next bulletin period."
                )
                % {"units": named, "more": more, "region": b.region.name, "rate": t.closed_rate}
            )
        )
        k += 1
    if t.rework:
        blocks.append(level2(k, _("Fix problems for good")))
        blocks.append(
            Para(
                _(
                    "%(n)d re-checks failed this period (rework rate %(rate)s). Units are to "
                    "check their own work before reporting it handled, and to treat recurring "
                    "problems at the source instead of clearing them again and again."
                )
                % {"n": t.rework, "rate": t.rework_rate}
            )
        )
        k += 1
    blocks.append(level2(k, _("Keep up the daily work")))
    blocks.append(
        Para(
            _(
                "Every street and responsible unit is to check this bulletin against its own "
                "work, keep up daily inspection, and handle reported problems within the time "
                "limits, so that problems are found early and put right quickly."
            )
        )
    )
    return blocks


def extra(section: BulletinSection, n: int) -> list[Heading | Para | Table | PhotoItem]:
    """A section registered by another module: heading, note, table (when it has rows)."""
    blocks: list[Heading | Para | Table | PhotoItem] = [level1(n, section.title)]
    if section.note:
        blocks.append(Para(section.note))
    if section.rows:
        widths = section.widths or [1.0] * len(section.headers)
        blocks.append(
            Table(
                headers=list(section.headers),
                rows=[list(r) for r in section.rows],
                widths=widths,
                numeric=set(section.numeric),
            )
        )
    return blocks


def document(b: Bulletin) -> Document:
    """The whole bulletin as blocks, sections numbered in order; the sections of other modules
    come after the typical problems, before the next steps."""
    blocks = overview(b)
    blocks += by_region(b, 2)
    blocks += by_unit(b, 3)
    blocks += overdue_list(b, 4)
    blocks += typical(b, 5)
    n = 6
    for section in b.sections:
        blocks += extra(section, n)
        n += 1
    blocks += requirements(b, n)
    day = b.meta.date or timezone.localtime(b.now).date()
    return Document(
        masthead=_("%(issuer)s supervision bulletin") % {"issuer": b.meta.issuer},
        number=b.meta.number,
        title=b.meta.title,
        recipients=b.meta.recipients,
        blocks=blocks,
        signature=b.meta.issuer,
        date_text=long_date(day),
    )
