"""Rating: one per inspector × target × month, validation writes nothing, regions hold."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chuangcheng.awards.domain.rating import rate
from chuangcheng.awards.domain.schemes import SchemeData, clean_dimensions, save_scheme
from chuangcheng.awards.models import RedFlagRating
from chuangcheng.core.models import AuditAction, AuditEntry
from tests.awards.conftest import MONTH, Windows


def test_rating_again_the_same_month_replaces_the_inspectors_rating(windows: Windows) -> None:
    w = windows
    first = w.rate(w.insp2, w.w1, 5, 5)
    second = w.rate(w.insp2, w.w1, 9, 8, day=MONTH + dt.timedelta(days=20))
    assert second.pk == first.pk
    rating = RedFlagRating.objects.get()
    assert (rating.scores, rating.total, rating.max_total) == ({"A": 9, "B": 8}, 17, 20)
    actions = list(
        AuditEntry.objects.filter(object_type="awards.redflagrating")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [AuditAction.CREATE, AuditAction.UPDATE]
    # Another inspector, or the next month, is a separate rating.
    w.rate(w.insp3, w.w1, 7, 7)
    w.rate(w.insp2, w.w1, 6, 6, day=dt.date(2026, 11, 1))
    assert RedFlagRating.objects.count() == 3


@pytest.mark.parametrize(
    "scores",
    [
        {"A": 11, "B": 5},  # above the maximum
        {"A": -1, "B": 5},
        {"A": 5, "B": 5, "C": 3},  # unknown dimension
        {"A": 5},  # missing dimension
        {"A": "x", "B": 5},
    ],
)
def test_bad_scores_write_nothing(windows: Windows, scores: dict[str, object]) -> None:
    w = windows
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        rate(actor=w.insp2, scheme=w.scheme, target=w.w1, scores=scores, today=MONTH)
    assert not RedFlagRating.objects.exists()
    assert AuditEntry.objects.count() == before


def test_inspector_rates_only_in_their_region(windows: Windows) -> None:
    w = windows  # world.inspector works in s1; W3 lies in s2
    with pytest.raises(PermissionDenied):
        w.rate(w.world.inspector, w.w3, 5, 5)
    with pytest.raises(PermissionDenied):
        w.rate(w.world.user_s1, w.w1, 5, 5)  # a unit does not rate
    w.rate(w.world.office, w.w3, 5, 5)  # the office over the district may
    assert RedFlagRating.objects.count() == 1


def test_a_point_of_another_type_is_refused(windows: Windows) -> None:
    w = windows
    with pytest.raises(ValidationError):
        rate(
            actor=w.insp2, scheme=w.scheme, target=w.world.p1, scores={"A": 1, "B": 1}, today=MONTH
        )


@pytest.mark.parametrize(
    "dims",
    [
        [],
        [{"name": "A", "max": 0}],
        [{"name": "A", "max": 10}, {"name": "A", "max": 5}],
        [{"name": "", "max": 5}],
        [{"name": "A", "max": "ten"}],
    ],
)
def test_scheme_dimensions_validated(dims: list[dict[str, object]]) -> None:
    with pytest.raises(ValidationError):
        clean_dimensions(dims)


def test_office_saves_a_scheme_audited_and_others_may_not(windows: Windows) -> None:
    w = windows
    data = SchemeData(
        code="windows-100",
        name="百分制窗口红旗",
        target="points",
        dimensions=[{"name": "服务热情", "max": 20}, {"name": "快捷高效", "max": 80}],
        winners=2,
        min_ratings=3,
        point_types=[w.window],
    )
    with pytest.raises(PermissionDenied):
        save_scheme(actor=w.world.leader, data=data)
    scheme = save_scheme(actor=w.world.office, data=data)
    assert scheme.max_total == 100
    assert (
        AuditEntry.objects.filter(object_type="awards.redflagscheme", action="create").count() == 1
    )
    data.dimensions = [{"name": "服务热情", "max": 0}]
    with pytest.raises(ValidationError):
        save_scheme(actor=w.world.office, data=data, scheme=scheme)
    scheme.refresh_from_db()
    assert scheme.max_total == 100


def test_preset_scheme_has_the_six_dimensions(db: None) -> None:
    from chuangcheng.awards.models import RedFlagScheme

    preset = RedFlagScheme.objects.get(code="window-red-flag")
    assert [d["name"] for d in preset.dimensions] == [
        "服务热情",
        "快捷高效",
        "文明规范",
        "秩序优良",
        "环境优美",
        "氛围浓厚",
    ]
    assert preset.max_total == 60
