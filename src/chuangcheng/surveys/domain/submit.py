"""A response's life: started after the screening questions, saved as a draft, submitted with
its answers and credits, voided by the office.

Every function is atomic and audited. Field problems raise ``ValidationError`` with a message
per field and write nothing. One response per person: a device's keyed hash and a phone's keyed
hash are unique per survey among responses not voided (database constraints; the checks here
only give the clearer message first).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.surveys.domain import quotas
from chuangcheng.surveys.domain.answers import RawAnswers, check_answers, questions_of
from chuangcheng.surveys.domain.credits import remove_credits, write_credits
from chuangcheng.surveys.domain.screening import Screening, eligibility
from chuangcheng.surveys.enums import INTERVIEWER_MODES, Mode, ResponseState, ScreenReason
from chuangcheng.surveys.models import Answer, Response, Survey

AUDITED = (
    "state",
    "mode",
    "interviewer_id",
    "street_id",
    "age_band",
    "sex",
    "occupation",
    "quota_id",
    "screen_reason",
    "void_reason",
    "phone",
    "lat",
    "lng",
)


class NotCollectingError(Exception):
    """The survey does not take responses (not open, outside its dates, or this mode is off)."""


class AlreadyAnsweredError(Exception):
    """This device or phone number has already answered the survey."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(key)


class RateLimitedError(Exception):
    """Too many responses started from one address within the hour."""


class AlreadySubmittedError(Exception):
    """The response is no longer a draft (submitted twice, e.g. by a retry)."""

    def __init__(self, response: Response) -> None:
        self.response = response
        super().__init__(str(response))


@dataclass(frozen=True)
class Position:
    """Where the interviewer stood (WGS-84), from the browser's geolocation."""

    lat: float
    lng: float
    accuracy: float | None = None


def position_from(lat: Any, lng: Any, accuracy: Any = None) -> Position | None:
    """A position from form or JSON values; None when missing or impossible."""
    try:
        la, ln = float(lat), float(lng)
        acc = float(accuracy) if accuracy not in (None, "") else None
    except (TypeError, ValueError):
        return None
    if not (-90 <= la <= 90 and -180 <= ln <= 180) or (acc is not None and acc < 0):
        return None
    return Position(la, ln, acc)


def collecting(survey: Survey, today: dt.date | None = None) -> bool:
    """Open, and today within its collection dates when it has them."""
    today = today or timezone.localdate()
    return (
        survey.status == "open"
        and (survey.starts_on is None or survey.starts_on <= today)
        and (survey.ends_on is None or today <= survey.ends_on)
    )


def _check_mode(survey: Survey, actor: Any, mode: str) -> None:
    if mode == Mode.SELF:
        if not survey.self_answer:
            raise NotCollectingError
    elif mode in INTERVIEWER_MODES:
        if not getattr(actor, "is_authenticated", False) or not actor.has_perm(
            "surveys.interview", survey
        ):
            raise PermissionDenied
        if not survey.interviewers:
            raise NotCollectingError
    else:
        raise ValidationError({"mode": _("Choose door to door or street intercept.")})


def _check_rate(survey: Survey, ip_hash: str, now: dt.datetime) -> None:
    limit = int(settings.SURVEY_RATE_LIMIT)
    recent = Response.objects.filter(
        survey=survey, ip_hash=ip_hash, started_at__gte=now - dt.timedelta(hours=1)
    ).count()
    if recent >= limit:
        raise RateLimitedError


def answered_before(survey: Survey, *, device_hash: str = "", phone_hash: str = "") -> str:
    """ "device" or "phone" when that key already has a response not voided; else ""."""
    live = Response.objects.filter(survey=survey).exclude(state=ResponseState.VOID)
    if device_hash and live.filter(device_hash=device_hash).exists():
        return "device"
    if phone_hash and live.filter(phone_hash=phone_hash).exists():
        return "phone"
    return ""


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def start(
    survey: Survey,
    *,
    actor: Any,
    screening: Screening,
    mode: str,
    device_hash: str = "",
    ip_hash: str = "",
    position: Position | None = None,
    language: str = "zh-Hans",
    client_ref: str = "",
    now: dt.datetime | None = None,
) -> Response:
    """Record the screening answers. An ineligible respondent, or one whose quota cells are
    all full, gets a SCREENED_OUT response (thanked, not interviewed); anyone else a DRAFT to
    answer. Interviewers' responses carry their account and position."""
    now = now or timezone.now()
    _check_mode(survey, actor, mode)
    if not collecting(survey, timezone.localdate(now)):
        raise NotCollectingError
    if mode == Mode.SELF and ip_hash:
        _check_rate(survey, ip_hash, now)
    key = answered_before(survey, device_hash=device_hash, phone_hash=screening.phone_hash)
    if key:
        raise AlreadyAnsweredError(key)
    reason = eligibility(survey, screening)
    if not reason and not quotas.has_room(survey, screening.profile()):
        reason = str(ScreenReason.QUOTA_FULL)
    interviewer = _actor(actor) if mode in INTERVIEWER_MODES else None
    response = Response(
        survey=survey,
        state=ResponseState.SCREENED_OUT if reason else ResponseState.DRAFT,
        screen_reason=reason,
        mode=mode,
        interviewer=interviewer,
        region=screening.place.region,
        street=screening.place.street,
        age=screening.age,
        age_band=screening.band,
        sex=screening.sex,
        occupation=screening.occupation,
        residence_months=screening.months,
        device_hash=device_hash,
        phone_hash=screening.phone_hash,
        phone=screening.phone,
        ip_hash=ip_hash,
        language=language if language in survey.languages else survey.languages[0],
        notice_version=survey.notice_version,
        client_ref=client_ref,
        started_at=now,
        submitted_at=now if reason else None,
    )
    if position is not None and interviewer is not None:
        response.lat, response.lng, response.accuracy = (
            position.lat,
            position.lng,
            position.accuracy,
        )
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError as exc:
        # A second tab or a retry got there first: the constraints keep one response.
        raise AlreadyAnsweredError("device" if device_hash else "phone") from exc
    audit.record(
        _actor(actor), AuditAction.CREATE, response, after=audit.snapshot(response, AUDITED)
    )
    return response


