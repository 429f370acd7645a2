"""Telling people about a warning, on the channels its rule chose, once per event.

- In-app (core.notify): every active user holding the unit role on the warning's unit or a unit
  above it — the reach of ADR 0006 — or, for a warning without a unit, the office users over
  its region. E-mail to the same people when the rule asks for it and SMTP is set up.
- Text message: the unit's 主要负责人 and 联络员 (one message when both share a number).
- Group robots: every enabled webhook target whose levels and region take the warning.

Keys name the event (``warning:42:raised``, ``warning:42:repeat:3``) and the recipient, so
announcing the same event twice sends nothing twice (core.notify, core.messaging).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from chuangcheng.accounts.holders import office_users, unit_users
from chuangcheng.accounts.models import User
from chuangcheng.alerts.domain import webhooks
from chuangcheng.alerts.enums import WarningLevel
from chuangcheng.alerts.models import Warning, WarningRule, WebhookTarget
from chuangcheng.cases.domain.escalation import unit_texts
from chuangcheng.core import messaging, notify
from chuangcheng.core.models_messages import Channel
from chuangcheng.core.models_messages import Level as NoticeLevel

RAISED = "raised"
NOTICE_LEVEL = {
    WarningLevel.RED: NoticeLevel.DANGER,
    WarningLevel.ORANGE: NoticeLevel.WARNING,
    WarningLevel.YELLOW: NoticeLevel.WARNING,
}


def repeat_event(n: int) -> str:
    return f"repeat:{n}"


def recipients(warnings: Sequence[Warning]) -> dict[int, list[User]]:
    """Who is told in-app about each warning (two queries for any number of warnings)."""
    by_unit = unit_users({w.unit.pk: w.unit for w in warnings if w.unit is not None}.values())
    by_path = office_users(sorted({w.region.path for w in warnings if w.unit is None}))
    return {
        w.pk: by_unit.get(w.unit_id, []) if w.unit_id else by_path.get(w.region.path, [])
        for w in warnings
    }


def _texts(warning: Warning, key: str, heading: str) -> list[messaging.Outgoing]:
    unit = warning.unit
    if unit is None:
        return []
    values = {
        "unit": unit.short_name or unit.name,
        "level": str(WarningLevel(warning.level).label),
        "title": warning.title,
    }
    text = _("%(unit)s, %(level)s warning: %(title)s. Please acknowledge it on the platform.") % (
        values
    )
    return unit_texts(
        unit,
        key=key,
        template=settings.SMS_TEMPLATE_WARNING,
        params=values,
        text=text,
        link=webhooks.warning_path(warning),
        about=_about(warning),
        scope_path=warning.region.path,
        subject=heading,
    )


def _about(warning: Warning) -> str:
    return (_("Warning %(id)d") % {"id": warning.pk})[:60]


def announce(
    rule: WarningRule,
    items: Sequence[tuple[Warning, str]],
    *,
    targets: Sequence[WebhookTarget],
    now: dt.datetime,
    send: bool = True,
) -> dict[int, dict[str, Any]]:
    """Announce each (warning, event) on the rule's channels. ``items`` carry their warning's
    unit and region. Returns, per warning, what went out on which channel (for its timeline)."""
    if not items:
        return {}
    warnings = [w for w, _event in items]
    people = recipients(warnings) if rule.notify_in_app or rule.notify_email else {}
    notices: list[tuple[notify.Notice, list[User]]] = []
    outgoing: list[messaging.Outgoing] = []
    used: dict[int, dict[str, Any]] = {}
    for warning, event in items:
        key = f"warning:{warning.pk}:{event}"
        repeat = int(event.split(":")[1]) if event.startswith("repeat:") else 0
        heading = webhooks.warning_heading(warning, repeat)
        link = webhooks.warning_path(warning)
        users = people.get(warning.pk, [])
        notice = notify.Notice(
            key=key,
            title=heading,
            body=warning.detail,
            link=link,
            level=NOTICE_LEVEL.get(WarningLevel(warning.level), NoticeLevel.WARNING),
            about=_about(warning),
            scope_path=warning.region.path,
        )
        channels: dict[str, Any] = {}
        if rule.notify_in_app and users:
            notices.append((notice, users))
            channels["in_app"] = len(users)
        if rule.notify_email and settings.EMAIL_ENABLED:
            mails = notify.emails([(notice, u) for u in users])
            outgoing += mails
            if mails:
                channels["email"] = len(mails)
        if rule.notify_sms:
            texts = _texts(warning, key, heading)
            outgoing += texts
            if texts:
                channels["sms"] = len(texts)
        if rule.notify_webhooks:
            robots = [t for t in targets if t.receives(warning.level, warning.region.path)]
            text = webhooks.warning_text(warning, heading)
            outgoing += [
                webhooks.outgoing(
                    t,
                    key=f"{key}:hook{t.pk}",
                    heading=heading,
                    text=text,
                    link=link,
                    about=_about(warning),
                    scope_path=warning.region.path,
                    unit_id=warning.unit_id,
                )
                for t in robots
            ]
            if robots:
                channels["webhook"] = [t.name for t in robots]
        used[warning.pk] = channels
    notify.notify(notices, now=now, send=send, email=False)
    # One batch per channel, so each audit entry says what it queued.
    for channel in (Channel.EMAIL, Channel.SMS, Channel.WEBHOOK):
        messaging.queue([o for o in outgoing if o.channel == channel], now=now, send=send)
    return used


def enabled_targets() -> list[WebhookTarget]:
    """The enabled robots (one query), for an evaluation to share between its rules."""
    return list(WebhookTarget.objects.filter(enabled=True).select_related("region"))
