"""Submitting an inspection: observations, photos, cases dispatched; idempotent; all or nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from chuangcheng.cases.enums import CaseSource, CaseStatus
from chuangcheng.cases.models import Case, CaseAssignment, Photo
from chuangcheng.core.models import AuditEntry
from chuangcheng.inspections.domain import planning
from chuangcheng.inspections.domain.errors import InspectionError, InspectionValidationError
from chuangcheng.inspections.domain.submit import (
    ItemData,
    PhotoFile,
    SubmissionData,
    submit_inspection,
)
from chuangcheng.inspections.enums import Result
from chuangcheng.inspections.models import Inspection, Observation, RoundPoint
from tests.conftest import World
from tests.images import jpeg
from tests.inspections.conftest import inspector, stored_files
from tests.inspections.helpers import make_round

pytestmark = pytest.mark.django_db

CLIENT = uuid.UUID("7b0c1d7e-3f7a-4c55-9a43-1f0c2d3e4f50")


@pytest.fixture
def setup(world: World, fw, categories: dict[str, Any], media: Path) -> dict[str, Any]:
    """An open district round drawing p1 (alley, in c1) and p2 (market, in s2), both to w1."""
    walker = inspector("w1", world.district)
    other = inspector("w2", world.district)
    round_ = make_round(
        world, fw, quotas={world.alley.pk: 1, world.market.pk: 1}, inspectors=[walker]
    )
    planning.open_round(round_, actor=world.office)
    rps = {
        rp.point.code: rp
        for rp in RoundPoint.objects.filter(round=round_).select_related(
            "point", "round", "round__region"
        )
    }
    return {
        "round": round_,
        "walker": walker,
        "other": other,
        "rp1": rps["P00001"],
        "rp2": rps["P00002"],
    }


def data(rp: RoundPoint, items: list[ItemData], **kw: Any) -> SubmissionData:
    return SubmissionData(
        client_id=kw.pop("client_id", CLIENT),
        round_point=rp,
        items=items,
        observed_at=kw.pop("observed_at", timezone.now() - dt.timedelta(minutes=5)),
        lng=kw.pop("lng", Decimal("116.4050001")),
        lat=kw.pop("lat", Decimal("39.925")),
        accuracy_m=kw.pop("accuracy_m", 12),
        note=kw.pop("note", "巷口整体较好"),
    )


def test_failed_item_becomes_a_dispatched_case(world: World, fw, setup) -> None:
    rp = setup["rp1"]
    result = submit_inspection(
        data(
            rp,
            [
                ItemData(fw.clean.pk, Result.PASS),
                ItemData(
                    fw.posters.pk,
                    Result.FAIL,
                    note="墙面有小广告",
                    photos=[PhotoFile("a.jpg", jpeg()), PhotoFile("b.jpg", jpeg("blue"))],
                ),
            ],
        ),
        actor=setup["walker"],
    )
    assert result.created is True
    inspection = result.inspection
    assert inspection.inspector == setup["walker"]
    assert inspection.lng == Decimal("116.405000") and inspection.accuracy_m == 12
    observations = list(inspection.observations.order_by("clause__seq"))
    assert [(o.clause_id, o.result) for o in observations] == [
        (fw.clean.pk, "pass"),
        (fw.posters.pk, "fail"),
    ]
    failed = observations[1]
    case = failed.case
    assert case is not None and result.cases == [case]
    assert case.source == CaseSource.INSPECTION
    assert case.status == CaseStatus.DISPATCHED
    assert case.point == world.p1 and case.clause == fw.posters
    assert case.description == "2 无乱贴乱画，无小广告\n墙面有小广告"
    # 乱贴 (2) + 小广告 (3) suggest S0104 乱涂乱画 over S0201 非法小广告 (小广告 only).
    assert case.category.code == "S0104"
    assert case.due_at - case.dispatched_at == dt.timedelta(hours=48)
    units = list(
        CaseAssignment.objects.filter(case=case).values_list("unit__code", "lead").order_by("-lead")
    )
    assert units == [("C001", True), ("L001", False)]
    assert failed.photos.count() == 2
    assert Photo.objects.filter(case=case).count() == 2
    assert set(Photo.objects.values_list("lng", flat=True)) == {Decimal("116.405000")}
    entry = AuditEntry.objects.get(object_type="inspections.inspection")
    assert entry.after["observations"] == {"pass": 1, "fail": 1, "na": 0}
    assert entry.after["cases"] == [case.number]


def test_no_suggestion_falls_back_to_other(world: World, fw, setup) -> None:
    fw.market.text = "划行归市，分区有序"
    fw.market.save()
    result = submit_inspection(
        data(setup["rp2"], [ItemData(fw.market.pk, Result.FAIL)]), actor=setup["walker"]
    )
    (case,) = result.cases
    assert case.category.code == "S0603"
    # p2's territorial unit leads, its line department (市场监管局) partners.
    assert list(case.assignments.values_list("unit__code", flat=True)) == ["S002", "L002"]


def test_replay_stores_nothing_twice(world: World, fw, setup) -> None:
    items = [ItemData(fw.posters.pk, Result.FAIL, photos=[PhotoFile("a.jpg", jpeg())])]
    first = submit_inspection(data(setup["rp1"], items), actor=setup["walker"])
    again = submit_inspection(data(setup["rp1"], items), actor=setup["walker"])
    assert again.created is False
    assert again.inspection.pk == first.inspection.pk
    assert [c.pk for c in again.cases] == [c.pk for c in first.cases]
    assert (Inspection.objects.count(), Observation.objects.count()) == (1, 1)
    assert (Case.objects.count(), Photo.objects.count()) == (1, 1)


def test_a_second_submission_for_an_inspected_point_is_refused(world: World, fw, setup) -> None:
    submit_inspection(
        data(setup["rp1"], [ItemData(fw.clean.pk, Result.PASS)]), actor=setup["walker"]
    )
    with translation.override("en"), pytest.raises(InspectionError) as err:
        submit_inspection(
            data(setup["rp1"], [ItemData(fw.clean.pk, Result.FAIL)], client_id=uuid.uuid4()),
            actor=setup["walker"],
        )
    assert err.value.message.startswith("This point was already inspected on ")
    assert Case.objects.count() == 0


def test_the_same_client_id_for_another_point_is_refused(world: World, fw, setup) -> None:
    submit_inspection(
        data(setup["rp1"], [ItemData(fw.clean.pk, Result.PASS)]), actor=setup["walker"]
    )
    with pytest.raises(InspectionError):
        submit_inspection(
            data(setup["rp2"], [ItemData(fw.market.pk, Result.PASS)]), actor=setup["walker"]
        )
    assert Inspection.objects.count() == 1


def test_a_bad_photo_refuses_everything(world: World, fw, setup, media: Path) -> None:
    items = [
        ItemData(fw.clean.pk, Result.FAIL, photos=[PhotoFile("good.jpg", jpeg())]),
        ItemData(
            fw.posters.pk,
            Result.FAIL,
            photos=[PhotoFile("fake.jpg", b"%PDF-1.4 not a photo at all")],
        ),
    ]
    with translation.override("en"), pytest.raises(InspectionValidationError) as err:
        submit_inspection(data(setup["rp1"], items), actor=setup["walker"])
    assert err.value.errors == {"photos": ["fake.jpg is not a JPEG, PNG, WebP or HEIC photo."]}
    assert (Inspection.objects.count(), Observation.objects.count()) == (0, 0)
    assert (Case.objects.count(), Photo.objects.count()) == (0, 0)
    assert stored_files(media) == []
    assert not AuditEntry.objects.filter(object_type__startswith="inspections.insp").exists()


def test_a_truncated_jpeg_is_refused(world: World, fw, setup, media: Path) -> None:
    broken = jpeg()[:40]
    items = [ItemData(fw.clean.pk, Result.FAIL, photos=[PhotoFile("cut.jpg", broken)])]
    with translation.override("en"), pytest.raises(InspectionValidationError) as err:
        submit_inspection(data(setup["rp1"], items), actor=setup["walker"])
    assert err.value.errors == {"photos": ["cut.jpg cannot be read as an image."]}
    assert stored_files(media) == [] and Inspection.objects.count() == 0


def test_items_not_on_the_checklist_are_refused(world: World, fw, setup) -> None:
    for clause in (fw.survey, fw.archive, fw.market):  # survey, material, market-only
        with pytest.raises(InspectionValidationError) as err:
            submit_inspection(
                data(setup["rp1"], [ItemData(clause.pk, Result.PASS)]), actor=setup["walker"]
            )
        assert list(err.value.errors) == ["items"]
    with pytest.raises(InspectionValidationError):
        submit_inspection(data(setup["rp1"], []), actor=setup["walker"])
    with pytest.raises(InspectionValidationError):
        submit_inspection(
            data(setup["rp1"], [ItemData(fw.clean.pk, "maybe")]), actor=setup["walker"]
        )
    with pytest.raises(InspectionValidationError) as err:
        submit_inspection(
            data(setup["rp1"], [ItemData(fw.clean.pk, Result.PASS)], lng=Decimal("200")),
            actor=setup["walker"],
        )
    assert list(err.value.errors) == ["position"]
    assert Inspection.objects.count() == 0


def test_only_the_assigned_inspector_or_the_office_submits(world: World, fw, setup) -> None:
    for user in (setup["other"], world.inspector, world.user_s1, world.leader, world.nobody):
        with pytest.raises(PermissionDenied):
            submit_inspection(data(setup["rp1"], [ItemData(fw.clean.pk, Result.PASS)]), actor=user)
    result = submit_inspection(
        data(setup["rp1"], [ItemData(fw.clean.pk, Result.PASS)]), actor=world.office
    )
    assert result.inspection.inspector == world.office


def test_a_finished_round_takes_no_inspections(world: World, fw, setup) -> None:
    planning.finish_round(setup["round"], actor=world.office)
    setup["rp1"].round.refresh_from_db()
    with pytest.raises(InspectionError):
        submit_inspection(
            data(setup["rp1"], [ItemData(fw.clean.pk, Result.PASS)]), actor=setup["walker"]
        )


def test_a_phone_clock_ahead_is_not_believed(world: World, fw, setup) -> None:
    future = timezone.now() + dt.timedelta(days=2)
    result = submit_inspection(
        data(setup["rp1"], [ItemData(fw.clean.pk, Result.PASS)], observed_at=future),
        actor=setup["walker"],
    )
    assert result.inspection.observed_at <= timezone.now()
