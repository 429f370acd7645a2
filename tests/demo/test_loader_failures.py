"""A load that cannot finish writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from chuangcheng.accounts.models import User
from chuangcheng.core.models import AuditEntry
from chuangcheng.demo import catalog, loader
from chuangcheng.demo.loader import DATA, DemoError, load_demo
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.points.models import Point, PointType

pytestmark = pytest.mark.django_db


def _nothing_written() -> None:
    assert Region.objects.count() == 0
    assert Unit.objects.count() == 0
    assert PointType.objects.count() == 0
    assert Point.objects.count() == 0
    assert not User.objects.exclude(username="office").exists()
    assert not AuditEntry.objects.filter(action="import").exists()


def test_failing_framework_import_rolls_back_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []

    def failing_framework_import(*args: Any, **kwargs: Any) -> None:
        calls.append(args)
        # By now regions, units, types and points are written (inside the transaction).
        assert Point.objects.count() == 728
        raise RuntimeError("framework file is broken")

    monkeypatch.setattr(loader, "call_command", failing_framework_import)
    with pytest.raises(RuntimeError, match="framework file is broken"):
        load_demo()
    assert calls == [
        (
            "framework",
            "import",
            str(DATA / "framework-dongcheng-2026.csv"),
            "--code",
            "DC-WMCQ",
            "--name",
            catalog.FRAMEWORK_NAME,
            "--activate",
        )
    ]
    _nothing_written()


def test_taken_demo_username_is_refused_before_writing() -> None:
    User.objects.create_user("office", password="Other#Pass2026")
    with pytest.raises(DemoError, match="user office"):
        load_demo(include_framework=False)
    _nothing_written()
