"""A small survey on top of ``world`` (district 东城区 with streets s1 东华门 and s2 景山).

- framework ``fw`` with one survey clause ``opinion`` (群众评价, 5 points, lead unit_s1);
- survey ``s2026`` over the district, open, self-answer and interviewers on, age bands
  18-29 / 30-44 / 45-59 / 60-65, questions in order:
  - ``aware`` single, awareness, clause ``opinion``: yes (1) / no (0);
  - ``joined`` multiple, participation: vol (1) / clean (1) / none (0);
  - ``satisfied`` single, satisfaction, clause ``opinion``: s (1) / bs (0.9) / ns (0) /
    dk (说不清, excluded);
  - ``why`` text, asked only when ``${satisfied} = 'ns'``;
- ``other_survey``: a survey of another district (北京市西城区), with its own office user
  ``other_office``, which nobody in ``world`` may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import User
from chuangcheng.frameworks.enums import FrameworkStatus, NodeLevel
from chuangcheng.frameworks.models import Framework, Node
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.surveys.enums import Measure, QuestionKind, SurveyStatus
from chuangcheng.surveys.models import Choice, Question, Survey
from tests.conftest import World
from tests.factories import RegionFactory, UserFactory, grant


@dataclass
class SurveyWorld:
    world: World
    framework: Framework
    opinion: Node
    survey: Survey
    aware: Question
    joined: Question
    satisfied: Question
    why: Question
    other_survey: Survey
    other_office: User


def add_question(
    survey: Survey,
    order: int,
    name: str,
    kind: str,
    label: str,
    choices: list[tuple[str, str, str]] | None = None,
    **extra: object,
) -> Question:
    """A question with ``choices`` as (value, label, score); score "x" marks an excluded one."""
    q = Question.objects.create(
        survey=survey, order=order, name=name, kind=kind, labels={"zh-Hans": label}, **extra
    )
    for i, (value, text, score) in enumerate(choices or []):
        Choice.objects.create(
            question=q,
            order=i,
            value=value,
            labels={"zh-Hans": text},
            score=Decimal(0) if score == "x" else Decimal(score),
            excluded=score == "x",
        )
    return q


@pytest.fixture
def sw(world: World) -> SurveyWorld:
    framework = Framework.objects.create(
        code="fw", version=1, name="测评体系", status=FrameworkStatus.ACTIVE
    )
    content = Node.objects.create(
        framework=framework, level=NodeLevel.CONTENT, text="群众评价", seq=1
    )
    opinion = Node.objects.create(
        framework=framework,
        parent=content,
        level=NodeLevel.STANDARD,
        seq=2,
        number="1.",
        text="群众对创建工作的知晓率和满意度",
        methods=["survey"],
        lead_unit=world.unit_s1,
        score=Decimal(5),
    )
    survey = Survey.objects.create(
        code="s2026",
        title="2026年文明城区创建群众满意度调查",
        region=world.district,
        framework=framework,
        status=SurveyStatus.OPEN,
        created_by=world.office,
    )
    aware = add_question(
        survey,
        1,
        "aware",
        QuestionKind.SINGLE,
        "您是否知道我区正在创建全国文明城区?",
        [("yes", "知道", "1"), ("no", "不知道", "0")],
        measure=Measure.AWARENESS,
        clause=opinion,
        required=True,
    )
    joined = add_question(
        survey,
        2,
        "joined",
        QuestionKind.MULTIPLE,
        "您参加过哪些创建活动?",
        [("vol", "志愿服务", "1"), ("clean", "环境清洁", "1"), ("none", "都没有", "0")],
        measure=Measure.PARTICIPATION,
        required=True,
    )
    satisfied = add_question(
        survey,
        3,
        "satisfied",
        QuestionKind.SINGLE,
        "您对创建工作成效是否满意?",
        [
            ("s", "满意", "1"),
            ("bs", "基本满意", "0.9"),
            ("ns", "不满意", "0"),
            ("dk", "说不清", "x"),
        ],
        measure=Measure.SATISFACTION,
        clause=opinion,
        required=True,
    )
    why = add_question(
        survey,
        4,
        "why",
        QuestionKind.TEXT,
        "不满意的原因是什么?",
        relevant="${satisfied} = 'ns'",
        required=True,
    )
    other = RegionFactory(code="110102", name="西城区", level=RegionLevel.DISTRICT)
    other_office = UserFactory(username="other_office", display_name="西城文明办")
    grant(other_office, Role.OFFICE, region=other)
    other_survey = Survey.objects.create(
        code="xc2026", title="西城区满意度调查", region=other, status=SurveyStatus.OPEN
    )
    add_question(
        other_survey,
        1,
        "aware",
        QuestionKind.SINGLE,
        "知道吗?",
        [("yes", "知道", "1"), ("no", "不知道", "0")],
        measure=Measure.AWARENESS,
    )
    return SurveyWorld(
        world=world,
        framework=framework,
        opinion=opinion,
        survey=survey,
        aware=aware,
        joined=joined,
        satisfied=satisfied,
        why=why,
        other_survey=other_survey,
        other_office=other_office,
    )
