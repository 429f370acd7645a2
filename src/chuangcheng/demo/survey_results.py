"""Two rounds of the demo district's residents survey (群众满意度调查), with answers to read.

``load_demo_survey_results(stdout)`` creates, once:

- ``dc2025-residents``: last round, closed, about 200 days ago, about 25 respondents a street;
- ``dc2026-residents``: this round, copied from it and open (it started 25 days ago and runs five
  more days), about 40 respondents a street so far;

each with the same questionnaire (知晓 ×2, 支持, 参与 as a multiple choice, 满意 ×2 graded 满意 1 /
基本满意 0.9 / 不满意 0 with 说不清 not counted, a reason when 不满意, and the channel people
heard of the campaign through), its questions tied to the demo framework's 问卷调查 clauses,
per-street quotas, and population margins by street, age band and sex — illustrative figures
shaped like the 2020 census of 东城区, not the census itself. Respondents are drawn the way a
quota survey that missed its quotas leaves them (older people and women answer more often), so
the weighted rates differ from the raw ones; satisfaction differs by street, 前门 and 永定门外 lag
and 东直门 falls from last round, so the preset satisfaction warning has something to say.

Each response is written with its answers and the credit rows a submitted response leaves
(ADR 0011: one per measured question asked and not answered with an excluded choice). A fixed
seed makes every load the same; a second load changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.accounts.models import User
from chuangcheng.demo import catalog
from chuangcheng.demo.survey_plan import (
    BAND_POPULATION,
    BAND_SAMPLE,
    BANDS,
    LEAN_BEFORE,
    LEAN_NOW,
    OCCUPATIONS,
    POPULATION,
    QUESTIONS,
    REASONS,
)
from chuangcheng.frameworks.enums import FrameworkStatus
from chuangcheng.frameworks.models import Framework, Node
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region
from chuangcheng.surveys.enums import Mode, QuestionKind, ResponseState, SurveyStatus
from chuangcheng.surveys.models import (
    Answer,
    Choice,
    Credit,
    Margin,
    Question,
    QuotaCell,
    Response,
    Survey,
)

SEED = 20261123


def _clauses() -> tuple[Framework | None, dict[str, Node]]:
    fw = Framework.objects.filter(
        code=catalog.FRAMEWORK_CODE, status=FrameworkStatus.ACTIVE
    ).first()
    if fw is None:
        return None, {}
    found: dict[str, Node] = {}
    nodes = [
        n
        for n in Node.objects.filter(framework=fw).order_by("seq")
        if "survey" in (n.methods or [])
    ]
    for spec in QUESTIONS:
        key = spec.get("clause")
        if key and key not in found:
            found[key] = next((n for n in nodes if key in n.text), None)  # type: ignore[assignment]
    return fw, {k: v for k, v in found.items() if v is not None}


def _survey(code: str, title: str, district: Region, **fields: Any) -> Survey:
    return Survey.objects.create(
        code=code,
        title=title,
        region=district,
        languages=["zh-Hans", "en"],
        target_size=680,
        occupations=OCCUPATIONS,
        **fields,
    )


def _questions(survey: Survey, clauses: dict[str, Node]) -> dict[str, Question]:
    made = {}
    for order, spec in enumerate(QUESTIONS, 1):
        q = Question.objects.create(
            survey=survey,
            order=order,
            name=spec["name"],
            kind=spec["kind"],
            labels={"zh-Hans": spec["zh"], "en": spec["en"]},
            required=spec["kind"] != QuestionKind.TEXT,
            relevant=spec.get("relevant", ""),
            measure=spec.get("measure", ""),
            clause=clauses.get(spec.get("clause", "")),
        )
        Choice.objects.bulk_create(
            Choice(
                question=q,
                order=i,
                value=value,
                labels={"zh-Hans": zh, "en": en},
                score=Decimal(0) if score == "x" else Decimal(score),
                excluded=score == "x",
            )
            for i, (value, zh, en, score) in enumerate(spec.get("choices", []))
        )
        made[q.name] = q
    return made


def _plan(survey: Survey, streets: list[Region], per_street: int) -> None:
    total = sum(POPULATION.get(s.code, 40) for s in streets) * 1000
    margins = [
        Margin(
            survey=survey,
            dimension="street",
            value=s.code,
            population=POPULATION.get(s.code, 40) * 1000,
        )
        for s in streets
    ]
    margins += [
        Margin(survey=survey, dimension="age_band", value=b, population=round(total * share))
        for b, share in zip(BANDS, BAND_POPULATION, strict=True)
    ]
    men = round(total * 0.494)
    margins += [
        Margin(survey=survey, dimension="sex", value="m", population=men),
        Margin(survey=survey, dimension="sex", value="f", population=total - men),
    ]
    Margin.objects.bulk_create(margins)
    QuotaCell.objects.bulk_create(
        QuotaCell(survey=survey, street=s, target=per_street) for s in streets
    )


def _answers(rng: random.Random, lean: float, band: str, sex: str) -> dict[str, str]:
    """One respondent's answers: older residents a little happier, men a little less."""
    lift = lean + (0.05 if band == "60-65" else 0.0) - (0.03 if sex == "m" else 0.0)
    answers = {
        "aware": "yes" if rng.random() < 0.9 + lift / 2 else "no",
        "values": "yes" if rng.random() < 0.84 + lift / 2 else "no",
        "support": rng.choices(["yes", "no", "dk"], [0.91 + lift, 0.04, 0.05])[0],
        "channel": rng.choices(["board", "wechat", "media", "neighbours"], [4, 3, 2, 2])[0],
    }
    picked = [
        v
        for v, p in (("volunteer", 0.35), ("clean", 0.3), ("persuade", 0.12))
        if rng.random() < p + lift / 3
    ]
    answers["joined"] = " ".join(picked) or "none"
    for name in ("sat_env", "sat_service"):
        answers[name] = rng.choices(
            ["s", "bs", "ns", "dk"], [max(0.05, 0.58 + lift), 0.3, max(0.02, 0.08 - lift), 0.04]
        )[0]
    if answers["sat_env"] == "ns":
        answers["why"] = rng.choice(REASONS)
    return answers


