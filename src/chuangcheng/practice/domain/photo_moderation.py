"""Whether an evidence photo of an order or a wish may be shown outside the station.

个人信息保护法 / ADR 0005: a photo leaves the circle of people who handle it (station staff, the
volunteer or unit who took it) only as its face-blurred public copy, and only after someone at
the station looked at that copy and approved it — as case photos are moderated by the street.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from chuangcheng.cases.domain.errors import CaseError
from chuangcheng.cases.domain.moderation import decide_display
from chuangcheng.cases.models import Photo
from chuangcheng.practice.domain.errors import PracticeError


def moderate_evidence(photo: Photo, *, actor: Any, subject: Any, approve: bool) -> Photo:
    """Approve or refuse the public display of ``photo``, evidence of ``subject`` (an order or a
    wish); audited. Only station staff over the subject decide; approval needs the public copy.
    Of two people deciding at once, the first wins and the second is told."""
    if not actor.has_perm("practice.manage_network", subject):
        raise PermissionDenied(_("You may not decide on this photo."))
    try:
        return decide_display(
            photo,
            actor=actor,
            approve=approve,
            object_repr=_("Evidence photo of %(subject)s") % {"subject": subject},
        )
    except CaseError as exc:
        raise PracticeError(exc.message) from exc
