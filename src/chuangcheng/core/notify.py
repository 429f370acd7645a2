"""In-app notifications: tell users about an event once, with an e-mail when SMTP is set up.

Producers (the escalation job, reminders) describe a :class:`Notice` and who should get it;
:func:`notify` writes one :class:`~chuangcheng.core.models_messages.Notification` per recipient
and notice key — a second call with the same key writes nothing — and queues an e-mail to each
new recipient with an address when an SMTP server is configured (``EMAIL_HOST``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chuangcheng.core import audit, messaging
from chuangcheng.core.models import AuditAction
from chuangcheng.core.models_messages import Channel, Level, Notification


@dataclass(frozen=True)
class Notice:
    """What to tell. ``key`` names the event (``case:42:overdue``)."""

    key: str
    title: str
    body: str = ""
    link: str = ""
    level: str = Level.INFO
    about: str = ""
    scope_path: str = ""


def notify(
    batch: Iterable[tuple[Notice, Iterable[Any]]],
    *,
    now: dt.datetime | None = None,
    send: bool = True,
    email: bool = True,
) -> list[Notification]:
    """Create each notice for each of its recipients (users) unless it exists; returns the
    notifications created. Inactive users get nothing. ``email=False`` leaves out the e-mails
    (a caller that lets its users choose the channels queues them itself)."""
    now = now or timezone.now()
    wanted: dict[tuple[int, str], tuple[Notice, Any]] = {}
    for notice, users in batch:
        for user in users:
            if getattr(user, "is_active", True):
                wanted.setdefault((user.pk, notice.key), (notice, user))
    if not wanted:
        return []
    keys = {key for _pk, key in wanted}
    with transaction.atomic():
        known = set(
            Notification.objects.filter(
                key__in=keys, recipient_id__in={pk for pk, _key in wanted}
            ).values_list("recipient_id", "key")
        )
        fresh = [pair for ident, pair in wanted.items() if ident not in known]
        if not fresh:
            return []
        created = Notification.objects.bulk_create(
            [
                Notification(
                    recipient=user,
                    level=notice.level,
                    title=notice.title[:200],
                    body=notice.body,
                    link=notice.link[:300],
                    key=notice.key,
                    created_at=now,
                )
                for notice, user in fresh
            ],
            ignore_conflicts=True,
        )
        audit.record(
            None,
            AuditAction.CREATE,
            object_type="core.notification",
            object_repr=f"{len(fresh)} × {fresh[0][0].title}"[:200],
            after={"keys": sorted(keys), "recipients": sorted({u.pk for _n, u in fresh})},
        )
        if email and settings.EMAIL_ENABLED:
            messaging.queue(emails(fresh), now=now, send=send)
    return created


def emails(pairs: Sequence[tuple[Notice, Any]]) -> list[messaging.Outgoing]:
    """The e-mails that follow ``pairs`` of (notice, user): one per user with an address, keyed
    so that queueing them again sends nothing."""
    return [
        messaging.Outgoing(
            key=f"{notice.key}:user{user.pk}:email",
            channel=Channel.EMAIL,
            to=user.email,
            to_name=str(user),
            subject=notice.title,
            text=notice.body,
            link=notice.link,
            about=notice.about,
            scope_path=notice.scope_path,
        )
        for notice, user in pairs
        if getattr(user, "email", "")
    ]


def unread_count(user: Any) -> int:
    """How many notifications ``user`` has not read (one indexed count)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at=None).count()


def mark_read(
    user: Any, ids: Sequence[int] | None = None, *, now: dt.datetime | None = None
) -> int:
    """Mark ``user``'s notifications read (all unread ones when ``ids`` is None); others'
    notifications are never touched. Returns how many changed; audited when any did."""
    now = now or timezone.now()
    rows = Notification.objects.filter(recipient=user, read_at=None)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    with transaction.atomic():
        changed = rows.update(read_at=now)
        if changed:
            audit.record(
                user,
                AuditAction.UPDATE,
                object_type="core.notification",
                object_repr=f"{changed}",
                after={"read": changed, "ids": list(ids) if ids is not None else "all"},
                note="notifications marked read",
            )
    return changed
