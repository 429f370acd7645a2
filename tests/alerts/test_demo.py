"""The demo ends with live warnings from the preset rules, and loading again repeats none."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest

from chuangcheng.accounts.models import User
from chuangcheng.alerts.domain.engine import evaluate
from chuangcheng.alerts.models import Warning, WarningRule
from chuangcheng.demo.loader import load_demo
from chuangcheng.demo.warnings import load_demo_warnings
from chuangcheng.orgs.models import Unit
from tests.module_data import module_data


@pytest.fixture(scope="module")
def demo(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[int]:
    def load() -> int:
        load_demo(stdout=StringIO())
        return load_demo_warnings(StringIO())

    media = str(tmp_path_factory.mktemp("media"))
    with module_data(django_db_blocker, load, media_root=media) as opened:
        yield opened


pytestmark = pytest.mark.usefixtures("demo", "db")


@pytest.fixture(autouse=True)
def _presets_off() -> None:
    """Here the preset rules stay on (conftest switches them off elsewhere)."""


def test_presets_raise_live_warnings(demo: int) -> None:
    # Five for the built-in kinds, two for the calendar's (agenda migration 0002), one for the
    # archives' (archives migration 0002) and one for the surveys' (surveys migration 0004).
    assert WarningRule.objects.filter(enabled=True).count() == 9
    assert demo == Warning.objects.open().count() > 0
    kinds = set(Warning.objects.values_list("rule__kind", flat=True))
    assert {"cases.overdue", "cases.on_time_rate"} <= kinds
    assert not WarningRule.objects.exclude(last_error="").exists()


def test_a_unit_sees_only_its_own(demo: int) -> None:
    user = User.objects.get(username="unit_jingshan")
    own = Unit.objects.get(name="景山街道办事处")
    below = set(Unit.objects.filter(path__startswith=own.path).values_list("pk", flat=True))
    seen = list(Warning.objects.visible_to(user).values_list("unit_id", flat=True))
    assert set(seen) <= below
    assert Warning.objects.exclude(unit_id__in=below).exists()
    office = User.objects.get(username="office")
    assert Warning.objects.visible_to(office).count() == Warning.objects.count()


def test_evaluating_again_raises_nothing_new(demo: int) -> None:
    before = Warning.objects.count()
    assert evaluate(send=False).total("raised") == 0
    assert Warning.objects.count() == before
