"""Read-only links to the big screen, issued by the office for a control-room display.

A link is a signed token (``django.core.signing``, its own salt) naming a region, its expiry
and the office user who issued it; nothing is stored. It opens the screen of that region only
(aggregated figures, no case, person or place) without a session, so the screen's refresh keeps
no login alive (等保 idle timeout, ADR 0010). A link stops working when it expires, when the
issuer is deactivated or no longer holds ``command.issue_screen_link`` over the region, or when
the secret key changes. Issuing and every opening of the page are audited.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.accounts.models import User
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.models import Region

SALT = "chuangcheng.command.screen-link"
OBJECT_TYPE = "command.screen_link"


class LinkError(ValueError):
    """The link asked for cannot be issued; the message says why."""


@dataclass(frozen=True)
class ScreenLink:
    token: str
    region: Region
    expires: dt.datetime
    issuer: Any


def _expiry(hours: Any, now: dt.datetime) -> dt.datetime:
    try:
        value = int(str(hours).strip())
    except ValueError as exc:
        raise LinkError(_("Give the validity in whole hours.")) from exc
    longest = settings.SCREEN_LINK_MAX_DAYS * 24
    if not 1 <= value <= longest:
        raise LinkError(_("A link is valid for 1 to %(n)d hours.") % {"n": longest})
    return now + dt.timedelta(hours=value)


@transaction.atomic
def issue(*, actor: Any, region: Region, hours: Any, now: dt.datetime | None = None) -> ScreenLink:
    """A new link to the screen of ``region``, valid ``hours`` hours (at most
    SCREEN_LINK_MAX_DAYS days); audited. Refused without ``command.issue_screen_link`` over
    the region, and for a bad validity (nothing written)."""
    if not actor.has_perm("command.issue_screen_link", region):
        raise PermissionDenied
    now = now or timezone.now()
    expires = _expiry(hours, now)
    nonce = secrets.token_urlsafe(6)
    token = signing.dumps(
        {"r": region.pk, "u": actor.pk, "e": int(expires.timestamp()), "n": nonce}, salt=SALT
    )
    audit.record(
        actor,
        AuditAction.CREATE,
        region,
        object_type=OBJECT_TYPE,
        object_repr=f"{region.name} · {timezone.localtime(expires):%Y-%m-%d %H:%M}",
        note=f"screen link {nonce}",
    )
    return ScreenLink(token, region, expires, actor)


def read(token: str, now: dt.datetime | None = None) -> ScreenLink | None:
    """The link's region and expiry when the token is genuine, unexpired and its issuer may
    still issue it; None otherwise (the caller answers 404). Two queries."""
    try:
        data = signing.loads(token, salt=SALT)
        region_id, issuer_id, expires_at = int(data["r"]), int(data["u"]), int(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    now = now or timezone.now()
    expires = dt.datetime.fromtimestamp(expires_at, tz=dt.UTC)
    if expires <= now:
        return None
    region = Region.objects.filter(pk=region_id).first()
    issuer = User.objects.filter(pk=issuer_id, is_active=True).first()
    if region is None or issuer is None:
        return None
    if not issuer.has_perm("command.issue_screen_link", region):
        return None
    return ScreenLink(token, region, expires, issuer)


def record_opening(link: ScreenLink) -> None:
    """Audit one opening of a screen link (the page, not each refresh)."""
    nonce = signing.loads(link.token, salt=SALT).get("n", "")
    audit.record(
        None,
        AuditAction.LOGIN,
        link.region,
        object_type=OBJECT_TYPE,
        object_repr=f"{link.region.name} · {link.issuer.get_username()}",
        note=f"screen link {nonce} opened",
    )
