"""督办 and reminders: what the clock does to cases at the units (../shared/domain.md §6).

:func:`escalate_overdue` flags every case still at a unit (dispatched or sent back for rework)
past its deadline and not flagged before — in a handful of statements whatever the number of
cases — and notifies: each user holding the unit role over an assigned unit gets an in-app
notification, the lead unit's 主要负责人 and 联络员 get a text message. :func:`remind_due_soon`
tells the assigned units' users once per case that the deadline is near. Both may run any number
of times: nothing is flagged, notified or sent twice for the same case and event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chuangcheng.accounts.holders import unit_users
from chuangcheng.accounts.models import User
from chuangcheng.cases.domain.errors import StaleCaseError
from chuangcheng.cases.enums import OPEN_AT_UNIT, CaseAction
from chuangcheng.cases.models import Case, CaseAssignment, CaseEvent, CaseQuerySet, overdue_q
from chuangcheng.core import audit, messaging, notify
from chuangcheng.core.models import AuditAction
from chuangcheng.core.models_messages import Channel, Level, Notification
from chuangcheng.orgs.models import Unit

OVERDUE = "overdue"
DUE_SOON = "due_soon"


def case_link(case: Case) -> str:
    """The case's page: ``cases:detail`` by primary key where the case pages define it."""
    try:
        return reverse("cases:detail", args=[case.pk])
    except NoReverseMatch:
        return f"/cases/{case.pk}/"


def event_key(case: Case, event: str) -> str:
    return f"case:{case.pk}:{event}"


def _place(case: Case) -> str:
    """The point's name, else the address given, else the community."""
    return (case.point.name if case.point else "") or case.address or case.region.name


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _assignments(cases: Sequence[Case]) -> dict[int, list[CaseAssignment]]:
    """Each case's assignments, the lead unit first (one query)."""
    found: dict[int, list[CaseAssignment]] = {c.pk: [] for c in cases}
    rows = (
        CaseAssignment.objects.filter(case_id__in=list(found))
        .select_related("unit")
        .order_by("case_id", "-lead", "id")
    )
    for row in rows:
        found[row.case_id].append(row)
    return found


def _recipients(
    assignments: dict[int, list[CaseAssignment]],
) -> dict[int, list[User]]:
    """Each case's recipients: the users over any of its assigned units."""
    by_unit = unit_users(
        {a.unit.pk: a.unit for rows in assignments.values() for a in rows}.values()
    )
    found: dict[int, list[User]] = {}
    for case_id, rows in assignments.items():
        users: dict[int, User] = {}
        for a in rows:
            for user in by_unit.get(a.unit_id, []):
                users.setdefault(user.pk, user)
        found[case_id] = list(users.values())
    return found


def escalate_overdue(
    *,
    now: dt.datetime | None = None,
    cases: CaseQuerySet | None = None,
    send: bool = True,
) -> list[Case]:
    """Flag (督办) every case at a unit past its deadline and not flagged yet, among ``cases``
    (default: all), and notify. Returns the cases newly flagged.

    The flag is written like :func:`~chuangcheng.cases.domain.actions.escalate` writes it — the
    case's ``escalated_at`` and ``version``, a timeline event by the system and an audit entry —
    but for all cases at once. Rows are locked while they are flagged; when one changed anyway
    the whole run is undone (StaleCaseError) and the next run takes it up.
    """
    now = now or timezone.now()
    base = cases if cases is not None else Case.objects.all()
    with transaction.atomic():
        found = list(
            base.filter(overdue_q(now), escalated_at__isnull=True)
            .select_related("category", "region", "point")
            .select_for_update(of=("self",))
            .order_by("pk")
        )
        if not found:
            return []
        ids = [c.pk for c in found]
        updated = Case.objects.filter(
            pk__in=ids, status__in=OPEN_AT_UNIT, escalated_at__isnull=True
        ).update(escalated_at=now, version=F("version") + 1, updated_at=now)
        if updated != len(ids):
            raise StaleCaseError(_("Cases changed while they were being escalated."))
        assignments = _assignments(found)
        with translation.override(settings.LANGUAGE_CODE):
            system = _("System")
            events = []
            entries = []
            for case in found:
                assert case.due_at is not None
                case.escalated_at, case.version = now, case.version + 1
                lead = assignments[case.pk][0].unit if assignments[case.pk] else None
                events.append(
                    CaseEvent(
                        case=case,
                        at=now,
                        actor=None,
                        actor_name=system,
                        action=CaseAction.ESCALATE,
                        from_status=case.status,
                        to_status=case.status,
                        unit=lead,
                        note=_("Not reported handled by the deadline %(due)s.")
                        % {"due": _when(case.due_at)},
                        data={"due_at": case.due_at.isoformat()},
                    )
                )
                entries.append(
                    audit.entry(
                        None,
                        AuditAction.UPDATE,
                        case,
                        before={"escalated_at": None},
                        after={"escalated_at": now.isoformat()},
                        note=str(CaseAction.ESCALATE),
                    )
                )
            CaseEvent.objects.bulk_create(events)
            audit.record_many(entries)
            _announce_overdue(found, assignments, now=now, send=send)
    return found


