"""The catalogue of services residents order and volunteers offer (助餐, 助洁, 陪医…).

One list for the whole installation, like the case categories: a district's office adds,
renames, reorders or retires a service; a retired one stays on old orders and volunteers'
skills but is no longer offered."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.models import ServiceCategory

CODE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
FIELDS = ("code", "name", "seq", "active")


def save_category(
    *,
    actor: Any,
    category: ServiceCategory | None,
    code: str,
    name: str,
    seq: int,
    active: bool,
) -> ServiceCategory:
    """Create (``category`` None) or change a service; the code is lower-case letters, digits,
    ``_`` or ``-`` and unique; the name is required. Audited with before and after."""
    code, name = code.strip(), name.strip()
    errors: dict[str, list[str]] = {}
    others = ServiceCategory.objects.all()
    if category is not None:
        others = others.exclude(pk=category.pk)
    if not CODE.match(code):
        errors["code"] = [
            _("Use 1–32 lower-case letters, digits, “_” or “-”, starting with a letter.")
        ]
    elif others.filter(code=code).exists():
        errors["code"] = [_("Another service already has this code.")]
    if not name:
        errors["name"] = [_("Give the service a name.")]
    if errors:
        raise PracticeError(errors)
    with transaction.atomic():
        before = {f: getattr(category, f) for f in FIELDS} if category else None
        target = category or ServiceCategory()
        target.code, target.name, target.seq, target.active = code, name, seq, active
        target.save()
        audit.record(
            actor,
            AuditAction.CREATE if before is None else AuditAction.UPDATE,
            target,
            before=before,
            after={f: getattr(target, f) for f in FIELDS},
        )
    return target
