"""Validate a whole point file against the database, then hand the rows to the domain.

Every row is checked before anything is written, with a fixed number of queries (lookups are
loaded once), so a file of 5,000 rows reports all its problems in one pass.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from chuangcheng.core import audit
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.points import domain, geometry
from chuangcheng.points.interfaces.tables import (
    ADDRESS,
    CODE,
    LAT,
    LINE,
    LNG,
    NAME,
    STREET,
    TERRITORIAL,
    TYPE,
    Problem,
    Table,
    read_table,
)
from chuangcheng.points.models import Point, PointType

CRS_CHOICES = ("wgs84", "gcj02")


@dataclass
class ImportReport:
    problems: list[Problem] = field(default_factory=list)
    items: list[domain.ImportItem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    written: bool = False

    @property
    def to_create(self) -> int:
        return sum(1 for i in self.items if i.before is None)

    @property
    def to_update(self) -> int:
        return sum(1 for i in self.items if i.before is not None)


class _Lookups:
    """Everything the rows refer to, loaded with one query each."""

    def __init__(self, actor: Any, codes: list[str]) -> None:
        self.types = {t.name: t for t in PointType.objects.all()}
        regions = Region.objects.all() if actor is None else Region.objects.visible_to(actor)
        self.streets: dict[str, list[Region]] = defaultdict(list)
        for r in regions.filter(level=RegionLevel.STREET):
            self.streets[r.name].append(r)
        self.communities: dict[int, list[Region]] = defaultdict(list)
        for c in Region.objects.filter(level=RegionLevel.COMMUNITY, boundary__isnull=False):
            self.communities[c.parent_id or 0].append(c)
        units = Unit.objects.all() if actor is None else Unit.objects.visible_to(actor)
        self.units: dict[str, list[Unit]] = defaultdict(list)
        for u in units.select_related("region"):
            self.units[u.name].append(u)
            if u.short_name and u.short_name != u.name:
                self.units[u.short_name].append(u)
        self.points = {
            p.code: p
            for p in Point.objects.filter(code__in=[c for c in codes if c]).select_related("region")
        }


def run_import(
    filename: str, data: bytes, *, actor: Any, crs: str = "wgs84", dry_run: bool = False
) -> ImportReport:
    """Read, validate and (unless ``dry_run`` or any problem) write a point file."""
    table = read_table(filename, data)
    report = validate(table, actor=actor, crs=crs)
    if report.problems or dry_run:
        return report
    report.created, report.updated = domain.apply_import(report.items, actor=actor, source=filename)
    report.written = True
    return report


def validate(table: Table, *, actor: Any, crs: str) -> ImportReport:
    """Check every row; ``report.items`` holds the rows ready to write when there is no problem."""
    report = ImportReport(problems=list(table.problems))
    if report.problems and not table.rows:
        return report
    checker = _RowChecker(table, actor, crs)
    for where, values in table.rows:
        item = checker.check(where, values)
        if item is not None:
            report.items.append(item)
    report.problems.extend(checker.problems)
    report.problems.sort(key=lambda p: p.where)
    return report


class _RowChecker:
    def __init__(self, table: Table, actor: Any, crs: str) -> None:
        self.table, self.actor, self.crs = table, actor, crs
        self.look = _Lookups(actor, [v.get(CODE, "") for _n, v in table.rows])
        self.problems: list[Problem] = []
        self.seen_codes: dict[str, int] = {}
        self.seen_places: dict[tuple[str, Decimal, Decimal], int] = {}
        self.where = 0
        self.row_ok = True

    def bad(self, header: str, message: str) -> None:
        self.row_ok = False
        self.problems.append(self.table.problem(self.where, header, message))

    def check(self, where: int, values: dict[str, str]) -> domain.ImportItem | None:
        self.where, self.row_ok = where, True
        name = self._text(values, NAME, 120, required=True)
        address = self._text(values, ADDRESS, 200, required=False)
        ptype = _one_type(self.look, values.get(TYPE, ""), lambda m: self.bad(TYPE, m))
        lng = _number(
            values.get(LNG, ""),
            geometry.lng_in_range,
            geometry.LNG_RANGE,
            lambda m: self.bad(LNG, m),
        )
        lat = _number(
            values.get(LAT, ""),
            geometry.lat_in_range,
            geometry.LAT_RANGE,
            lambda m: self.bad(LAT, m),
        )
        street = _one(
            self.look.streets,
            values.get(STREET, ""),
            True,
            _("Unknown street “%(value)s”."),
            lambda m: self.bad(STREET, m),
        )
        tunit = _one(
            self.look.units,
            values.get(TERRITORIAL, ""),
            True,
            _("Unknown unit “%(value)s”."),
            lambda m: self.bad(TERRITORIAL, m),
        )
        lunit = _one(
            self.look.units,
            values.get(LINE, ""),
            False,
            _("Unknown unit “%(value)s”."),
            lambda m: self.bad(LINE, m),
        )
        existing = self._existing(values.get(CODE, ""))
        region = wgs = None
        if lng is not None and lat is not None:
            wgs = geometry.to_wgs84(lng, lat, self.crs)
            region = self._place(name, street, wgs, existing.region if existing else None)
        if not self.row_ok or region is None or ptype is None or tunit is None or wgs is None:
            return None
        point = existing if existing is not None else Point()
        before = audit.snapshot(existing, domain.AUDITED) if existing is not None else None
        point.name, point.type, point.address = name, ptype, address
        point.lng, point.lat, point.region = wgs[0], wgs[1], region
        point.territorial_unit, point.line_unit = tunit, lunit
        if self.actor is not None and not self.actor.has_perm("points.manage_point", point):
            self.bad(STREET, _("This street lies outside your area."))
            return None
        return domain.ImportItem(point=point, before=before)

    def _text(self, values: dict[str, str], header: str, limit: int, *, required: bool) -> str:
        text = values.get(header, "")
        if required and not text:
            self.bad(header, _("A value is required."))
        elif len(text) > limit:
            self.bad(header, _("At most %(n)s characters.") % {"n": limit})
        return text

    def _existing(self, code: str) -> Point | None:
        if not code:
            return None
        if code in self.seen_codes:
            self.bad(CODE, _("The code appears again in row %(n)s.") % {"n": self.seen_codes[code]})
        self.seen_codes.setdefault(code, self.where)
        existing = self.look.points.get(code)
        if (
            existing is not None
            and self.actor is not None
            and not self.actor.has_perm("points.manage_point", existing)
        ):
            self.bad(CODE, _("This point lies outside your area."))
            return None
        return existing

    def _place(
        self,
        name: str,
        street: Region | None,
        wgs: tuple[Decimal, Decimal],
        current: Region | None = None,
    ) -> Region | None:
        key = (name, wgs[0], wgs[1])
        if name and key in self.seen_places:
            self.bad(
                NAME, _("Same name and coordinates as row %(n)s.") % {"n": self.seen_places[key]}
            )
        self.seen_places.setdefault(key, self.where)
        if street is None:
            return None
        lng, lat = float(wgs[0]), float(wgs[1])
        if not geometry.inside_street(street, lng, lat):
            self.bad(LNG, domain.outside_message(street.name))
            return None
        return geometry.locate(street, self.look.communities.get(street.pk, []), lng, lat, current)


def _one_type(look: _Lookups, text: str, bad: Any) -> PointType | None:
    if not text:
        bad(_("A point type is required."))
        return None
    found = look.types.get(text)
    if found is None:
        bad(_("Unknown point type “%(value)s”.") % {"value": text})
    return found


def _one(index: dict[str, list[Any]], text: str, required: bool, unknown: str, bad: Any) -> Any:
    if not text:
        if required:
            bad(_("A value is required."))
        return None
    found = {o.pk: o for o in index.get(text, [])}
    if not found:
        bad(unknown % {"value": text})
        return None
    if len(found) > 1:
        bad(_("“%(value)s” matches more than one entry; use the full name.") % {"value": text})
        return None
    return next(iter(found.values()))


def _number(text: str, ok: Any, bounds: tuple[float, float], bad: Any) -> float | None:
    if not text:
        bad(_("A number is required."))
        return None
    try:
        value = Decimal(text.replace("，", "").strip())
    except InvalidOperation:
        bad(_("“%(value)s” is not a number.") % {"value": text})
        return None
    if not value.is_finite():
        bad(_("“%(value)s” is not a number.") % {"value": text})
        return None
    if not ok(float(value)):
        bad(
            _("%(value)s is out of range (%(lo)s–%(hi)s).")
            % {"value": text, "lo": bounds[0], "hi": bounds[1]}
        )
        return None
    return float(value)
