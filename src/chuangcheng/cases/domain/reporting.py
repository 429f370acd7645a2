"""Reports from people: 随手拍 by volunteer supervisors and residents, and hotline calls entered
by office staff. Both go through :func:`~.intake.create_case` into the intake queue (待受理) with
the suggested category and lead unit filled in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.scope import scope_of
from chuangcheng.cases.domain import placing
from chuangcheng.cases.domain.errors import CaseValidationError
from chuangcheng.cases.domain.intake import CaseData, create_case
from chuangcheng.cases.domain.photos import Upload, discard_files_on_failure, store_photo
from chuangcheng.cases.domain.suggest import suggest
from chuangcheng.cases.enums import CaseSource
from chuangcheng.cases.models import Case, Photo
from chuangcheng.orgs.models import Region


def report_source(user: Any) -> str:
    """RESIDENT for someone whose only grants are as a resident; SUPERVISOR for everyone else
    who reports from the field (supervisors, grid workers, staff on their way)."""
    roles = scope_of(user).roles
    return CaseSource.RESIDENT if roles == {Role.RESIDENT} else CaseSource.SUPERVISOR


def _region_of(data: CaseData) -> Region | None:
    if data.point is not None:
        region: Region = data.point.region
        return region
    if data.lng is not None and data.lat is not None:
        return placing.locate(float(data.lng), float(data.lat), data.within) or data.region
    return data.region


def with_suggestion(data: CaseData) -> CaseData:
    """``data`` with the suggested category and lead unit: the classifier's (or keywords')
    guess from the text and street; the unit falls back to the point's or the place's
    territorial unit, which answers for everything on its ground."""
    region = _region_of(data)
    found = suggest(data.description, region=region)
    unit = found.unit
    if unit is None and data.point is not None:
        unit = data.point.territorial_unit
    if unit is None and region is not None:
        unit = placing.territorial_unit_for(region)
    return replace(data, suggested_category=found.category, suggested_unit=unit)


def submit_report(
    data: CaseData, *, actor: Any, uploads: Sequence[Upload] = (), pending: Sequence[Photo] = ()
) -> Case:
    """Store the new photos and the case together: if anything is refused, no case, no photo
    row and no file is left (``pending`` photos, stored by an earlier attempt, stay pending).
    With no point and no position, the first photo's EXIF position places the case."""
    if not actor.has_perm("cases.report_problem"):
        raise PermissionDenied(_("You may not report problems."))
    with discard_files_on_failure():
        stored = [store_photo(u.data, actor=actor, name=u.name) for u in uploads]
        photos = [*pending, *stored]
        if data.point is None and (data.lng is None or data.lat is None):
            located = next((p for p in photos if p.lng is not None and p.lat is not None), None)
            if located is not None:
                data = replace(data, lng=located.lng, lat=located.lat)
        data = replace(data, photos=photos, reporter=actor, source=report_source(actor))
        return create_case(with_suggestion(data), actor=actor)


def submit_hotline(data: CaseData, *, actor: Any) -> Case:
    """A case from a 12345 call, entered by office staff. A ticket number is taken once: a
    second case with the same ticket is refused and names the first when the clerk may see it."""
    if not actor.has_perm("cases.take_hotline"):
        raise PermissionDenied(_("You may not enter hotline calls."))
    ticket = data.external_id.strip()
    if ticket:
        earlier = Case.objects.filter(source=CaseSource.HOTLINE, external_id=ticket).first()
        if earlier is not None:
            seen = Case.objects.visible_to(actor).filter(pk=earlier.pk).exists()
            message = (
                _("Ticket %(ticket)s is already entered as case %(number)s.")
                % {"ticket": ticket, "number": earlier.number}
                if seen
                else _("Ticket %(ticket)s is already entered.") % {"ticket": ticket}
            )
            raise CaseValidationError({"external_id": [message]})
    data = replace(data, source=CaseSource.HOTLINE, external_id=ticket, reporter=None)
    return create_case(with_suggestion(data), actor=actor)
