"""Outbound messages: queue text messages, e-mails and group-robot posts (webhooks) once per
event, deliver them with retries.

:func:`queue` stores each message whose ``key`` is new and hands it to the worker after the
transaction commits; :func:`deliver` makes one attempt. An attempt is claimed with ``UPDATE …
WHERE attempts = <what was read>`` that also moves ``next_attempt_at`` ahead, so two workers never
send the same message at once, and a worker that dies mid-attempt only delays the retry. After
:data:`MAX_ATTEMPTS` failures a message is ``failed``; every outcome is audited.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from chuangcheng.core import audit, webhooks
from chuangcheng.core.models import AuditAction
from chuangcheng.core.models_messages import Channel, Delivery, OutboundMessage
from chuangcheng.core.sms import Outcome, Sms, SmsError, gateway

log = logging.getLogger("chuangcheng.messaging")

MAX_ATTEMPTS = 5
# Wait after the n-th failed attempt (1-based); the last value repeats.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=15),
    dt.timedelta(hours=1),
)
# How many messages one run of the delivery job handles; the rest wait for the next run.
BATCH = 200


@dataclass(frozen=True)
class Outgoing:
    """A message to queue. ``key`` names the event and recipient: queueing it twice is a no-op."""

    key: str
    channel: str
    to: str
    text: str
    to_name: str = ""
    to_role: str = ""
    unit_id: int | None = None
    template: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    subject: str = ""
    link: str = ""
    about: str = ""
    scope_path: str = ""


def backoff(attempt: int) -> dt.timedelta:
    return BACKOFF[min(attempt, len(BACKOFF)) - 1]


def queue(
    items: Sequence[Outgoing], *, now: dt.datetime | None = None, send: bool = True
) -> list[int]:
    """Store the messages not stored before (by key) and return their ids. With ``send`` they
    are enqueued for delivery once the surrounding transaction commits."""
    now = now or timezone.now()
    wanted = {i.key: i for i in items if i.to.strip()}
    if not wanted:
        return []
    known = set(OutboundMessage.objects.filter(key__in=list(wanted)).values_list("key", flat=True))
    fresh = [i for k, i in wanted.items() if k not in known]
    if not fresh:
        return []
    OutboundMessage.objects.bulk_create(
        [
            OutboundMessage(
                key=i.key,
                channel=i.channel,
                to=i.to.strip(),
                to_name=i.to_name[:60],
                to_role=i.to_role[:40],
                unit_id=i.unit_id,
                template=i.template,
                params=i.params,
                subject=i.subject[:200],
                text=i.text,
                link=i.link[:300],
                about=i.about[:60],
                scope_path=i.scope_path,
                created_at=now,
                next_attempt_at=now,
            )
            for i in fresh
        ],
        ignore_conflicts=True,
    )
    ids = list(
        OutboundMessage.objects.filter(
            key__in=[i.key for i in fresh], status=Delivery.QUEUED, attempts=0
        ).values_list("pk", flat=True)
    )
    audit.record(
        None,
        AuditAction.CREATE,
        object_type="core.outboundmessage",
        object_repr=f"{len(ids)} × {fresh[0].channel}",
        after={"ids": ids},
        note=", ".join(i.key for i in fresh)[:500],
    )
    if send and ids:
        transaction.on_commit(lambda: enqueue(ids))
    return ids


def enqueue(ids: Sequence[int]) -> None:
    """Hand messages to the worker; one that cannot be enqueued waits for the delivery job."""
    from chuangcheng.core.tasks import deliver_message

    for pk in ids:
        try:
            deliver_message.enqueue(pk)
        except Exception:
            log.exception("could not enqueue message %s; the delivery job will retry", pk)


def _send(message: OutboundMessage) -> tuple[Outcome, str]:
    if message.channel == Channel.WEBHOOK:
        return webhooks.send(message.params), "webhook"
    if message.channel == Channel.EMAIL:
        if not settings.EMAIL_ENABLED:
            return Outcome(sent=False), "email"
        EmailMessage(
            message.subject or message.text[:60],
            message.text,
            settings.DEFAULT_FROM_EMAIL,
            [message.to],
        ).send()
        return Outcome(sent=True), "smtp"
    sms_gateway = gateway()
    sms = Sms(phone=message.to, template=message.template, params=message.params, text=message.text)
    return sms_gateway.send(sms), sms_gateway.name


def deliver(message_id: int, *, now: dt.datetime | None = None) -> str:
    """Make one delivery attempt if the message is queued and its attempt is due; returns the
    message's status afterwards (``""`` when it does not exist)."""
    now = now or timezone.now()
    message = OutboundMessage.objects.filter(pk=message_id).first()
    if message is None:
        return ""
    if message.status != Delivery.QUEUED or message.next_attempt_at > now:
        return str(message.status)
    attempt = message.attempts + 1
    claimed = OutboundMessage.objects.filter(
        pk=message.pk, status=Delivery.QUEUED, attempts=message.attempts
    ).update(attempts=attempt, next_attempt_at=now + backoff(attempt))
    if not claimed:
        return str(Delivery.QUEUED)
    try:
        outcome, through = _send(message)
    except (SmsError, webhooks.WebhookError, smtplib.SMTPException, OSError) as exc:
        status = Delivery.FAILED if attempt >= MAX_ATTEMPTS else Delivery.QUEUED
        error = str(exc)[:1000]
        OutboundMessage.objects.filter(pk=message.pk).update(status=status, last_error=error)
        log.warning("message %s attempt %s failed: %s", message.pk, attempt, error)
        _audit(message, status, attempt, outcome="failed", note=error)
        return str(status)
    status = Delivery.SENT if outcome.sent else Delivery.STORED
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=status,
        sent_at=now if outcome.sent else None,
        provider_ref=outcome.reference,
        backend=through,
        last_error="",
    )
    _audit(message, status, attempt, outcome="ok", note=through)
    return str(status)


def _audit(message: OutboundMessage, status: str, attempt: int, *, outcome: str, note: str) -> None:
    audit.record(
        None,
        AuditAction.SEND,
        message,
        before={"status": Delivery.QUEUED, "attempts": attempt - 1},
        after={"status": status, "attempts": attempt},
        outcome=outcome,
        note=f"{message.about} {note}".strip()[:500],
    )


def deliver_due(*, now: dt.datetime | None = None) -> int:
    """Attempt every queued message whose attempt is due (the delivery job); returns how many
    were attempted."""
    now = now or timezone.now()
    ids = list(
        OutboundMessage.objects.filter(status=Delivery.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:BATCH]
    )
    for pk in ids:
        deliver(pk, now=now)
    return len(ids)
