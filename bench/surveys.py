"""Survey report speed: rates, intervals and raking weights over 100,000 complete responses.

    python bench/surveys.py                    # scratch SQLite file var/bench/surveys.sqlite3
    python bench/surveys.py --responses 20000 --repeat 3

The database (its own file, rebuilt on every run) is migrated and given the 17 streets of
东城区, a framework with one 问卷调查 clause per measure, and a survey of four measured questions
(知晓 yes/no, 参与 multiple choice, 支持 with 说不清, 满意 graded 1 / 0.9 / 0 with 说不清) plus a
text question, with population margins by street, age band and sex. Then ``--responses``
complete responses are generated (fixed seed) as a quota survey that missed its quotas would
leave them: streets sampled unevenly, older people and women over-represented, satisfaction
varying by street and age, 说不清 now and then — with their answers and credit rows, written
with ``bulk_create``. It prints, best and median of ``--repeat``: the report (one grouped query
over the credits, the raking, every rate and interval), the JSON the command prints, one
cross-tabulation, the answer distributions and the results page. The goal in issue 6 is the
report within 1 s on SQLite.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = "var/bench/surveys.sqlite3"
BATCH = 5000
BANDS = ("18-29", "30-44", "45-59", "60-65")
# Sample shares against population shares: the old and women answer more often.
BAND_SAMPLE = (0.12, 0.22, 0.30, 0.36)
BAND_POPULATION = (0.24, 0.30, 0.28, 0.18)
OCCUPATIONS = ("企业职工", "机关事业单位", "个体经营", "离退休", "学生", "其他")


def setup(database_url: str | None) -> None:
    if database_url is None:
        path = ROOT / SCRATCH
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        database_url = f"sqlite:///{path}"
    # Never the DATABASE_URL of the environment: the bench must not write into real data.
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "chuangcheng.settings"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("SECRET_KEY_FILE", str(ROOT / "var" / "secret.key"))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """(best, median) seconds of ``repeat`` calls, and the last result."""
    timings, result = [], None
    for _i in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        timings.append(time.perf_counter() - t0)
    return min(timings), statistics.median(timings), result


def build_survey() -> Any:
    """District, streets, framework clauses, the survey, its questions and margins."""
    from chuangcheng.frameworks.enums import FrameworkStatus, NodeLevel
    from chuangcheng.frameworks.models import Framework, Node
    from chuangcheng.orgs.enums import RegionLevel
    from chuangcheng.orgs.models import Region
    from chuangcheng.surveys.enums import Measure, QuestionKind, SurveyStatus
    from chuangcheng.surveys.models import Choice, Margin, Question, Survey

    district = Region.objects.create(
        code="110101", name="东城区", level=RegionLevel.DISTRICT, path="110101/"
    )
    with (ROOT / "src/chuangcheng/demo/data/streets.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    Region.objects.bulk_create(
        Region(
            code=r["code"],
            name=r["name"],
            level=RegionLevel.STREET,
            parent=district,
            path=f"110101/{r['code']}/",
            seq=i,
        )
        for i, r in enumerate(rows, 1)
    )
    fw = Framework.objects.create(
        code="bench", version=1, name="测评体系", status=FrameworkStatus.ACTIVE
    )
    content = Node.objects.create(framework=fw, level=NodeLevel.CONTENT, text="群众评价", seq=1)
    survey = Survey.objects.create(
        code="bench2026",
        title="基准测试问卷",
        region=district,
        framework=fw,
        status=SurveyStatus.CLOSED,
        occupations=list(OCCUPATIONS),
    )
    specs = [
        ("aware", QuestionKind.SINGLE, Measure.AWARENESS, [("yes", "1"), ("no", "0")]),
        (
            "joined",
            QuestionKind.MULTIPLE,
            Measure.PARTICIPATION,
            [("vol", "1"), ("clean", "1"), ("none", "0")],
        ),
        ("support", QuestionKind.SINGLE, Measure.SUPPORT, [("yes", "1"), ("no", "0"), ("dk", "x")]),
        (
            "satisfied",
            QuestionKind.SINGLE,
            Measure.SATISFACTION,
            [("s", "1"), ("bs", "0.9"), ("ns", "0"), ("dk", "x")],
        ),
    ]
    questions = {}
    for order, (name, kind, measure, choices) in enumerate(specs, 1):
        clause = Node.objects.create(
            framework=fw,
            parent=content,
            level=NodeLevel.STANDARD,
            seq=order + 1,
            number=f"{order}.",
            text=f"市民{measure.label}",
            methods=["survey"],
            score=Decimal(3),
        )
        q = Question.objects.create(
            survey=survey,
            order=order,
            name=name,
            kind=kind,
            labels={"zh-Hans": name},
            measure=measure,
            clause=clause,
        )
        for i, (value, score) in enumerate(choices):
            Choice.objects.create(
                question=q,
                order=i,
                value=value,
                labels={"zh-Hans": value},
                score=Decimal(0) if score == "x" else Decimal(score),
                excluded=score == "x",
            )
        questions[name] = q
    questions["why"] = Question.objects.create(
        survey=survey, order=9, name="why", kind=QuestionKind.TEXT, labels={"zh-Hans": "原因"}
    )
    streets = list(Region.objects.filter(level=RegionLevel.STREET).order_by("seq"))
    rng = random.Random(7)
    sizes = {s.code: rng.randint(20, 90) * 1000 for s in streets}
    margins = [
        Margin(survey=survey, dimension="street", value=code, population=size)
        for code, size in sizes.items()
    ]
    total = sum(m.population for m in margins)
    margins += [
        Margin(survey=survey, dimension="age_band", value=b, population=round(total * share))
        for b, share in zip(BANDS, BAND_POPULATION, strict=True)
    ]
    margins += [
        Margin(survey=survey, dimension="sex", value="m", population=round(total * 0.49)),
        Margin(survey=survey, dimension="sex", value="f", population=total - round(total * 0.49)),
    ]
    Margin.objects.bulk_create(margins)
    return survey, streets, questions


def generate(survey: Any, streets: list[Any], questions: dict[str, Any], count: int) -> float:
    """``count`` complete responses with answers and credits; seconds taken."""
    from django.db import transaction
    from django.utils import timezone

    from chuangcheng.surveys.enums import Mode, ResponseState
    from chuangcheng.surveys.models import Answer, Credit, Response

    rng = random.Random(42)
    t0 = time.perf_counter()
    start = timezone.now() - dt.timedelta(days=30)
    street_weights = [rng.uniform(0.5, 2.0) for _ in streets]
    mood = {s.pk: rng.uniform(-0.12, 0.08) for s in streets}
    scores = {
        name: {c.value: (c.score, c.excluded) for c in q.choices.all()}
        for name, q in questions.items()
        if q.measure
    }
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        responses, drafts = [], []
        for i in range(size):
            street = rng.choices(streets, street_weights)[0]
            band = rng.choices(BANDS, BAND_SAMPLE)[0]
            sex = "f" if rng.random() < 0.58 else "m"
            at = start + dt.timedelta(seconds=rng.randint(0, 30 * 86400))
            responses.append(
                Response(
                    survey=survey,
                    state=ResponseState.COMPLETE,
                    mode=Mode.HOME if i % 3 else Mode.SELF,
                    street=street,
                    region=street,
                    age=int(band[:2]) + rng.randint(0, 10),
                    age_band=band,
                    sex=sex,
                    occupation=rng.choice(OCCUPATIONS),
                    residence_months=rng.randint(6, 400),
                    started_at=at - dt.timedelta(minutes=8),
                    submitted_at=at,
                )
            )
            lift = mood[street.pk] + (0.06 if band == "60-65" else 0) - (0.05 if sex == "m" else 0)
            drafts.append(
                {
                    "aware": "yes" if rng.random() < 0.86 + lift else "no",
                    "joined": rng.choice(["vol", "clean", "vol clean", "none", "none"]),
                    "support": rng.choices(["yes", "no", "dk"], [0.9 + lift, 0.06, 0.04])[0],
                    "satisfied": rng.choices(
                        ["s", "bs", "ns", "dk"], [0.55 + lift, 0.3, 0.1 - lift / 2, 0.05]
                    )[0],
                }
            )
        with transaction.atomic():
            Response.objects.bulk_create(responses, batch_size=1000)
            answers, credits = [], []
            for response, drafted in zip(responses, drafts, strict=True):
                picked = dict(drafted)
                if picked["satisfied"] == "ns":
                    picked["why"] = "环境卫生有待改善"
                for name, value in picked.items():
                    q = questions[name]
                    answers.append(Answer(response=response, question=q, value=value))
                    if not q.measure:
                        continue
                    found = [scores[name][v] for v in value.split()]
                    if any(excluded for _s, excluded in found):
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
                            score=max(s for s, _e in found),
                            submitted_at=response.submitted_at,
                        )
                    )
            Answer.objects.bulk_create(answers, batch_size=2000)
            Credit.objects.bulk_create(credits, batch_size=2000)
        done += size
        print(f"  … {done:,} responses", flush=True)
    return time.perf_counter() - t0


def measure(survey: Any, repeat: int) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from chuangcheng.accounts.enums import Role
    from chuangcheng.accounts.models import Grant, User
    from chuangcheng.surveys.domain.crosstab import crosstab, distributions
    from chuangcheng.surveys.domain.results import build_report, load_sample
    from chuangcheng.surveys.interfaces.export import report_json

    with CaptureQueriesContext(connection) as queries:
        report = build_report(survey)
    count = len(queries)
    reset_queries()
    aware = report.measure("satisfaction")
    assert aware is not None
    w = report.weighting
    credits = sum(m.overall.denominator for m in report.measures)
    print(
        f"respondents {report.respondents:,}; credits {credits:,}; "
        f"weighting over {', '.join(w.dimensions)}: {w.iterations} rounds, "
        f"converged {w.converged}, design effect {w.design_effect:.3f}"
    )
    print(
        f"satisfaction {aware.overall.rate:.4f} [{aware.overall.ci_low:.4f}, "
        f"{aware.overall.ci_high:.4f}], weighted {aware.overall.weighted_rate:.4f}; "
        f"{count} queries"
    )
    from django.utils import timezone

    user = User.objects.create_user(
        username="bench_office",
        password="Bench#2026x",
        must_change_password=False,
        password_changed_at=timezone.now(),
    )
    Grant.objects.create(user=user, role=Role.OFFICE, region=survey.region)
    client = Client()
    client.force_login(user)
    page = f"/surveys/{survey.pk}/results/"
    runs: list[tuple[str, Callable[[], Any]]] = [
        ("report (rates + weights)", lambda: build_report(survey)),
        ("report JSON (command line)", lambda: report_json(build_report(survey))),
        ("cross-tab satisfied × street", lambda: crosstab(survey, "satisfied", "street")),
        ("answer distributions", lambda: distributions(survey, load_sample(survey))),
        (f"results page {page}", lambda: client.get(page)),
    ]
    for name, fn in runs:
        best, median, result = timed(fn, repeat)
        status = getattr(result, "status_code", None)
        note = f" (HTTP {status})" if status is not None else ""
        print(f"{name:<32} best {best * 1000:7.0f} ms   median {median * 1000:7.0f} ms{note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a scratch SQLite file in var/bench/")
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    survey, streets, questions = build_survey()
    print(f"database: {connection.vendor}; setup {time.perf_counter() - t0:.1f} s")
    took = generate(survey, streets, questions, args.responses)
    print(f"generated {args.responses:,} responses in {took:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from chuangcheng.surveys.models import Survey

    measure(Survey.objects.select_related("region").get(pk=survey.pk), args.repeat)


if __name__ == "__main__":
    main()
