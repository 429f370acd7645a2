"""Group robots: the 企业微信 and 钉钉 markdown payloads, 钉钉's signature, and the resolver that
finds a robot's address when core.messaging sends a webhook message.

企业微信: ``{"msgtype": "markdown", "markdown": {"content": …}}``. 钉钉: ``{"msgtype":
"markdown", "markdown": {"title": …, "text": …}}``; a 钉钉 robot with 加签 security wants
``&timestamp=<ms>&sign=<urlencoded base64 HMAC-SHA256 of "<ms>\\n<secret>" keyed by the
secret>`` on its address, computed when the message is sent (钉钉 refuses a signature older
than an hour, so it cannot be stored with the message).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import time
import urllib.parse
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chuangcheng.alerts.enums import WarningLevel, WebhookFormat
from chuangcheng.alerts.models import Warning, WebhookTarget
from chuangcheng.core import messaging
from chuangcheng.core.models_messages import Channel, OutboundMessage
from chuangcheng.core.webhooks import WebhookError

VIA = "alerts"


def absolute(path: str) -> str:
    """The link as a robot's reader can open it: SITE_URL + path, or "" without SITE_URL."""
    base = settings.SITE_URL.rstrip("/")
    return f"{base}{path}" if base and path else ""


def payload(fmt: str, title: str, text: str) -> dict[str, Any]:
    if fmt == WebhookFormat.DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    return {"msgtype": "markdown", "markdown": {"content": text}}


def sign(secret: str, timestamp_ms: int) -> str:
    """钉钉's 加签: base64(HMAC-SHA256(key=secret, "<timestamp>\\n<secret>")), urlencoded."""
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={sign(secret, timestamp_ms)}"


def resolve(params: dict[str, Any]) -> str:
    """The address to post a stored webhook message to (core.webhooks resolver ``alerts``)."""
    target = WebhookTarget.objects.filter(pk=int(params.get("target") or 0)).first()
    if target is None:
        raise WebhookError("the group robot was deleted")
    if not target.enabled:
        raise WebhookError("the group robot is switched off")
    if target.format == WebhookFormat.DINGTALK and target.secret:
        return signed_url(target.url, target.secret, int(time.time() * 1000))
    return target.url


def warning_text(warning: Warning, heading: str) -> str:
    """The markdown both robots show: heading, detail, whom and where, the figure, a link."""
    lines = [f"### {heading}"]
    if warning.detail:
        lines.append(warning.detail)
    facts = []
    if warning.unit is not None:
        facts.append(_("Unit: %(unit)s") % {"unit": warning.unit.name})
    facts.append(_("Region: %(region)s") % {"region": warning.region.name})
    facts.append(
        _("Raised: %(when)s")
        % {"when": timezone.localtime(warning.raised_at).strftime("%Y-%m-%d %H:%M")}
    )
    lines.append("\n".join(f"> {f}" for f in facts))
    url = absolute(warning_path(warning))
    if url:
        label = _("Open the warning")
        lines.append(f"[{label}]({url})")
    return "\n\n".join(lines)


def warning_path(warning: Warning) -> str:
    from django.urls import reverse

    return reverse("alerts:detail", args=[warning.pk])


def warning_heading(warning: Warning, repeat: int = 0) -> str:
    values = {"level": WarningLevel(warning.level).label, "title": warning.title}
    if repeat:
        values["n"] = repeat
        return _("Reminder %(n)d — %(level)s warning: %(title)s") % values
    return _("%(level)s warning: %(title)s") % values


def outgoing(
    target: WebhookTarget,
    *,
    key: str,
    heading: str,
    text: str,
    link: str = "",
    about: str = "",
    scope_path: str = "",
    unit_id: int | None = None,
) -> messaging.Outgoing:
    """A webhook message to ``target``: the payload in its format; its address stays on the
    target and is looked up when the message is sent."""
    return messaging.Outgoing(
        key=key,
        channel=Channel.WEBHOOK,
        to=target.name,
        to_name=target.name,
        to_role=str(target.get_format_display())[:40],
        unit_id=unit_id,
        params={"via": VIA, "target": target.pk, "payload": payload(target.format, heading, text)},
        subject=heading,
        text=text,
        link=link,
        about=about,
        scope_path=scope_path,
    )


def _test_text(target: WebhookTarget, actor: Any, now: dt.datetime) -> tuple[str, str]:
    heading = _("Test message from the campaign platform")
    levels = "、".join(str(WarningLevel(v).label) for v in target.levels or [])
    text = "\n\n".join(
        [
            f"### {heading}",
            _("This group robot receives the %(levels)s warnings of %(region)s.")
            % {
                "region": target.region.name if target.region else _("the whole district"),
                "levels": levels,
            },
            _("Sent by %(user)s at %(when)s.")
            % {"user": actor, "when": timezone.localtime(now).strftime("%Y-%m-%d %H:%M:%S")},
        ]
    )
    return heading, text


def send_test(
    target: WebhookTarget, *, actor: Any, now: dt.datetime | None = None
) -> OutboundMessage:
    """Post a test message to ``target`` now (through core.messaging: stored, audited, retried
    like any other message) and return the message as it stands after the attempt."""
    if not actor.has_perm("alerts.manage_webhooks", target):
        raise PermissionDenied
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        heading, text = _test_text(target, actor, now)
        about = _("Test message")
    ids = messaging.queue(
        [
            outgoing(
                target,
                key=f"webhook:{target.pk}:test:{now.timestamp():.6f}",
                heading=heading,
                text=text,
                about=about,
                scope_path=target.scope_path(),
            )
        ],
        now=now,
        send=False,
    )
    for pk in ids:
        messaging.deliver(pk, now=now)
    return OutboundMessage.objects.get(pk=ids[0])
