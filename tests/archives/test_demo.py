"""The demo archives on the small world: every review state is reached through the domain,
the second level is decided by the demo's city reviewer, and loading twice adds nothing."""

from __future__ import annotations

from io import StringIO
from typing import Any

from chuangcheng.archives import demo
from chuangcheng.archives.enums import AttachmentState
from chuangcheng.archives.models import Attachment, Material, Review
from tests.archives.conftest import Arch


def test_demo_archives(arch: Arch, monkeypatch: Any) -> None:
    by_code = {p.unit: p for p in demo.PLANS}
    plans = (
        demo.Plan("1.", "L001", "台账", by_code["scjg"].upload, ("approve1", "approve2")),
        demo.Plan("1.", "S001", "台账", by_code["sthj"].upload, by_code["sthj"].steps),
        demo.Plan("2.", "S002", "方案", by_code["xcb"].upload, by_code["xcb"].steps),
    )
    monkeypatch.setattr(demo, "PLANS", plans)
    monkeypatch.setattr(demo, "REUSE", ("1.", "L001", "2."))  # L001 does not owe 2.: skipped
    out = StringIO()
    assert demo.load_demo_archives(out) == 3
    assert "档案管理：应报材料 3 项" in out.getvalue()
    states = {
        a.requirement.unit.code: (a.state, a.level, a.version.number)
        for a in Attachment.objects.select_related("requirement__unit", "version")
    }
    assert states == {
        "L001": (AttachmentState.APPROVED, 2, 1),
        "S001": (AttachmentState.APPROVED, 2, 2),
        "S002": (AttachmentState.RETURNED, 2, 1),
    }
    assert set(Review.objects.filter(level=2).values_list("reviewer__username", flat=True)) == {
        demo.REVIEWER
    }
    assert demo.load_demo_archives(StringIO()) == 0
    assert Material.objects.count() == 3
