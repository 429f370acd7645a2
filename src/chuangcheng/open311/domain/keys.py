"""API keys for Open311 clients: issued by the office (shown once, stored hashed), revoked by it,
and looked up from the ``api_key`` a client sends."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.accounts.models import hash_token
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.open311.models import Open311Key
from chuangcheng.orgs.models import Region

KEY_PREFIX = "o311_"


class KeyActor:
    """A client application acting through its key: not a user; audited under the key's name."""

    is_authenticated = False

    def __init__(self, key: Open311Key) -> None:
        self.key = key

    def __str__(self) -> str:
        return f"Open311 · {self.key.name} ({self.key.prefix}…)"


@transaction.atomic
def issue_key(*, name: str, owner: str, region: Region, actor: Any) -> tuple[Open311Key, str]:
    """Create a key for ``region`` and return it with the clear key, which is never stored.
    Refused (PermissionDenied) unless ``actor`` works for the office covering the region."""
    if not actor.has_perm("open311.manage_keys", region):
        raise PermissionDenied
    name, owner = name.strip(), owner.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Name the application that will use the key.")]
    if not owner:
        errors["owner"] = [_("Say who holds the key.")]
    if errors:
        raise ValidationError(errors)
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = Open311Key.objects.create(
        name=name[:80],
        owner=owner[:120],
        region=region,
        prefix=raw[: len(KEY_PREFIX) + 4],
        digest=hash_token(raw),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor,
        AuditAction.CREATE,
        key,
        after={"name": key.name, "owner": key.owner, "region": region.pk, "prefix": key.prefix},
    )
    return key, raw


@transaction.atomic
def revoke_key(key: Open311Key, *, actor: Any) -> bool:
    """Revoke ``key`` from now on; False when it was already revoked. Requests it created stay."""
    if not actor.has_perm("open311.manage_keys", key):
        raise PermissionDenied
    now = timezone.now()
    updated = Open311Key.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=actor if getattr(actor, "is_authenticated", False) else None
    )
    if not updated:
        return False
    key.revoked_at = now
    audit.record(actor, AuditAction.UPDATE, key, before={"revoked": False}, after={"revoked": True})
    return True


def key_for(raw: str) -> Open311Key | None:
    """The live key whose clear text is ``raw``, with its region; None when unknown or revoked."""
    if not raw.startswith(KEY_PREFIX):
        return None
    return (
        Open311Key.objects.select_related("region")
        .filter(digest=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
