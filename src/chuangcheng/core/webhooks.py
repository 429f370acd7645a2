"""Group-robot webhooks (企业微信, 钉钉): a JSON payload posted to an address found at send time.

A webhook message (``Channel.WEBHOOK``) stores no address: a robot's address holds its key, so
it stays encrypted where the app that owns the robot keeps it. The message's ``params`` are
``{"via": <resolver name>, "payload": {...}, ...}``; the app registers a resolver under that
name (:func:`register_resolver`) that turns the params into the URL to post to — adding a
signature computed now when the robot wants one. A resolver raises :class:`WebhookError` when
the robot is gone or switched off. Robots answer HTTP 200 with ``{"errcode": 0}`` when they took
the message; any other ``errcode`` (a bad key, a wrong signature, too many messages) is a
failure, retried like any other (core.messaging).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from chuangcheng.core.jsonpost import PostError, post_json
from chuangcheng.core.sms import Outcome

Resolver = Callable[[dict[str, Any]], str]
RESOLVERS: dict[str, Resolver] = {}


class WebhookError(Exception):
    """The robot did not take the message; the text says why (kept on the message)."""


def register_resolver(name: str, resolver: Resolver) -> None:
    RESOLVERS[name] = resolver


def post(url: str, payload: dict[str, Any]) -> Outcome:
    """POST ``payload`` as JSON to ``url``; WebhookError unless the robot accepted it."""
    if not url.startswith(("http://", "https://")):
        raise WebhookError("the webhook address is not an http(s) URL")
    try:
        body = post_json(url, payload, what="robot")
    except PostError as exc:
        raise WebhookError(str(exc)) from exc
    try:
        answer = json.loads(body.decode("utf-8")) if body else {}
    except (UnicodeDecodeError, ValueError):
        answer = {}
    if isinstance(answer, dict) and answer.get("errcode") not in (None, 0, "0"):
        raise WebhookError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}".strip())
    return Outcome(sent=True)


def send(params: dict[str, Any]) -> Outcome:
    """Post a webhook message whose ``params`` were stored when it was queued."""
    resolver = RESOLVERS.get(str(params.get("via", "")))
    if resolver is None:
        raise WebhookError(f"no webhook resolver {params.get('via')!r} is installed")
    payload = params.get("payload")
    if not isinstance(payload, dict):
        raise WebhookError("the message has no payload")
    return post(resolver(params), payload)
