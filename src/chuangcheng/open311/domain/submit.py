"""A client's service request becomes a case in the intake queue (source Open311).

Everything the request carries is checked before anything stays written: an unknown service,
a position outside the key's region, a bad photo or a spent rate limit leave no case, no
photo row and no file behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.cases.domain import placing
from chuangcheng.cases.domain.errors import CaseValidationError
from chuangcheng.cases.domain.intake import CaseData, create_case
from chuangcheng.cases.domain.photos import store_photo
from chuangcheng.cases.enums import CaseAction, CaseSource
from chuangcheng.cases.models import Case, CaseEvent, Photo
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.open311.domain.errors import Open311Error
from chuangcheng.open311.domain.keys import KeyActor
from chuangcheng.open311.models import Open311Key, Submission
from chuangcheng.open311.services import handling_notice, service_for

RATE_WINDOW = dt.timedelta(hours=1)


@dataclass
class RequestData:
    """A POST Service Request, already parsed: numbers are numbers, strings are stripped."""

    service_code: str
    lat: Decimal | None = None
    lng: Decimal | None = None
    address: str = ""
    description: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    device_id: str = ""
    account_id: str = ""
    media_url: str = ""
    media: bytes | None = None
    media_name: str = ""


@dataclass(frozen=True)
class Submitted:
    case: Case
    service_notice: str


def full_name(first: str, last: str) -> str:
    """``王 伟`` → ``王伟`` (family name first, no space, for Chinese names); ``Ann Lee`` else."""
    if first and last and _is_cjk(first) and _is_cjk(last):
        return last + first
    return " ".join(p for p in (first, last) if p)


def _is_cjk(text: str) -> bool:
    return all("\u3400" <= ch <= "\u9fff" for ch in text)


def _check_rate(key: Open311Key, now: dt.datetime) -> None:
    limit = int(settings.OPEN311_RATE_LIMIT)
    recent = Submission.objects.filter(key=key, created_at__gte=now - RATE_WINDOW)
    if recent.count() < limit:
        return
    oldest = recent.order_by("created_at").values_list("created_at", flat=True).first()
    wait = int(((oldest or now) + RATE_WINDOW - now).total_seconds()) + 1
    raise Open311Error(
        429,
        _(
            "This api_key has sent %(n)d requests in the last hour, the most allowed; "
            "try again later."
        )
        % {"n": limit},
        retry_after=max(wait, 1),
    )


def _position_messages(exc: CaseValidationError, data: RequestData, key: Open311Key) -> list[str]:
    """The messages of a refused case; a position inside the platform's area but outside the
    key's region is named as such."""
    messages = [m for ms in exc.errors.values() for m in ms]
    if (
        "position" in exc.errors
        and data.lng is not None
        and data.lat is not None
        and placing.locate(float(data.lng), float(data.lat)) is not None
    ):
        messages = [
            _("This position lies outside %(region)s, where this api_key may report.")
            % {"region": key.region.name}
        ]
    return messages


def _discard(photo: Photo | None) -> None:
    # The photo row went with the rolled-back transaction; its file did not.
    if photo is not None and photo.image.name:
        photo.image.delete(save=False)


def submit_request(data: RequestData, *, key: Open311Key) -> Submitted:
    """Create the case for ``data`` sent with ``key`` and return it with the service notice.

    Raises Open311Error (400 bad input, 403 revoked key, 429 rate limit) with nothing written.
    Without a position the case is placed in the key's region, for the clerk to place at intake.
    """
    category = service_for(data.service_code)
    if category is None:
        raise Open311Error(
            400,
            _("service_code %(code)s is not a service of this server; see services.json.")
            % {"code": data.service_code},
        )
    actor = KeyActor(key)
    stored: Photo | None = None
    positioned = data.lat is not None and data.lng is not None
    try:
        with transaction.atomic():
            now = timezone.now()
            # The row lock serializes one key's requests, so the rate count cannot be raced.
            live = (
                Open311Key.objects.select_for_update()
                .filter(pk=key.pk, revoked_at__isnull=True)
                .first()
            )
            if live is None:
                raise Open311Error(403, _("This api_key has been revoked."))
            _check_rate(key, now)
            if data.media is not None:
                stored = store_photo(
                    data.media, actor=actor, name=data.media_name, lng=data.lng, lat=data.lat
                )
            case = create_case(
                CaseData(
                    source=CaseSource.OPEN311,
                    description=data.description or category.name,
                    category=category,
                    lng=data.lng,
                    lat=data.lat,
                    region=None if positioned else key.region,
                    within=key.region,
                    address=data.address,
                    reporter_name=full_name(data.first_name, data.last_name)[:60],
                    reporter_phone=data.phone,
                    photos=(stored,) if stored is not None else (),
                ),
                actor=actor,
            )
            submission = Submission.objects.create(
                case=case,
                key=key,
                email=data.email,
                device_id=data.device_id[:100],
                account_id=data.account_id[:100],
                media_url=data.media_url,
            )
            if data.media_url:
                CaseEvent.objects.create(
                    case=case,
                    at=now,
                    actor_name=str(actor),
                    action=CaseAction.COMMENT,
                    to_status=case.status,
                    note=_("Media sent by the Open311 client as a link (not fetched): %(url)s")
                    % {"url": data.media_url},
                    data={"media_url": data.media_url},
                )
            Open311Key.objects.filter(pk=key.pk).update(last_used_at=now)
            audit.record(
                actor,
                AuditAction.CREATE,
                submission,
                after={
                    "case": case.number,
                    "key": key.prefix,
                    "email": "<set>" if data.email else "",
                    "device_id": submission.device_id,
                    "account_id": submission.account_id,
                    "media_url": data.media_url,
                },
            )
    except CaseValidationError as exc:
        _discard(stored)
        raise Open311Error(400, *_position_messages(exc, data, key)) from exc
    except BaseException:
        _discard(stored)
        raise
    notice = _(
        "Received: the civilization office reviews every request before it is handled. %(handling)s"
    ) % {"handling": handling_notice(category)}
    return Submitted(case=case, service_notice=notice)
