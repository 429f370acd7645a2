"""SMS gateways: where text messages go, chosen by the ``SMS_BACKEND`` setting.

- ``outbox`` (default): nothing leaves; the message stays on the outbound-messages page, so a
  demo or a test installation shows what would have been sent.
- ``log``: the message is written to the ``chuangcheng.sms`` log with the number masked.
- ``http``: ``POST SMS_GATEWAY_URL`` with JSON ``{"phone", "template", "params", "sign",
  "text"}`` and ``Authorization: Bearer SMS_GATEWAY_TOKEN`` — the shape of Chinese SMS gateways
  (a phone number, a registered template code and its parameters, the registered signature). An
  answer other than 2xx is a failure; the ``id`` (or ``biz_id``, ``message_id``) of a JSON answer
  is kept as the gateway's reference.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings

from chuangcheng.core.crypto import mask_phone
from chuangcheng.core.jsonpost import PostError, post_json

log = logging.getLogger("chuangcheng.sms")


class SmsError(Exception):
    """The gateway did not accept the message; the text says why (kept on the message)."""


@dataclass(frozen=True)
class Sms:
    phone: str
    template: str
    params: dict[str, Any]
    text: str


@dataclass(frozen=True)
class Outcome:
    """What a gateway did with a message: ``sent`` False means kept, not handed on."""

    sent: bool
    reference: str = ""


class Gateway(Protocol):
    name: str

    def send(self, sms: Sms) -> Outcome: ...


class OutboxGateway:
    name = "outbox"

    def send(self, sms: Sms) -> Outcome:
        return Outcome(sent=False)


class LogGateway:
    name = "log"

    def send(self, sms: Sms) -> Outcome:
        log.info("SMS to %s [%s]: %s", mask_phone(sms.phone), sms.template, sms.text)
        return Outcome(sent=True)


class HttpGateway:
    name = "http"

    def __init__(self, url: str, token: str, sign: str) -> None:
        self.url, self.token, self.sign = url, token, sign

    def send(self, sms: Sms) -> Outcome:
        payload = {
            "phone": sms.phone,
            "template": sms.template,
            "params": sms.params,
            "sign": self.sign,
            "text": sms.text,
        }
        try:
            body = post_json(
                self.url,
                payload,
                headers={"Authorization": f"Bearer {self.token}"},
                what="gateway",
            )
        except PostError as exc:
            raise SmsError(str(exc)) from exc
        return Outcome(sent=True, reference=_reference(body))


def _reference(body: bytes) -> str:
    try:
        answer = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return ""
    if not isinstance(answer, dict):
        return ""
    for key in ("id", "biz_id", "bizId", "message_id", "messageId"):
        if answer.get(key) not in (None, ""):
            return str(answer[key])[:100]
    return ""


def gateway() -> Gateway:
    """The gateway the settings choose."""
    if settings.SMS_BACKEND == "http":
        return HttpGateway(
            settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN, settings.SMS_SIGN_NAME
        )
    if settings.SMS_BACKEND == "log":
        return LogGateway()
    return OutboxGateway()
