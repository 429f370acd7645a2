"""微心愿: taking a new wish in, from a resident's account, a station's public link, or station
staff (who publish it at once). Atomic and audited like every move in :mod:`.wishes`; refused
input raises ``PracticeError`` keyed by form field, before anything is written."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.wishes import publish_wish, require, snapshot
from chuangcheng.practice.enums import SiteKind, WishStatus
from chuangcheng.practice.models import Household, PracticeSite, Wish, WishEvent

# The privacy notice shown on the wish forms; a wish records the version its submitter accepted.
# The privacy notice a resident accepts: the one version of the installation (PIPL: the record
# must name the notice actually shown), set by PRIVACY_NOTICE_VERSION like cases and surveys.
NOTICE_VERSION = str(settings.PRIVACY_NOTICE_VERSION)
IP_PURPOSE = "practice.wish.ip"
PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
RATE_WINDOW = dt.timedelta(hours=1)


class RateLimitedError(PracticeError):
    """Too many wishes submitted from one network address to one station within the hour."""


@dataclass(frozen=True)
class WishData:
    """What a submitter fills in. The phone is stored encrypted and only ever shown masked."""

    title: str
    beneficiary_name: str
    description: str = ""
    beneficiary_phone: str = ""
    due_on: dt.date | None = None
    household: Household | None = None
    notice_version: str = ""


def _clean(data: WishData, *, public: bool, today: dt.date) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    title = data.title.strip()
    name = data.beneficiary_name.strip()
    phone = re.sub(r"[\s-]", "", data.beneficiary_phone) if data.beneficiary_phone else ""
    if len(title) < 2:
        errors["title"] = [_("Say in a few words what is wished for.")]
    elif len(title) > 80:
        errors["title"] = [_("At most 80 characters.")]
    if not name:
        errors["beneficiary_name"] = [_("Say for whom the wish is.")]
    elif len(name) > 40:
        errors["beneficiary_name"] = [_("At most 40 characters.")]
    if phone and not PHONE.match(phone):
        errors["beneficiary_phone"] = [_("Enter a mobile number or a landline with area code.")]
    elif public and not phone:
        errors["beneficiary_phone"] = [_("Leave a phone number so the station can reach you.")]
    if data.due_on is not None and data.due_on < today:
        errors["due_on"] = [_("The date has passed.")]
    if data.notice_version != NOTICE_VERSION:
        errors["notice"] = [_("Please read and accept the privacy notice.")]
    if len(data.description) > 1000:
        errors["description"] = [_("At most 1000 characters.")]
    if errors:
        raise PracticeError(errors)
    return {
        "title": title,
        "beneficiary_name": name,
        "beneficiary_phone": phone,
        "description": data.description.strip(),
        "due_on": data.due_on,
    }


def _next_code(year: int) -> str:
    prefix = f"XY-{year}-"
    last = (
        Wish.objects.filter(code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    return f"{prefix}{(int(last[len(prefix) :]) + 1) if last else 1:06d}"


def _insert(wish: Wish, year: int) -> Wish:
    """Save with the next number of the year (``XY-2026-000045``); two submissions at once
    never share one: the loser of the unique constraint takes the next number."""
    for attempt in range(10):
        wish.code = _next_code(year)
        try:
            with transaction.atomic():
                wish.save(force_insert=True)
            return wish
        except IntegrityError:
            if attempt == 9:
                raise
            wish.pk = None
    raise AssertionError("unreachable")


def _check_rate(site: PracticeSite, ip_hash: str, now: dt.datetime) -> None:
    if not ip_hash:
        return
    recent = Wish.objects.filter(site=site, ip_hash=ip_hash, created_at__gte=now - RATE_WINDOW)
    if recent.count() >= int(settings.PRACTICE_WISH_RATE_LIMIT):
        raise RateLimitedError(_("Too many wishes from this network just now."))


def _household_of(actor: Any, site: PracticeSite) -> Household | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    return (
        Household.objects.filter(members=actor, region=site.region, active=True)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def submit_wish(
    site: PracticeSite,
    data: WishData,
    *,
    actor: Any,
    by_link: bool = False,
    ip_hash: str = "",
    now: dt.datetime | None = None,
) -> Wish:
    """A new wish at ``site`` (a station). A resident's wish (from their account, or from the
    station's public link with ``by_link``) waits for the station's review (SUBMITTED); staff
    over the station publish it at once (PUBLISHED, e.g. an elder's wish taken down at the
    door). The resident's own household is linked, so its members may rate the wish."""
    now = now or timezone.now()
    if site.kind != SiteKind.STATION or not site.active:
        raise PracticeError({"site": [_("Wishes are taken by an active practice station.")]})
    staff = getattr(actor, "is_authenticated", False) and actor.has_perm(
        "practice.manage_network", site
    )
    if not by_link and not staff:
        require(actor, "practice.publish_wish", site)
        if not PracticeSite.objects.visible_to(actor).filter(pk=site.pk).exists():
            raise PracticeError({"site": [_("Choose the station of your community.")]})
    fields = _clean(data, public=by_link, today=timezone.localdate(now))
    household = data.household if staff else _household_of(actor, site)
    if household is not None and household.region_id != site.region_id:
        raise PracticeError({"household": [_("The household is not in this community.")]})
    if by_link:
        _check_rate(site, ip_hash, now)
    wish = Wish(
        site=site,
        region_id=site.region_id,
        household=household,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
        notice_version=data.notice_version,
        ip_hash=ip_hash,
        status=WishStatus.SUBMITTED,
        **fields,
    )
    _insert(wish, timezone.localdate(now).year)
    Wish.objects.filter(pk=wish.pk).update(created_at=now)
    wish.created_at = now
    who = actor if getattr(actor, "is_authenticated", False) else None
    WishEvent.objects.create(wish=wish, to_status=WishStatus.SUBMITTED, actor=who)
    audit.record(actor, AuditAction.CREATE, wish, after=snapshot(wish), note="wish submitted")
    if staff:
        publish_wish(wish, actor=actor, now=now)
    return wish
