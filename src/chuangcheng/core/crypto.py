"""Encryption at rest for personal data and its masked display (个人信息保护法).

Values are encrypted with Fernet (AES-128-CBC + HMAC) under a key derived from
``FIELD_ENCRYPTION_KEY``; the clear text never reaches the database, exports or the audit log.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@cache
def _fernet(key_material: str) -> Fernet:
    digest = hashlib.sha256(key_material.encode("utf-8")).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(value: str) -> str:
    """Encrypt a non-empty string; empty stays empty so blank fields stay blank."""
    if not value:
        return ""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise ValueError("stored value cannot be decrypted with FIELD_ENCRYPTION_KEY") from exc


def keyed_hash(value: str, purpose: str) -> str:
    """A hex HMAC-SHA-256 of ``value`` under a key derived from ``FIELD_ENCRYPTION_KEY`` and
    ``purpose``: equal values give equal hashes (to refuse a second survey response from the
    same phone), but the value cannot be recovered or matched across purposes without the key."""
    key = hashlib.sha256(f"{purpose}:{settings.FIELD_ENCRYPTION_KEY}".encode()).digest()
    return hmac.new(key, value.strip().encode("utf-8"), hashlib.sha256).hexdigest()


def mask_phone(phone: str) -> str:
    """138****1234 for mobile numbers; keep the first 3 and last 4 of anything long enough."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_id_number(id_number: str) -> str:
    """110101********1234: region prefix and last four digits only."""
    value = id_number.strip()
    if len(value) < 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"
