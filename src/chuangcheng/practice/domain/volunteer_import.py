"""Importing volunteers from a spreadsheet (.xlsx or .csv) filled in from the Chinese template.

The whole file is checked first — every bad cell is reported by row and column — and nothing is
written when any row is bad. Lookups are loaded once (communities, categories, teams, the ID
numbers already registered), and the rows are written in bulk, so a file of 2,000 volunteers
takes a fixed number of queries. Each volunteer written gets its own audit entry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.core.tabular import UnreadableFileError, column_letter, read_rows
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.network import clean_mobile
from chuangcheng.practice.domain.network_volunteers import (
    VOLUNTEER_FIELDS,
    clean_id_number,
    id_hash,
    phone_hash,
)
from chuangcheng.practice.enums import Slot
from chuangcheng.practice.models import ServiceCategory, Team, Volunteer

NAME, ID_NUMBER, PHONE, COMMUNITY, SKILLS, SLOTS, NOTE, TEAMS, REGISTERED = (
    "姓名",
    "身份证号",
    "手机号",
    "社区",
    "服务技能",
    "可服务时段",
    "时段说明",
    "所属队伍",
    "注册日期",
)
HEADERS = (NAME, ID_NUMBER, PHONE, COMMUNITY, SKILLS, SLOTS, NOTE, TEAMS, REGISTERED)
REQUIRED = (NAME, ID_NUMBER, PHONE, COMMUNITY)
# Several values in one cell: 、 , ， ; ； or a line break.
_SPLIT = re.compile(r"[、,，;；\n]+")


@dataclass(frozen=True)
class Problem:
    """One bad cell: the spreadsheet row (header = 1) and column, and what is wrong."""

    row: int
    column: str  # letter, "" when the column is missing
    header: str
    message: str


@dataclass
class ImportReport:
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    created: int = 0

    @property
    def written(self) -> bool:
        return self.created > 0


def _split(text: str) -> list[str]:
    return [p.strip() for p in _SPLIT.split(text or "") if p.strip()]


def slot_names() -> dict[str, str]:
    """Every way a slot may be written: its code, its English and its Chinese label."""
    names = {s.value: s.value for s in Slot}
    for lang in ("en", "zh-hans"):
        with translation.override(lang):
            names.update({str(s.label): s.value for s in Slot})
    return names


def managed_communities(actor: Any) -> list[Region]:
    regions = (
        Region.objects.visible_to(actor)
        .filter(level=RegionLevel.COMMUNITY)
        .select_related("parent")
    )
    return [r for r in regions.order_by("path") if actor.has_perm("practice.manage_network", r)]


class _Lookups:
    """What the rows refer to, one query each."""

    def __init__(self, actor: Any, hashes: list[str]) -> None:
        communities = managed_communities(actor)
        self.by_code = {r.code: r for r in communities}
        self.by_name: dict[str, list[Region]] = defaultdict(list)
        for r in communities:
            self.by_name[r.name].append(r)
            if r.parent is not None:
                self.by_name[f"{r.parent.name}/{r.name}"].append(r)
        self.categories = {c.name: c for c in ServiceCategory.objects.filter(active=True)}
        self.categories.update({c.code: c for c in self.categories.values()})
        self.teams: dict[str, list[Team]] = defaultdict(list)
        for t in Team.objects.visible_to(actor).filter(active=True).select_related("site__region"):
            self.teams[t.name].append(t)
        self.slots = slot_names()
        self.taken = set(
            Volunteer.objects.filter(id_hash__in=hashes)
            .order_by()
            .values_list("id_hash", flat=True)
        )


@dataclass
class _Row:
    volunteer: Volunteer
    skills: list[int]
    teams: list[int]


def read_file(
    filename: str, data: bytes
) -> tuple[list[tuple[int, dict[str, str]]], dict[str, str], list[Problem]]:
    """The rows as ``(row number, header → text)``, the column letter of each header, and any
    structural problem (unreadable file, missing header)."""
    try:
        grid = read_rows(filename, data)
    except UnreadableFileError as exc:
        return [], {}, [Problem(1, "", "-", str(exc))]
    if not grid:
        return [], {}, [Problem(1, "", "-", _("The file is empty."))]
    header = [h.strip().rstrip("*").strip() for h in grid[0][1]]
    positions = {h: i for i, h in enumerate(header) if h in HEADERS}
    letters = {h: column_letter(i) for h, i in positions.items()}
    problems = [
        Problem(1, "", h, _("The column is missing from the header row."))
        for h in REQUIRED
        if h not in positions
    ]
    rows = []
    for number, raw in grid[1:]:
        if not any(c.strip() for c in raw):
            continue
        rows.append(
            (number, {h: (raw[i].strip() if i < len(raw) else "") for h, i in positions.items()})
        )
    return rows, letters, problems


class _Checker:
    def __init__(self, actor: Any, letters: dict[str, str], look: _Lookups) -> None:
        self.actor, self.letters, self.look = actor, letters, look
        self.problems: list[Problem] = []
        self.seen: dict[str, int] = {}
        self.row = 0
        self.ok = True

    def bad(self, header: str, message: str) -> None:
        self.ok = False
        self.problems.append(Problem(self.row, self.letters.get(header, ""), header, message))

    def check(self, row: int, values: dict[str, str], today: dt.date) -> _Row | None:
        self.row, self.ok = row, True
        name = values.get(NAME, "")
        if not name:
            self.bad(NAME, _("The name is required."))
        elif len(name) > 40:
            self.bad(NAME, _("At most 40 characters."))
        id_number = self._id_number(values.get(ID_NUMBER, ""))
        phone = ""
        try:
            phone = clean_mobile(values.get(PHONE, ""))
        except PracticeError as exc:
            self.bad(PHONE, str(exc))
        region = self._community(values.get(COMMUNITY, ""))
        skills = self._many(
            values.get(SKILLS, ""), SKILLS, self.look.categories, _("Unknown service “%(v)s”.")
        )
        slots = self._many(
            values.get(SLOTS, ""), SLOTS, self.look.slots, _("Unknown time slot “%(v)s”.")
        )
        teams = self._teams(values.get(TEAMS, ""), region)
        registered = self._date(values.get(REGISTERED, ""), today)
        note = values.get(NOTE, "")
        if len(note) > 200:
            self.bad(NOTE, _("At most 200 characters."))
        if not self.ok or region is None:
            return None
        volunteer = Volunteer(
            name=name,
            id_number=id_number,
            id_hash=id_hash(id_number),
            phone=phone,
            phone_hash=phone_hash(phone),
            region=region,
            availability=[s for s in Slot.values if s in slots],
            availability_note=note,
            registered_at=registered,
        )
        return _Row(volunteer, [c.pk for c in skills], [t.pk for t in teams])

    def _id_number(self, text: str) -> str:
        if not text:
            self.bad(ID_NUMBER, _("The ID number is required."))
            return ""
        try:
            cleaned = clean_id_number(text)
        except PracticeError as exc:
            self.bad(ID_NUMBER, str(exc))
            return ""
        hashed = id_hash(cleaned)
        if hashed in self.look.taken:
            self.bad(ID_NUMBER, _("A volunteer with this ID number is already registered."))
        elif hashed in self.seen:
            self.bad(
                ID_NUMBER, _("The same ID number is on row %(row)s.") % {"row": self.seen[hashed]}
            )
        else:
            self.seen[hashed] = self.row
        return cleaned

    def _community(self, text: str) -> Region | None:
        if not text:
            self.bad(COMMUNITY, _("The community is required."))
            return None
        found = (
            [self.look.by_code[text]]
            if text in self.look.by_code
            else self.look.by_name.get(text, [])
        )
        if not found:
            self.bad(
                COMMUNITY, _("Unknown community “%(v)s”, or not one you manage.") % {"v": text}
            )
            return None
        if len(found) > 1:
            self.bad(
                COMMUNITY,
                _("Several communities are named “%(v)s”: write 街道/社区 or the code.")
                % {"v": text},
            )
            return None
        return found[0]

    def _many(self, text: str, header: str, known: dict[str, Any], message: str) -> list[Any]:
        found = []
        for part in _split(text):
            if part in known:
                found.append(known[part])
            else:
                self.bad(header, message % {"v": part})
        return found

    def _teams(self, text: str, region: Region | None) -> list[Team]:
        found = []
        for part in _split(text):
            candidates = self.look.teams.get(part, [])
            if region is not None:
                candidates = [t for t in candidates if region.path.startswith(t.site.region.path)]
            if len(candidates) == 1:
                found.append(candidates[0])
            elif not candidates:
                self.bad(TEAMS, _("No team “%(v)s” serves this community.") % {"v": part})
            else:
                self.bad(TEAMS, _("Several teams are named “%(v)s”.") % {"v": part})
        return found

    def _date(self, text: str, today: dt.date) -> dt.date:
        if not text:
            return today
        try:
            day = dt.date.fromisoformat(text[:10].replace("/", "-"))
        except ValueError:
            self.bad(REGISTERED, _("Write the date as 2026-03-01."))
            return today
        if day > today:
            self.bad(REGISTERED, _("The date lies in the future."))
        return day


def run_import(filename: str, data: bytes, *, actor: Any, dry_run: bool = False) -> ImportReport:
    """Check every row of the file; unless ``dry_run`` or any problem, write them all."""
    rows, letters, problems = read_file(filename, data)
    report = ImportReport(problems=problems, rows=len(rows))
    if problems:
        return report
    if not rows:
        report.problems.append(Problem(2, "", "-", _("The file has no volunteer rows.")))
        return report
    hashes = []
    for _n, values in rows:
        try:
            hashes.append(id_hash(clean_id_number(values.get(ID_NUMBER, ""))))
        except PracticeError:
            continue
    checker = _Checker(actor, letters, _Lookups(actor, hashes))
    today = timezone.localdate()
    checked = [checker.check(number, values, today) for number, values in rows]
    report.problems = checker.problems
    if report.problems or dry_run:
        return report
    report.created = write_rows([c for c in checked if c is not None], actor=actor, source=filename)
    return report


@transaction.atomic
def write_rows(rows: list[_Row], *, actor: Any, source: str) -> int:
    """Write checked rows in bulk with one audit entry per volunteer; a race with another
    registration of the same ID number undoes the whole import."""
    try:
        with transaction.atomic():
            created = Volunteer.objects.bulk_create([r.volunteer for r in rows])
    except IntegrityError as exc:
        raise PracticeError(
            _(
                "A volunteer in the file was registered by someone else meanwhile; "
                "nothing was written."
            )
        ) from exc
    skill_links = Volunteer.skills.through
    team_links = Volunteer.teams.through
    skill_links.objects.bulk_create(
        [
            skill_links(volunteer_id=v.pk, servicecategory_id=c)
            for v, r in zip(created, rows, strict=True)
            for c in r.skills
        ]
    )
    team_links.objects.bulk_create(
        [
            team_links(volunteer_id=v.pk, team_id=t)
            for v, r in zip(created, rows, strict=True)
            for t in r.teams
        ]
    )
    audit.record_many(
        audit.entry(
            actor,
            AuditAction.IMPORT,
            v,
            after={**audit.snapshot(v, VOLUNTEER_FIELDS), "skills": r.skills, "teams": r.teams},
            note=source[:100],
        )
        for v, r in zip(created, rows, strict=True)
    )
    return len(created)
