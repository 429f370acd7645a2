"""Two phones (or a phone and its retry timer) sending the same record at once: stored once."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from chuangcheng.cases.models import Case
from chuangcheng.inspections.domain import planning
from chuangcheng.inspections.domain.submit import ItemData, SubmissionData, submit_inspection
from chuangcheng.inspections.models import Inspection, RoundPoint
from tests.conftest import World
from tests.inspections.conftest import inspector
from tests.inspections.helpers import make_round

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # SQLite lets one writer in at a time and the test database refuses the second outright.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL"),
]


def test_simultaneous_replays_store_one_inspection(
    world: World, fw, categories: dict[str, Any], media: Path
) -> None:
    walker = inspector("w1", world.district)
    round_ = make_round(world, fw, quotas={world.alley.pk: 1}, inspectors=[walker])
    planning.open_round(round_, actor=world.office)
    client_id = uuid.uuid4()
    barrier = threading.Barrier(2)
    outcomes: list[Any] = []

    def send() -> None:
        try:
            rp = RoundPoint.objects.select_related("round", "point").get(round=round_)
            data = SubmissionData(
                client_id=client_id, round_point=rp, items=[ItemData(fw.clean.pk, "fail")]
            )
            barrier.wait()
            outcomes.append(submit_inspection(data, actor=walker).created)
        except Exception as exc:  # reported by the assertion below
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes, key=str) == [False, True]
    assert Inspection.objects.count() == 1 and Case.objects.count() == 1
