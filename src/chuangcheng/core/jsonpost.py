"""POST a JSON body to an HTTP(S) endpoint: the one transport of the SMS gateway and the group
robots. Errors come back as :class:`PostError` with a short reason kept on the message."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

TIMEOUT_SECONDS = 10


class PostError(Exception):
    """The endpoint answered other than 2xx, or could not be reached."""


def post_json(
    url: str, payload: dict[str, Any], *, headers: dict[str, str] | None = None, what: str
) -> bytes:
    """POST ``payload`` as UTF-8 JSON and return up to 4 KiB of the answer. ``what`` names the
    endpoint in the error ("gateway", "robot")."""
    request = urllib.request.Request(  # noqa: S310 - callers accept http(s) URLs only
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return bytes(response.read(4096))
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace")
        raise PostError(f"HTTP {exc.code}: {detail}".strip()) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PostError(f"{what} unreachable: {reason}") from exc
