"""The one permission gate the practice pages share: a rules permission or 403.

Objects outside the user's rows are never reached here: pages fetch them through
``visible_to`` first, so those answer 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def need(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