def _announce_overdue(
    cases: Sequence[Case],
    assignments: dict[int, list[CaseAssignment]],
    *,
    now: dt.datetime,
    send: bool,
) -> None:
    """In-app notifications to the units' users, text messages to the lead unit's head and
    contact (one message when both are the same number)."""
    recipients = _recipients(assignments)
    batch: list[tuple[notify.Notice, list[User]]] = []
    texts: list[messaging.Outgoing] = []
    for case in cases:
        assert case.due_at is not None
        category = case.category.name if case.category else _("uncategorized problem")
        values = {
            "number": case.number,
            "category": category,
            "place": _place(case),
            "due": _when(case.due_at),
        }
        link = case_link(case)
        batch.append(
            (
                notify.Notice(
                    key=event_key(case, OVERDUE),
                    title=_("Overdue: case %(number)s escalated (督办)") % values,
                    body=_(
                        "%(category)s at %(place)s was due by %(due)s and has not been reported "
                        "handled. Handle it and report back at once."
                    )
                    % values,
                    link=link,
                    level=Level.DANGER,
                    about=case.number,
                    scope_path=case.region.path,
                ),
                recipients[case.pk],
            )
        )
        lead = assignments[case.pk][0].unit if assignments[case.pk] else None
        if lead is not None:
            texts.extend(_overdue_texts(case, lead, values, link))
    notify.notify(batch, now=now, send=send)
    messaging.queue(texts, now=now, send=send)


def _overdue_texts(
    case: Case, unit: Unit, values: dict[str, str], link: str
) -> list[messaging.Outgoing]:
    params = {**values, "unit": unit.short_name or unit.name}
    text = (
        _(
            "%(unit)s: case %(number)s (%(category)s, %(place)s) passed its deadline %(due)s "
            "and is escalated (督办). Handle it and report back at once."
        )
        % params
    )
    return unit_texts(
        unit,
        key=event_key(case, OVERDUE),
        template=settings.SMS_TEMPLATE_OVERDUE,
        params=params,
        text=text,
        link=link,
        about=case.number,
        scope_path=case.region.path,
    )


def unit_texts(
    unit: Unit,
    *,
    key: str,
    template: str,
    params: dict[str, Any],
    text: str,
    link: str,
    about: str,
    scope_path: str,
    subject: str = "",
) -> list[messaging.Outgoing]:
    """Text messages to ``unit``'s 主要负责人 and 联络员, keyed ``<key>:head`` and
    ``<key>:contact`` — one message when both have the same number, none without a number."""
    people = [
        ("head", _("head (主要负责人)"), unit.head_name, unit.head_phone),
        ("contact", _("contact (联络员)"), unit.contact_name, unit.contact_phone),
    ]
    seen: set[str] = set()
    texts = []
    for suffix, role, name, raw_phone in people:
        phone = raw_phone.strip()
        if not phone or phone in seen:
            continue
        seen.add(phone)
        texts.append(
            messaging.Outgoing(
                key=f"{key}:{suffix}",
                channel=Channel.SMS,
                to=phone,
                to_name=name,
                to_role=role,
                unit_id=unit.pk,
                template=template,
                params=params,
                subject=subject,
                text=f"【{settings.SMS_SIGN_NAME}】{text}",
                link=link,
                about=about,
                scope_path=scope_path,
            )
        )
    return texts


def reminder_window(case: Case, hours: int) -> dt.timedelta:
    """How long before the deadline the reminder goes: ``hours``, but at most half the time
    the unit was given, so a four-hour case is reminded at two hours left, not at dispatch."""
    window = dt.timedelta(hours=hours)
    if case.dispatched_at is not None and case.due_at is not None:
        window = min(window, (case.due_at - case.dispatched_at) / 2)
    return window


def remind_due_soon(
    *,
    now: dt.datetime | None = None,
    hours: int | None = None,
    cases: CaseQuerySet | None = None,
    send: bool = True,
) -> list[Case]:
    """Remind the assigned units' users of each case at a unit whose deadline is within its
    :func:`reminder_window`, once per case. Returns the cases reminded now."""
    now = now or timezone.now()
    hours = settings.CASE_REMINDER_HOURS if hours is None else hours
    if hours <= 0:
        return []
    base = cases if cases is not None else Case.objects.all()
    candidates = [
        c
        for c in base.filter(
            status__in=OPEN_AT_UNIT, due_at__gt=now, due_at__lte=now + dt.timedelta(hours=hours)
        )
        .select_related("category", "region", "point")
        .order_by("pk")
        if c.due_at is not None and c.due_at - now <= reminder_window(c, hours)
    ]
    if not candidates:
        return []
    done = set(
        Notification.objects.filter(
            key__in=[event_key(c, DUE_SOON) for c in candidates]
        ).values_list("key", flat=True)
    )
    todo = [c for c in candidates if event_key(c, DUE_SOON) not in done]
    if not todo:
        return []
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        recipients = _recipients(_assignments(todo))
        batch = []
        for case in todo:
            assert case.due_at is not None
            left = max(1, round((case.due_at - now).total_seconds() / 3600))
            values: dict[str, Any] = {
                "number": case.number,
                "category": case.category.name if case.category else _("uncategorized problem"),
                "place": _place(case),
                "due": _when(case.due_at),
                "hours": left,
            }
            batch.append(
                (
                    notify.Notice(
                        key=event_key(case, DUE_SOON),
                        title=_("Case %(number)s is due in about %(hours)d h") % values,
                        body=_("%(category)s at %(place)s must be reported handled by %(due)s.")
                        % values,
                        link=case_link(case),
                        level=Level.WARNING,
                        about=case.number,
                        scope_path=case.region.path,
                    ),
                    recipients[case.pk],
                )
            )
        notify.notify(batch, now=now, send=send)
    return [c for c in todo if recipients[c.pk]]
