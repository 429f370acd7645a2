"""The screening questions asked before every questionnaire (ADR 0011): age, sex, months lived
here, street or community, occupation when the survey lists some, and a phone number when the
survey asks for one. They decide eligibility, the quota cell and the weighting cell.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from chuangcheng.core.crypto import keyed_hash
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region
from chuangcheng.surveys.domain.quotas import Profile
from chuangcheng.surveys.enums import ScreenReason, Sex
from chuangcheng.surveys.models import Survey

MOBILE = re.compile(r"^1[3-9]\d{9}$")
PHONE_PURPOSE = "survey-phone"
DEVICE_PURPOSE = "survey-device"
IP_PURPOSE = "survey-ip"
SCREENING_FIELDS = ("age", "sex", "months", "region", "occupation", "phone")


@dataclass(frozen=True)
class Place:
    """A street or community a respondent may say they live in."""

    region: Region
    street: Region


@dataclass
class Screening:
    """Cleaned screening answers."""

    age: int
    sex: str
    months: int
    place: Place
    occupation: str = ""
    phone: str = ""
    band: str = field(default="")

    @property
    def phone_hash(self) -> str:
        return keyed_hash(self.phone, PHONE_PURPOSE) if self.phone else ""

    def profile(self) -> Profile:
        return Profile(self.place.street.pk, self.band, self.sex, self.occupation)


def places(survey: Survey) -> dict[str, Place]:
    """Streets and communities of the survey's region by code, in tree order (one query).
    A survey over a community offers that community, counted under its street; a region with
    no streets recorded offers itself."""
    region = survey.region
    rows = list(
        Region.objects.filter(
            path__startswith=region.path,
            level__in=(RegionLevel.STREET, RegionLevel.COMMUNITY),
        ).order_by("path")
    )
    if region.level == RegionLevel.COMMUNITY:
        street = region.parent if region.parent is not None else region
        return {region.code: Place(region, street)}
    if not rows:
        # A region without streets recorded yet: the region itself is the only place.
        return {region.code: Place(region, region)}
    streets = {r.path: r for r in rows if r.level == RegionLevel.STREET}
    found: dict[str, Place] = {}
    for r in rows:
        street = streets.get("/".join(r.path.split("/")[:-2]) + "/", r)
        if r.level == RegionLevel.STREET:
            street = r
        found[r.code] = Place(r, street)
    return found


def place_groups(survey: Survey) -> list[dict[str, Any]]:
    """The places grouped by street, for the screening form's drop-down."""
    groups: dict[int, dict[str, Any]] = {}
    for code, place in places(survey).items():
        group = groups.setdefault(place.street.pk, {"street": place.street, "options": []})
        group["options"].append((code, place.region))
    return list(groups.values())


def normalize_phone(raw: str) -> str:
    digits = re.sub(r"[\s-]", "", raw)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def _whole(raw: str, low: int, high: int) -> int | None:
    text = raw.strip()
    if not re.fullmatch(r"\d{1,4}", text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def clean_screening(
    survey: Survey, raw: Mapping[str, str], options: dict[str, Place] | None = None
) -> tuple[Screening | None, dict[str, str]]:
    """The screening answers checked: (cleaned, {}) or (None, {field: message})."""
    errors: dict[str, str] = {}
    age = _whole(str(raw.get("age") or ""), 0, 120)
    if age is None:
        errors["age"] = _("Give the age in whole years (0 to 120).")
    sex = str(raw.get("sex") or "")
    if sex not in Sex.values:
        errors["sex"] = _("Choose male or female.")
    months = _whole(str(raw.get("months") or ""), 0, 1500)
    if months is None:
        errors["months"] = _("Give how many months you have lived here, as a whole number.")
    options = places(survey) if options is None else options
    place = options.get(str(raw.get("region") or "").strip())
    if place is None:
        errors["region"] = _("Choose the street or community you live in.")
    occupation = str(raw.get("occupation") or "").strip()
    if survey.occupations and occupation not in survey.occupations:
        errors["occupation"] = _("Choose an occupation from the list.")
    if not survey.occupations:
        occupation = ""
    phone = ""
    if survey.ask_phone:
        phone = normalize_phone(str(raw.get("phone") or ""))
        if phone and not MOBILE.match(phone):
            errors["phone"] = _("Give an 11-digit mainland mobile number, or leave it empty.")
    if errors:
        return None, errors
    assert age is not None and months is not None and place is not None
    return (
        Screening(
            age=age,
            sex=sex,
            months=months,
            place=place,
            occupation=occupation,
            phone=phone,
            band=survey.band_of(age),
        ),
        {},
    )


def eligibility(survey: Survey, screening: Screening) -> str:
    """ "" when the respondent is in the frame, else the :class:`ScreenReason` value."""
    if not survey.min_age <= screening.age <= survey.max_age:
        return str(ScreenReason.INELIGIBLE)
    if screening.months < survey.min_residence_months:
        return str(ScreenReason.INELIGIBLE)
    return ""
