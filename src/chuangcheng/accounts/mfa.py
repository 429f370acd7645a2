"""TOTP second factor (RFC 6238: six digits, 30-second steps, one step of clock drift).

Required at login for holders of the roles in MFA_REQUIRED_ROLES (the three administrators by
default), voluntary for everyone else. A code is accepted once: the step it belongs to is
stored, and only later steps count afterwards.
"""

from __future__ import annotations

import hmac
import io
import time

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chuangcheng.accounts.models import SecondFactor, User
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction

ISSUER = "Chuangcheng"
DRIFT_STEPS = 1


def required_for(user: User) -> bool:
    """``user`` holds a role whose holders must use a second factor."""
    roles = settings.MFA_REQUIRED_ROLES
    return bool(roles) and user.grants.filter(role__in=roles).exists()


def confirmed(user: User) -> SecondFactor | None:
    return SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).first()


def needs_second_factor(user: User) -> bool:
    return required_for(user) or confirmed(user) is not None


def _matching_step(secret: str, code: str, after_step: int, at: float | None = None) -> int | None:
    """The time step ``code`` belongs to (within the drift window and after ``after_step``)."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = int(time.time() if at is None else at)
    current = now // totp.interval
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if step > after_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _take_code(user: User, code: str, *, confirmed: bool) -> SecondFactor | None:
    """``user``'s (confirmed or pending) authenticator, locked, with ``last_step`` moved to the
    step ``code`` matches — unsaved, for the caller to store with what else it changes — or
    None when there is no such authenticator or the code is wrong or used. In a transaction."""
    factor = (
        SecondFactor.objects.select_for_update()
        .filter(user=user, confirmed_at__isnull=not confirmed)
        .first()
    )
    if factor is None:
        return None
    step = _matching_step(factor.secret, code, factor.last_step)
    if step is None:
        return None
    factor.last_step = step
    return factor


@transaction.atomic
def verify(user: User, code: str) -> bool:
    """True when ``code`` is a fresh, right code of ``user``'s confirmed authenticator."""
    factor = _take_code(user, code, confirmed=True)
    if factor is None:
        return False
    factor.save(update_fields=["last_step"])
    return True


@transaction.atomic
def start_enrolment(user: User) -> SecondFactor:
    """The unconfirmed authenticator of ``user``, with a new random secret if there is none."""
    factor = SecondFactor.objects.select_for_update().filter(user=user).first()
    if factor is None:
        factor = SecondFactor.objects.create(user=user, secret=pyotp.random_base32())
    return factor


def pending(user: User) -> SecondFactor | None:
    return SecondFactor.objects.filter(user=user, confirmed_at__isnull=True).first()


@transaction.atomic
def confirm_enrolment(user: User, code: str) -> bool:
    """Confirm the pending authenticator with its first code; audited."""
    factor = _take_code(user, code, confirmed=False)
    if factor is None:
        return False
    factor.confirmed_at = timezone.now()
    factor.save(update_fields=["last_step", "confirmed_at"])
    audit.record(user, AuditAction.UPDATE, user, after={"second_factor": True}, note="TOTP")
    return True


@transaction.atomic
def disable(user: User, code: str) -> bool:
    """Remove one's own voluntary authenticator, proven with a fresh code; audited.
    Refused (False) while a role requires it."""
    if required_for(user) or not verify(user, code):
        return False
    SecondFactor.objects.filter(user=user).delete()
    audit.record(user, AuditAction.UPDATE, user, after={"second_factor": False}, note="TOTP")
    return True


def provisioning_uri(factor: SecondFactor) -> str:
    return pyotp.TOTP(factor.secret).provisioning_uri(
        name=factor.user.get_username(), issuer_name=ISSUER
    )


def qr_svg(factor: SecondFactor) -> bytes:
    buf = io.BytesIO()
    segno.make(provisioning_uri(factor), error="m").save(buf, kind="svg", scale=5, border=2)
    return buf.getvalue()


def grouped_secret(factor: SecondFactor) -> str:
    """The secret in groups of four, for typing into an authenticator by hand."""
    return " ".join(factor.secret[i : i + 4] for i in range(0, len(factor.secret), 4))
