"""Every file importer, fed mutated templates and broken files: it either refuses with its own
error or problem list, writing nothing, or writes rows consistent with what it reported. Other
exceptions are bugs. ``HYPOTHESIS_PROFILE=robust-long`` runs many more examples."""

from __future__ import annotations

import io
import os

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings

from chuangcheng.frameworks import domain as frameworks_domain
from chuangcheng.frameworks.interfaces.importer import build_plan
from chuangcheng.frameworks.interfaces.template import framework_template
from chuangcheng.frameworks.models import Framework, Node
from chuangcheng.points.interfaces.importer import run_import as import_points
from chuangcheng.points.interfaces.template import points_template
from chuangcheng.points.models import Point
from chuangcheng.practice.domain.volunteer_import import run_import as import_volunteers
from chuangcheng.practice.interfaces.volunteer_template import template as volunteer_template
from chuangcheng.practice.models.network import Volunteer
from chuangcheng.surveys.domain.design_import import import_xlsform
from chuangcheng.surveys.domain.xlsform_sheets import XLSFormError
from chuangcheng.surveys.models import Choice, Question, Survey
from tests.conftest import World
from tests.robust.mutants import hostile_file
from tests.surveys.xlsforms import TEMPLATE as XLSFORM_TEMPLATE

settings.register_profile(
    "robust-ci",
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "robust-long",
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "robust-ci"))

pytestmark = pytest.mark.django_db


def _fuzz(template: bytes) -> object:
    return given(data=hostile_file(template))


@pytest.mark.parametrize("name", ["points.xlsx"])
def test_points_import(world: World, name: str) -> None:
    template = points_template(world.office)

    @PROFILE
    @_fuzz(template)
    def run(data: bytes) -> None:
        before = Point.objects.count()
        with transaction.atomic():
            report = import_points(name, data, actor=world.office)
            after = Point.objects.count()
            if report.problems:
                assert not report.written
                assert after == before
            else:
                assert report.written
                assert after == before + report.created
            transaction.set_rollback(True)

    run()


def test_framework_import(world: World) -> None:
    template = framework_template()

    @PROFILE
    @_fuzz(template)
    def run(data: bytes) -> None:
        before = (Framework.objects.count(), Node.objects.count())
        with transaction.atomic():
            plan = build_plan("标准.xlsx", data, create_missing=True)
            if plan.ok:
                try:
                    result = frameworks_domain.import_framework(
                        actor=world.office,
                        roots=plan.roots,
                        unit_ids=plan.unit_ids,
                        point_type_ids=plan.point_type_ids,
                        missing_units=plan.missing_units,
                        missing_point_types=plan.missing_point_types,
                        code="fuzz",
                        name="fuzz",
                        source_file="标准.xlsx",
                    )
                except frameworks_domain.FrameworkError:
                    assert (Framework.objects.count(), Node.objects.count()) == before
                else:
                    nodes = sum(1 for r in plan.roots for _ in r.walk())
                    assert Framework.objects.count() == before[0] + 1
                    assert Node.objects.filter(framework=result.framework).count() == nodes
            else:
                assert (Framework.objects.count(), Node.objects.count()) == before
            transaction.set_rollback(True)

    run()


def test_volunteer_import(world: World) -> None:
    template = volunteer_template(world.office)

    @PROFILE
    @_fuzz(template)
    def run(data: bytes) -> None:
        before = Volunteer.objects.count()
        with transaction.atomic():
            report = import_volunteers("志愿者.xlsx", data, actor=world.office)
            after = Volunteer.objects.count()
            if report.problems:
                assert after == before
            else:
                assert after == before + report.created
            transaction.set_rollback(True)

    run()


def test_xlsform_import(world: World) -> None:
    template = XLSFORM_TEMPLATE.read_bytes()

    @PROFILE
    @_fuzz(template)
    def run(data: bytes) -> None:
        counts = (Survey.objects.count(), Question.objects.count(), Choice.objects.count())
        with transaction.atomic():
            try:
                result = import_xlsform(
                    actor=world.office, stream=io.BytesIO(data), filename="q.xlsx", region=world.s1
                )
            except XLSFormError as exc:
                assert exc.issues
                assert (
                    Survey.objects.count(),
                    Question.objects.count(),
                    Choice.objects.count(),
                ) == counts
            else:
                assert Survey.objects.count() == counts[0] + 1
                assert result.survey.questions.count() == result.questions
                assert Choice.objects.count() == counts[2] + result.choices
            transaction.set_rollback(True)

    run()
