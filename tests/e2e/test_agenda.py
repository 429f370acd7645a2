"""创建日历 in the browser: a unit's clerk marks yesterday's patrol done on a phone (with a note,
two taps), then the office finds it, late, in the completion overview on the desktop."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from chuangcheng.agenda.models import TaskOccurrence
from tests.agenda.conftest import build_agenda
from tests.e2e.conftest import fits, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_unit_marks_a_task_done_on_a_phone_and_the_office_sees_it(
    phone: Any, page: Any, live_server: Any, world: Any, password: str
) -> None:
    ag = build_agenda(world)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    target = TaskOccurrence.objects.get(series=ag.daily, unit=world.unit_s1, due_date=yesterday)
    base = live_server.url

    log_in(phone, base, "unit_s1", password)
    phone.goto(f"{base}/agenda/tasks/")
    assert fits(phone)
    shot(phone, "agenda-my-tasks-375")
    row = f"#occ-{target.pk}"
    # Another unit's tasks are not on the page.
    assert TaskOccurrence.objects.filter(unit=world.unit_s2).exists()
    assert (
        phone.locator("li.ag-task").count()
        == TaskOccurrence.objects.filter(
            unit=world.unit_s1, due_date__lte=timezone.localdate()
        ).count()
    )
    taps = 0
    phone.click(f"{row} .ag-note summary")
    taps += 1
    phone.fill(f"{row} input[name=note]", "补巡查：东华门大街")
    phone.click(f"{row} button.ag-donebtn")
    taps += 1
    phone.wait_for_load_state("networkidle")
    assert taps == 2
    assert "已完成（逾期）：日巡查。" in phone.inner_text(".messages")
    assert fits(phone)
    target.refresh_from_db()
    assert (target.completed_by, target.note, target.late) == (
        world.user_s1,
        "补巡查：东华门大街",
        True,
    )

    log_in(page, base, "office", password)
    page.goto(f"{base}/agenda/completion/?period={yesterday:%Y-%m}")
    block = page.locator("tbody.ag-unitblock", has_text="东华门街道办事处")
    line = block.locator("tr", has_text="日巡查")
    cells = line.locator("td.num").all_inner_texts()
    assert cells[2] == "1"  # late
    shot(page, "agenda-completion-1280")
    line.locator("td.num >> nth=2").locator("a").click()
    page.wait_for_load_state("networkidle")
    assert "补巡查：东华门大街" in page.inner_text("main table")
    assert "逾期完成" in page.inner_text("main table")
