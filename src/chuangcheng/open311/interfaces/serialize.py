"""Services, service requests and the discovery document as GeoReport v2 fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.cases.enums import CaseStatus
from chuangcheng.cases.models import Case, Category
from chuangcheng.core.models import AuditEntry
from chuangcheng.open311.queries import open311_status
from chuangcheng.open311.services import handling_notice, keywords

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When the shape of this server's services last changed (this release). Later edits of the
# categories move the changeset on, through their audit entries.
RELEASED = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
# The public, face-blurred copy of an approved photo (served by the public report pages).
PUBLIC_PHOTO_PATH = "/photos/{pk}/public/"


def w3c(value: dt.datetime | None) -> str | None:
    """``2026-11-05T08:15:30+08:00``: the spec's W3C date-time, in the server's time zone."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def changeset() -> str | None:
    """The later of this release and the last audited change to a case category."""
    last = AuditEntry.objects.filter(object_type="cases.category").aggregate(at=Max("at"))["at"]
    return w3c(max(RELEASED, last) if last else RELEASED)


def discovery(request: HttpRequest) -> dict[str, Any]:
    when = changeset()
    base = request.build_absolute_uri(reverse("open311:discovery", args=["json"]))
    return {
        "changeset": when,
        "contact": settings.OPEN311_CONTACT
        or _("For help, contact the civilization office (文明办) that runs this platform."),
        "key_service": _(
            "API keys for creating service requests are issued by the civilization office "
            "(文明办) on its Open311 keys page; ask the office for one."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base.rsplit("/", 1)[0],
                "changeset": when,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def service(category: Category) -> dict[str, Any]:
    assert category.parent is not None
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": _("%(kind)s · %(group)s · %(name)s. %(notice)s")
        % {
            "kind": category.get_kind_display(),
            "group": category.parent.name,
            "name": category.name,
            "notice": handling_notice(category),
        },
        # No service defines attributes: the description, position and photo say it all.
        "metadata": False,
        "type": "realtime",
        "keywords": keywords(category),
        "group": category.parent.name,
    }


def service_definition(category: Category) -> dict[str, Any]:
    return {"service_code": category.code, "attributes": []}


def service_request(case: Case, request: HttpRequest) -> dict[str, Any]:
    """A public case as a service request: never who reported it, only approved photos."""
    category = case.category
    assert category is not None
    leads = getattr(case, "lead_assignments", [])
    photos = getattr(case, "public_photos", [])
    updated = case.closed_at if case.status == CaseStatus.CLOSED and case.closed_at else None
    return {
        "service_request_id": case.number,
        "status": open311_status(case),
        "status_notes": str(case.get_status_display()),
        "service_name": category.name,
        "service_code": category.code,
        "description": case.description,
        "agency_responsible": leads[0].unit.name if leads else None,
        "service_notice": handling_notice(category),
        "requested_datetime": w3c(case.reported_at),
        "updated_datetime": w3c(updated or case.updated_at),
        "expected_datetime": w3c(case.due_at),
        "address": case.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": float(case.lat) if case.lat is not None else None,
        "long": float(case.lng) if case.lng is not None else None,
        "media_url": request.build_absolute_uri(PUBLIC_PHOTO_PATH.format(pk=photos[0].pk))
        if photos
        else None,
    }