def _writable(response: Response, actor: Any) -> Response:
    locked = Response.objects.select_for_update().select_related("survey").get(pk=response.pk)
    if locked.interviewer_id is not None and getattr(actor, "pk", None) != locked.interviewer_id:
        raise PermissionDenied
    if locked.state != ResponseState.DRAFT:
        raise AlreadySubmittedError(locked)
    return locked


def _set_position(response: Response, position: Position | None) -> None:
    if position is not None and response.interviewer_id is not None:
        response.lat, response.lng, response.accuracy = (
            position.lat,
            position.lng,
            position.accuracy,
        )


def _replace_answers(response: Response, values: dict[str, str], ids: dict[str, int]) -> None:
    Answer.objects.filter(response=response).delete()
    Answer.objects.bulk_create(
        Answer(response=response, question_id=ids[name], value=value)
        for name, value in values.items()
    )


@transaction.atomic
def save_draft(
    response: Response, raw: RawAnswers, *, actor: Any, position: Position | None = None
) -> Response:
    """Keep the answers given so far (required ones may be missing; malformed ones are
    refused) so the interview can go on later."""
    locked = _writable(response, actor)
    questions = questions_of(locked.survey)
    checked = check_answers(questions, raw, complete=False)
    if checked.errors:
        raise ValidationError(checked.errors)
    _replace_answers(locked, checked.values, {q.name: q.pk for q in questions})
    _set_position(locked, position)
    locked.save(update_fields=["lat", "lng", "accuracy"])
    audit.record(_actor(actor), AuditAction.UPDATE, locked, note="draft saved")
    return locked


@transaction.atomic
def submit(
    response: Response,
    raw: RawAnswers,
    *,
    actor: Any,
    position: Position | None = None,
    now: dt.datetime | None = None,
) -> Response:
    """Check every answer again, take a place in a quota cell, and write the answers and the
    credit rows. A respondent whose cells filled while they answered is thanked
    (SCREENED_OUT, quota full) and counts nowhere."""
    now = now or timezone.now()
    locked = _writable(response, actor)
    survey = locked.survey
    questions = questions_of(survey)
    checked = check_answers(questions, raw, complete=True)
    if checked.errors:
        raise ValidationError(checked.errors)
    before = audit.snapshot(locked, AUDITED)
    _set_position(locked, position)
    locked.submitted_at = now
    profile = quotas.Profile(locked.street_id or 0, locked.age_band, locked.sex, locked.occupation)
    try:
        locked.quota = quotas.claim(survey, profile)
    except quotas.QuotaFullError:
        locked.state = ResponseState.SCREENED_OUT
        locked.screen_reason = ScreenReason.QUOTA_FULL
        Answer.objects.filter(response=locked).delete()
    else:
        locked.state = ResponseState.COMPLETE
        _replace_answers(locked, checked.values, {q.name: q.pk for q in questions})
        write_credits(locked, questions, checked.values)
    locked.save()
    audit.record(
        _actor(actor),
        AuditAction.UPDATE,
        locked,
        before=before,
        after=audit.snapshot(locked, AUDITED),
        note="submitted",
    )
    return locked


@transaction.atomic
def void(response: Response, *, actor: Any, reason: str) -> Response:
    """The office voids a response (a test, a duplicate, a faked interview): its credits go,
    its quota place is given back, and the reason is kept and audited."""
    locked = Response.objects.select_for_update().select_related("survey").get(pk=response.pk)
    if not actor.has_perm("surveys.manage_survey", locked.survey):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the response is voided.")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("Keep the reason under 200 characters.")})
    if locked.state == ResponseState.VOID:
        raise ValidationError({"reason": _("This response is already voided.")})
    before = audit.snapshot(locked, AUDITED)
    if locked.state == ResponseState.COMPLETE:
        quotas.release(locked.quota_id)
    remove_credits(locked)
    locked.state = ResponseState.VOID
    locked.void_reason = reason
    locked.save(update_fields=["state", "void_reason"])
    audit.record(
        actor,
        AuditAction.UPDATE,
        locked,
        before=before,
        after=audit.snapshot(locked, AUDITED),
        note=reason,
    )
    return locked
