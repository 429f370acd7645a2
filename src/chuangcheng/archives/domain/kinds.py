"""The archives' warning kind, registered with the alerts engine (ADR 0010, 0012).

``archives.overdue``: a material's due date passed ``days`` days ago or more and nothing the unit
filed for it is approved or in review (missing, or returned and not resubmitted). One finding per
requirement, key ``requirement:<id>``; it resolves itself once the unit files or resubmits. (The
calendar's ``agenda.deadline_near`` warns *before* the deadline; this one after it.) Two queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from chuangcheng.alerts.domain.kinds import Finding, Param, register_kind
from chuangcheng.archives.enums import AttachmentState
from chuangcheng.archives.models import Attachment, Requirement


@register_kind(
    "archives.overdue",
    label=gettext_lazy("Material overdue"),
    params={
        "days": Param(
            gettext_lazy("Days after the due date"),
            type=int,
            default=0,
            minimum=0,
            help=gettext_lazy(
                "Warn when a material is still missing or returned this many days after it was due."
            ),
        )
    },
    description=gettext_lazy(
        "A material owed for a clause is missing, or was returned and not resubmitted, after "
        "its due date: one warning per clause and unit."
    ),
)
def overdue(params: dict[str, Any], now: dt.datetime) -> Iterable[Finding]:
    value = params.get("days")
    days = 0 if value in (None, "") else int(value)
    today = timezone.localdate(now)
    live = Attachment.objects.filter(
        requirement=OuterRef("pk"),
        state__in=[AttachmentState.SUBMITTED, AttachmentState.APPROVED],
    )
    rows = (
        Requirement.objects.filter(due_date__lt=today - dt.timedelta(days=days))
        .exclude(Exists(live))
        .select_related("clause", "unit")
        .order_by("due_date", "pk")
    )
    found = []
    for req in rows:
        late = (today - req.due_date).days if req.due_date else 0
        values = {
            "unit": req.unit.name,
            "clause": f"{req.clause.number} {req.clause.text[:40]}".strip(),
            "n": late,
        }
        found.append(
            Finding(
                key=f"requirement:{req.pk}",
                title=ngettext(
                    "%(unit)s: material for %(clause)s is %(n)d day overdue",
                    "%(unit)s: material for %(clause)s is %(n)d days overdue",
                    late,
                )
                % values,
                detail=_("Due %(date)s.")
                % {"date": req.due_date.isoformat() if req.due_date else ""},
                unit_id=req.unit_id,
                region_id=req.unit.region_id,
                url=reverse("archives:requirement", args=[req.pk]),
                value=float(late),
            )
        )
    return found
