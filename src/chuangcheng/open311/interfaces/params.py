"""Reading GeoReport v2 parameters. Every problem found is reported at once, as a 400 error
list, before anything is written."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from chuangcheng.open311.domain.errors import Open311Error
from chuangcheng.open311.domain.submit import RequestData
from chuangcheng.open311.queries import MAX_RESULTS, RequestFilters

MAX_SPAN = dt.timedelta(days=90)
STATUSES = ("open", "closed")
_PHONE = re.compile(r"^\+?[0-9 ()\-]{3,30}$")
# A '+' left unescaped in a query string arrives as a space: "…T08:00:00 08:00".
_SPACE_OFFSET = re.compile(r" (\d{2}:?\d{2})$")
_SIX_PLACES = Decimal("0.000001")


def check_jurisdiction(params: QueryDict) -> None:
    """A jurisdiction_id, when given, must be this server's (setting OPEN311_JURISDICTION)."""
    given = params.get("jurisdiction_id", "").strip()
    if given and given != settings.OPEN311_JURISDICTION:
        raise Open311Error(
            404, _("jurisdiction_id %(id)s is not served here.") % {"id": given[:100]}
        )


def _split(params: QueryDict, name: str) -> list[str]:
    return [v.strip() for raw in params.getlist(name) for v in raw.split(",") if v.strip()]


def _datetime(params: QueryDict, name: str, problems: list[str]) -> dt.datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        parsed = parse_datetime(_SPACE_OFFSET.sub(r"+\1", raw))
    except ValueError:
        parsed = None
    if parsed is None:
        problems.append(
            _("%(name)s must be a W3C date and time such as 2026-01-31T08:00:00+08:00.")
            % {"name": name}
        )
        return None
    # The spec asks for an offset; without one, the server's time zone is meant.
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def request_filters(params: QueryDict, now: dt.datetime) -> RequestFilters:
    """GET Service Requests filters with the spec's defaults: the last 90 days, at most 90."""
    problems: list[str] = []
    start = _datetime(params, "start_date", problems)
    end = _datetime(params, "end_date", problems)
    statuses = _split(params, "status")
    if any(s not in STATUSES for s in statuses):
        problems.append(_("status must be open, closed or both, separated by a comma."))
    ids = _split(params, "service_request_id")
    if len(ids) > MAX_RESULTS:
        problems.append(
            _("Ask for at most %(n)d service_request_id values at once.") % {"n": MAX_RESULTS}
        )
    if start and end:
        if end < start:
            problems.append(_("end_date is before start_date."))
        elif end - start > MAX_SPAN:
            problems.append(_("start_date and end_date may not span more than 90 days."))
    if problems:
        raise Open311Error(400, *problems)
    if start is None and end is None:
        end = now
    if start is None:
        assert end is not None
        start = end - MAX_SPAN
    if end is None:
        end = start + MAX_SPAN
    return RequestFilters(
        start=start,
        end=end,
        ids=ids,
        service_codes=_split(params, "service_code"),
        statuses=statuses,
    )


def _coordinate(raw: str, name: str, limit: int, problems: list[str]) -> Decimal | None:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > limit:
        problems.append(
            _("%(name)s must be a number between -%(limit)d and %(limit)d.")
            % {"name": name, "limit": limit}
        )
        return None
    return value.quantize(_SIX_PLACES, rounding=ROUND_HALF_UP)


def _position(params: QueryDict, problems: list[str]) -> tuple[Decimal | None, Decimal | None]:
    lat_raw, lng_raw = params.get("lat", "").strip(), params.get("long", "").strip()
    if params.get("address_id", "").strip():
        problems.append(
            _("address_id is not supported by this server: send lat and long, or address_string.")
        )
    if bool(lat_raw) != bool(lng_raw):
        problems.append(_("Send both lat and long, or neither."))
        return None, None
    if not lat_raw:
        if not params.get("address_string", "").strip():
            problems.append(_("Give the position: lat and long, or address_string."))
        return None, None
    return _coordinate(lat_raw, "lat", 90, problems), _coordinate(lng_raw, "long", 180, problems)


def _contact(params: QueryDict, problems: list[str]) -> tuple[str, str]:
    email = params.get("email", "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("email is not a valid e-mail address."))
    phone = params.get("phone", "").strip()
    if phone and not _PHONE.match(phone):
        problems.append(_("phone may hold only digits, spaces, +, - and brackets."))
    return email, phone


def _media_url(params: QueryDict, problems: list[str]) -> str:
    url = params.get("media_url", "").strip()
    if not url:
        return ""
    try:
        if len(url) > 500:
            raise ValidationError("too long")
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        problems.append(_("media_url must be an http or https address of at most 500 characters."))
        return ""
    return url


def request_data(params: QueryDict, files: Any) -> RequestData:
    """A POST Service Request's fields, or Open311Error(400) listing every problem."""
    problems: list[str] = []
    code = params.get("service_code", "").strip()
    if not code:
        problems.append(_("service_code is required."))
    lat, lng = _position(params, problems)
    email, phone = _contact(params, problems)
    media_url = _media_url(params, problems)
    upload = files.get("media") if files is not None else None
    if upload is not None and upload.size > settings.PHOTO_MAX_BYTES:
        # Refused before it is read into memory; the photo checks repeat this for other paths.
        problems.append(
            _("media is larger than %(mb)d MB.") % {"mb": settings.PHOTO_MAX_BYTES // 2**20}
        )
    if problems:
        raise Open311Error(400, *problems)
    return RequestData(
        service_code=code,
        lat=lat,
        lng=lng,
        address=params.get("address_string", "").strip()[:200],
        description=params.get("description", "").strip(),
        first_name=params.get("first_name", "").strip()[:30],
        last_name=params.get("last_name", "").strip()[:30],
        phone=phone,
        email=email,
        device_id=params.get("device_id", "").strip(),
        account_id=params.get("account_id", "").strip(),
        media_url=media_url,
        media=upload.read() if upload is not None else None,
        media_name=getattr(upload, "name", "") or "",
    )
