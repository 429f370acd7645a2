"""The demo district's case history: about 535 cases over the last six months.

Each plan of :mod:`chuangcheng.demo.case_plan` is played through the real domain functions
(``create_case``, ``register_and_dispatch``, ``feedback``, ``verify``, ``ask_extension``,
``decide_extension``, ``suspend``, ``resume``, ``reject``) with the clock set to the planned time
of each step, so timelines, audit entries and figures are those the workflow itself writes.
Overdue cases are escalated by the escalation job's own function when the job would have run,
three minutes after the deadline.

Guarantees: deterministic (seeded; times relative to the moment of loading); idempotent (once
loaded, as the audit log records, nothing is written again); photos are drawn scenes labelled
示例照片; no text message leaves — the demo's messages stay in the outbox.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from chuangcheng.accounts.models import User
from chuangcheng.cases.catalog import load_categories
from chuangcheng.cases.domain import actions, escalation
from chuangcheng.cases.domain.intake import CaseData, create_case
from chuangcheng.cases.domain.photos import store_photo
from chuangcheng.cases.enums import OPEN_AT_UNIT, CaseAction, CaseSource, PhotoStage
from chuangcheng.cases.models import Case, CaseEvent, Category, ExtensionRequest
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction, AuditEntry
from chuangcheng.core.models_messages import Delivery, Notification, OutboundMessage
from chuangcheng.demo import case_plan, catalog, places
from chuangcheng.demo import case_texts as texts
from chuangcheng.demo.accounts import ACCOUNTS
from chuangcheng.demo.areas import stem
from chuangcheng.demo.geometry import random_point_in
from chuangcheng.demo.names import People
from chuangcheng.demo.photos import scene
from chuangcheng.frameworks.models import Node
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.points.models import Point

SEED = "chuangcheng-demo-110101-cases"
# The job runs every five minutes: an overdue case is flagged a few minutes after its deadline.
ESCALATION_DELAY = dt.timedelta(minutes=3)
DISTRICT_PATH = f"{catalog.DISTRICT_CODE}/"
MARKER = "demo case history loaded"


@contextmanager
def frozen(moment: dt.datetime) -> Iterator[None]:
    """Make ``django.utils.timezone.now()`` answer ``moment`` (the domain and ``auto_now``
    fields ask it); single-threaded use only, as in the demo loader."""
    original = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = original


@dataclass
class Community:
    region: Region
    street: Region
    geom: BaseGeometry


@dataclass
class Context:
    """What playing the plans needs, read once."""

    now: dt.datetime
    rng: random.Random
    people: People
    users: dict[str, User]
    categories: dict[str, Category]
    units: dict[int, Unit]
    by_code: dict[str, Unit]
    lines: dict[str, Unit]
    unit_user: dict[int, User]
    points: list[Point]
    communities: list[Community]
    clauses: dict[int, list[int]]
    supervisors: list[str] = field(default_factory=list)
    case_ids: list[int] = field(default_factory=list)


@dataclass
class Progress:
    """Where a case stands while its plan plays: since when it is at a unit, who leads it."""

    since: dt.datetime
    lead: Unit | None = None
    extension: ExtensionRequest | None = None


def is_loaded() -> bool:
    """Whether the history was loaded: its audit entry says so (other demo loaders, such as the
    inspection rounds, add cases of their own)."""
    return AuditEntry.objects.filter(
        action=AuditAction.IMPORT, object_type="cases.case", note=MARKER
    ).exists()


@transaction.atomic
def load_demo_cases(stdout: Any = None) -> int:
    """Load the categories and the demo case history into the demo district; returns how many
    cases were created (0 when the history is there already or the district is not loaded)."""
    if is_loaded() or not Region.objects.filter(code=catalog.DISTRICT_CODE).exists():
        return 0
    started = time.monotonic()
    load_categories()
    _set_category_lines()
    ctx = _context(timezone.now())
    handle = {c: ctx.categories[c].handle_hours for c in texts.KINDS}
    urgent = {c for c in texts.KINDS if ctx.categories[c].urgent}
    plans = case_plan.history(ctx.rng, ctx.now, handle, urgent)
    plans += case_plan.still_open(ctx.rng, ctx.now, handle)
    plans.sort(key=lambda p: p.t0)
    for plan in plans:
        _play(plan, ctx)
    _finish(ctx)
    if stdout is not None:
        stdout.write(
            _("Case history: %(cases)d cases, %(open)d of them open, in %(seconds).1f s.")
            % {
                "cases": len(plans),
                "open": Case.objects.filter(pk__in=ctx.case_ids).open().count(),
                "seconds": time.monotonic() - started,
            }
        )
    return len(plans)


def _set_category_lines() -> None:
    """Give each standard category its usual line department, where it has none."""
    lines = {u.short_name: u for u in Unit.objects.filter(code__in=_line_codes())}
    by_line: dict[str, list[str]] = {}
    for code, kind in texts.KINDS.items():
        if kind.line:
            by_line.setdefault(kind.line, []).append(code)
    for short, codes in by_line.items():
        if short in lines:
            Category.objects.filter(code__in=codes, line_unit=None).update(line_unit=lines[short])


def _line_codes() -> list[str]:
    return [u.code for u in catalog.LINE_UNITS]


def _context(now: dt.datetime) -> Context:
    units = {u.pk: u for u in Unit.objects.all()}
    by_code = {u.code: u for u in units.values()}
    lines = {u.short_name: u for u in units.values() if u.code in set(_line_codes())}
    users = {
        u.username: u for u in User.objects.filter(username__in=[a.username for a in ACCOUNTS])
    }
    unit_user = {
        by_code[a.scope_code].pk: users[a.username]
        for a in ACCOUNTS
        if not a.scope_is_region and a.username in users and a.scope_code in by_code
    }
    points = list(
        Point.objects.filter(region__path__startswith=DISTRICT_PATH)
        .select_related("region", "type", "territorial_unit", "line_unit")
        .order_by("code")
    )
    streets = {r.pk: r for r in Region.objects.filter(level=RegionLevel.STREET)}
    communities = [
        Community(r, streets[r.parent_id], shape(r.boundary))
        for r in Region.objects.filter(
            level=RegionLevel.COMMUNITY, path__startswith=DISTRICT_PATH
        ).order_by("code")
        if r.boundary and r.parent_id in streets
    ]
    rng = random.Random(SEED)
    people = People(random.Random(f"{SEED}-people"), phone_prefix="1381100")
    return Context(
        now=now,
        rng=rng,
        people=people,
        users=users,
        categories={c.code: c for c in Category.objects.all()},
        units=units,
        by_code=by_code,
        lines=lines,
        unit_user=unit_user,
        points=points,
        communities=communities,
        clauses=_clauses(),
        supervisors=[people.name() for _ in range(6)],
    )


def _clauses() -> dict[int, list[int]]:
    """Field-inspection clauses of the active framework by point type (empty without one)."""
    through = Node.point_types.through
    rows = through.objects.filter(node__framework__status="active").values_list(
        "pointtype_id", "node_id"
    )
    found: dict[int, list[int]] = {}
    for type_id, node_id in rows.order_by("pointtype_id", "node_id"):
        found.setdefault(type_id, []).append(node_id)
    return found


def _point(ctx: Context, code: str, *, territorial: int = 0, street: str = "") -> Point:
    """A point where a problem of category ``code`` happens, inside the given territory."""
    types = set(texts.KINDS[code].types)
    pool = [
        p
        for p in ctx.points
        if (not territorial or p.territorial_unit_id == territorial)
        and (not street or p.region.path.startswith(street))
    ]
    fitting = [p for p in pool if p.type.code in types]
    return ctx.rng.choice(fitting or pool)


def _street_path(code: str) -> str:
    return f"{DISTRICT_PATH}{code}/" if code else ""


def _where(plan: case_plan.Plan, ctx: Context) -> tuple[dict[str, Any], str]:
    """Where the case is (CaseData fields) and how to name the place in its description."""
    rng = ctx.rng
    if plan.lead or plan.street:
        lead = ctx.by_code.get(plan.lead)
        territorial = lead.pk if lead is not None and lead.region_id and not plan.street else 0
        point = _point(ctx, plan.code, territorial=territorial, street=_street_path(plan.street))
        return {"point": point}, point.name
    on_point = {CaseSource.INSPECTION: 1.0, CaseSource.SUPERVISOR: 0.85}.get(
        CaseSource(plan.source), 0.55
    )
    if rng.random() < on_point:
        street = "110101001" if plan.source == CaseSource.SUPERVISOR and rng.random() < 0.5 else ""
        point = _point(ctx, plan.code, street=_street_path(street))
        return {"point": point}, point.name
    community = rng.choice(ctx.communities)
    lng, lat = random_point_in(community.geom, rng)
    alley = rng.choice(places.ALLEYS[stem(community.street.name)])
    return (
        {
            "lng": Decimal(f"{lng:.6f}"),
            "lat": Decimal(f"{lat:.6f}"),
            "region": community.region,
            "within": community.region,
            "address": f"北京市东城区{community.street.name}{alley}附近",
        },
        alley,
    )


def _reporter(plan: case_plan.Plan, ctx: Context, where: dict[str, Any]) -> dict[str, Any]:
    """Who reported: the demo inspector, supervisor or resident where they would have, else a
    name and number taken down by the hotline or given with the report."""
    users, rng = ctx.users, ctx.rng
    point = where.get("point")
    path = point.region.path if point is not None else where["region"].path
    source = CaseSource(plan.source)
    if source == CaseSource.INSPECTION:
        return {"reporter": users.get("inspector"), "actor": users.get("inspector")}
    if source == CaseSource.SUPERVISOR:
        if path.startswith(_street_path("110101001")):
            return {"reporter": users.get("supervisor"), "actor": users.get("supervisor")}
        return {"reporter_name": rng.choice(ctx.supervisors), "actor": users.get("office")}
    if source == CaseSource.RESIDENT and path.startswith(
        f"{_street_path('110101001')}110101001001/"
    ):
        return {"reporter": users.get("resident"), "actor": users.get("resident"), "notice": "v1"}
    fields: dict[str, Any] = {
        "reporter_name": ctx.people.name(),
        "reporter_phone": ctx.people.phone(),
        "actor": users.get("office"),
    }
    if source == CaseSource.HOTLINE:
        fields["external_id"] = (
            f"12345-{timezone.localtime(plan.t0):%Y%m%d%H%M}{rng.randint(10, 99)}"
        )
    else:
        fields["notice"] = "v1"
    return fields


def _photo(
    plan: case_plan.Plan,
    ctx: Context,
    where: dict[str, Any],
    *,
    actor: Any,
    label: str,
    after: bool,
) -> Any:
    """A drawn photo of the place, stored as a phone would send it (position included)."""
    point = where.get("point")
    data = scene(plan.code, f"{SEED}-{len(ctx.case_ids)}-{after}", label, after=after)
    return store_photo(
        data,
        actor=actor,
        name="demo.jpg",
        stage=PhotoStage.AFTER if after else PhotoStage.REPORT,
        lng=point.lng if point is not None else where.get("lng"),
        lat=point.lat if point is not None else where.get("lat"),
    )


def _label(place: str, moment: dt.datetime) -> str:
    return f"{place} {timezone.localtime(moment):%m-%d %H:%M}"


def _play(plan: case_plan.Plan, ctx: Context) -> None:
    """Create the case at its report time, then take each planned step at its time."""
    rng = ctx.rng
    kind = texts.KINDS[plan.code]
    where, place = _where(plan, ctx)
    who = _reporter(plan, ctx, where)
    fields: dict[str, Any] = dict(where)
    point = where.get("point")
    clause_ids = ctx.clauses.get(point.type_id, []) if point is not None else []
    if plan.source == CaseSource.INSPECTION and clause_ids:
        fields["clause"] = Node(pk=rng.choice(clause_ids))
    with frozen(plan.t0):
        photos = []
        if plan.photo:
            label = _label(place, plan.t0)
            photos.append(_photo(plan, ctx, where, actor=who["actor"], label=label, after=False))
        case = create_case(
            CaseData(
                source=plan.source,
                description=rng.choice(kind.problems).format(
                    place=place, side=rng.choice(texts.SIDES)
                ),
                category=ctx.categories[plan.code],
                reporter=who.get("reporter"),
                reporter_name=who.get("reporter_name", ""),
                reporter_phone=who.get("reporter_phone", ""),
                notice_version=who.get("notice", ""),
                external_id=who.get("external_id", ""),
                reported_at=plan.t0,
                photos=photos,
                **fields,
            ),
            actor=who["actor"],
        )
    ctx.case_ids.append(case.pk)
    progress = Progress(since=plan.t0)
    for step in plan.steps:
        _escalate_when_due(case, progress, until=step.at)
        with frozen(step.at):
            _do(step, case, plan=plan, ctx=ctx, progress=progress, where=where, place=place)
    _escalate_when_due(case, progress, until=ctx.now)


def _escalate_when_due(case: Case, progress: Progress, *, until: dt.datetime) -> None:
    """Flag the case as the escalation job would have, if it sat at a unit past its deadline
    before ``until``."""
    if case.status not in OPEN_AT_UNIT or case.escalated_at is not None or case.due_at is None:
        return
    when = max(case.due_at, progress.since) + ESCALATION_DELAY
    if when >= until:
        return
    with frozen(when):
        escalation.escalate_overdue(now=when, cases=Case.objects.filter(pk=case.pk), send=False)
    case.refresh_from_db(fields=["version", "escalated_at"])


def _leads(plan: case_plan.Plan, case: Case, ctx: Context) -> tuple[Unit, list[Unit]]:
    """The lead unit and partners: the plan's, else the category's line department with the
    territorial unit as partner, else the territorial unit (with the point's line department
    as partner about a third of the time)."""
    territorial = ctx.units.get(case.territorial_unit_id or 0)
    line_of_point = ctx.units.get(case.line_unit_id or 0)
    if plan.lead:
        lead = ctx.by_code[plan.lead]
        partner = territorial if territorial is not None and territorial.pk != lead.pk else None
        return lead, [partner] if partner is not None else []
    line = ctx.lines.get(texts.KINDS[plan.code].line)
    if line is not None:
        return line, [territorial] if territorial is not None else []
    assert territorial is not None, case.number
    if line_of_point is not None and ctx.rng.random() < 0.35:
        return territorial, [line_of_point]
    return territorial, []


def _do(
    step: case_plan.Step,
    case: Case,
    *,
    plan: case_plan.Plan,
    ctx: Context,
    progress: Progress,
    where: dict[str, Any],
    place: str,
) -> None:
    office = ctx.users.get("office")
    unit_actor = ctx.unit_user.get(progress.lead.pk) if progress.lead is not None else None
    if step.kind == "reject":
        actions.reject(case, actor=office, reason=step.text)
    elif step.kind == "register":
        actions.register(case, actor=office)
    elif step.kind == "dispatch":
        lead, partners = _leads(plan, case, ctx)
        actions.register_and_dispatch(case, actor=office, lead=lead, partners=partners)
        progress.lead, progress.since = lead, step.at
    elif step.kind == "suspend":
        actions.suspend(case, actor=office, reason=step.text)
    elif step.kind == "resume":
        actions.resume(case, actor=office)
        progress.since = step.at
    elif step.kind == "ask":
        assert progress.lead is not None and case.due_at is not None
        progress.extension = actions.ask_extension(
            case,
            actor=unit_actor,
            unit=progress.lead,
            new_due_at=case.due_at + dt.timedelta(hours=step.hours),
            reason=step.text,
        )
    elif step.kind == "decide":
        assert progress.extension is not None
        actions.decide_extension(progress.extension, actor=office, grant=step.grant)
    elif step.kind == "feedback":
        assert progress.lead is not None
        photos = []
        if step.photo:
            label = _label(place, step.at)
            photos.append(_photo(plan, ctx, where, actor=unit_actor, label=label, after=True))
        actions.feedback(case, actor=unit_actor, unit=progress.lead, text=step.text, photos=photos)
    elif step.kind in ("fail", "pass"):
        actions.verify(case, actor=office, passed=step.kind == "pass", note=step.text)
        progress.since = step.at
    else:  # pragma: no cover - the plans only hold the kinds above
        raise ValueError(step.kind)


def _finish(ctx: Context) -> None:
    """Name the units' contacts on steps they took without a demo account, keep the demo's text
    messages in the outbox, mark older notifications read and send the due reminders."""
    cases = Case.objects.filter(pk__in=ctx.case_ids)
    contact = Unit.objects.filter(pk=OuterRef("unit_id")).values("contact_name")[:1]
    CaseEvent.objects.filter(
        case__in=cases,
        actor=None,
        unit__isnull=False,
        action__in=[CaseAction.FEEDBACK, CaseAction.EXTENSION_ASKED],
    ).update(actor_name=Subquery(contact))
    OutboundMessage.objects.filter(
        scope_path__startswith=DISTRICT_PATH, status=Delivery.QUEUED
    ).update(status=Delivery.STORED, backend="outbox")
    keys = [f"case:{pk}:{event}" for pk in ctx.case_ids for event in ("overdue", "due_soon")]
    Notification.objects.filter(
        key__in=keys, read_at=None, created_at__lt=ctx.now - 2 * case_plan.DAY
    ).update(read_at=F("created_at") + 3 * case_plan.HOUR)
    escalation.remind_due_soon(now=ctx.now, cases=cases, send=False)
    audit.record(
        "demo",
        AuditAction.IMPORT,
        object_type="cases.case",
        object_repr=f"{len(ctx.case_ids)} demo cases",
        note=MARKER,
    )