def _respond(
    survey: Survey,
    questions: dict[str, Question],
    streets: list[Region],
    communities: dict[int, list[Region]],
    *,
    per_street: int,
    lean: dict[str, float],
    start: dt.datetime,
    days: int,
    interviewer: User | None,
    rng: random.Random,
) -> int:
    """Complete responses with their answers and credit rows; how many."""
    drafts: list[tuple[Response, dict[str, str]]] = []
    for street in streets:
        for _i in range(per_street + rng.randint(-6, 6)):
            band = rng.choices(BANDS, BAND_SAMPLE)[0]
            sex = "f" if rng.random() < 0.57 else "m"
            low, high = (int(x) for x in band.split("-"))
            at = start + dt.timedelta(minutes=rng.randint(0, days * 24 * 60))
            mode = rng.choices([Mode.HOME, Mode.STREET, Mode.SELF], [6, 2, 2])[0]
            place = rng.choice(communities.get(street.pk) or [street])
            lng = float(place.center_lng or 116.41) + rng.uniform(-0.002, 0.002)
            lat = float(place.center_lat or 39.92) + rng.uniform(-0.002, 0.002)
            interviewed = mode != Mode.SELF
            response = Response(
                survey=survey,
                state=ResponseState.COMPLETE,
                mode=mode,
                interviewer=interviewer if interviewed else None,
                lat=lat if interviewed else None,
                lng=lng if interviewed else None,
                accuracy=rng.choice([8.0, 12.0, 25.0]) if interviewed else None,
                region=place,
                street=street,
                age=rng.randint(low, high),
                age_band=band,
                sex=sex,
                occupation=rng.choices(OCCUPATIONS, [5, 2, 2, 4, 1, 1])[0],
                residence_months=rng.randint(6, 480),
                device_hash=""
                if interviewed
                else hashlib.sha256(f"{SEED}{survey.code}{len(drafts)}".encode()).hexdigest(),
                language="zh-Hans",
                notice_version=survey.notice_version,
                started_at=at - dt.timedelta(minutes=rng.randint(4, 12)),
                submitted_at=at,
            )
            drafts.append((response, _answers(rng, lean.get(street.code, 0.0), band, sex)))
    Response.objects.bulk_create([r for r, _a in drafts], batch_size=500)
    choices = {q.pk: {c.value: c for c in q.choices.all()} for q in questions.values()}
    answers: list[Answer] = []
    credits: list[Credit] = []
    for response, given in drafts:
        for name, value in given.items():
            q = questions[name]
            answers.append(Answer(response=response, question=q, value=value))
            picked = [choices[q.pk][v] for v in value.split()] if q.measure else []
            if not picked or any(c.excluded for c in picked):
                continue
            credits.append(
                Credit(
                    survey=survey,
                    response=response,
                    question=q,
                    measure=q.measure,
                    clause_id=q.clause_id,
                    street=response.street,
                    age_band=response.age_band,
                    sex=response.sex,
                    occupation=response.occupation,
                    score=max(c.score for c in picked),
                    submitted_at=response.submitted_at or response.started_at,
                )
            )
    Answer.objects.bulk_create(answers, batch_size=1000)
    Credit.objects.bulk_create(credits, batch_size=1000)
    return len(drafts)


@transaction.atomic
def load_demo_survey_results(stdout: Any, today: dt.date | None = None) -> int:
    """Create the two demo survey rounds once; returns how many responses were made."""
    district = Region.objects.filter(code=catalog.DISTRICT_CODE).first()
    office = User.objects.filter(username="office").first()
    if district is None or office is None:
        return 0
    if Survey.objects.filter(code__in=["dc2025-residents", "dc2026-residents"]).exists():
        return 0
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    rng = random.Random(SEED)
    fw, clauses = _clauses()
    streets = list(Region.objects.filter(parent=district, level=RegionLevel.STREET).order_by("seq"))
    communities: dict[int, list[Region]] = {}
    for c in Region.objects.filter(parent__in=streets, level=RegionLevel.COMMUNITY).order_by(
        "path"
    ):
        communities.setdefault(c.parent_id or 0, []).append(c)
    interviewer = User.objects.filter(username="inspector").first()
    made = 0
    before_start = today - dt.timedelta(days=200)
    before = _survey(
        "dc2025-residents",
        "2026年上半年东城区创建全国文明城区群众满意度调查",
        district,
        framework=fw,
        status=SurveyStatus.CLOSED,
        starts_on=before_start,
        ends_on=before_start + dt.timedelta(days=30),
        created_by=office,
    )
    _plan(before, streets, 25)
    made += _respond(
        before,
        _questions(before, clauses),
        streets,
        communities,
        per_street=25,
        lean=LEAN_BEFORE,
        start=dt.datetime.combine(before_start, dt.time(9), tzinfo=tz),
        days=28,
        interviewer=interviewer,
        rng=rng,
    )
    now_start = today - dt.timedelta(days=25)
    current = _survey(
        "dc2026-residents",
        "2026年下半年东城区创建全国文明城区群众满意度调查",
        district,
        framework=fw,
        status=SurveyStatus.OPEN,
        starts_on=now_start,
        ends_on=today + dt.timedelta(days=5),
        copied_from=before,
        created_by=office,
    )
    _plan(current, streets, 40)
    made += _respond(
        current,
        _questions(current, clauses),
        streets,
        communities,
        per_street=40,
        lean=LEAN_NOW,
        start=dt.datetime.combine(now_start, dt.time(9), tzinfo=tz),
        days=24,
        interviewer=interviewer,
        rng=rng,
    )
    stdout.write(
        _("Surveys: two rounds of the residents survey with %(n)d complete responses.")
        % {"n": made}
    )
    return made
