"""Schemathesis over /api/v1/openapi.json, in process against the WSGI app, as an office user with
a bearer token over the ``world`` fixture: no operation answers 5xx
(docs/adr/0014-security.md).
``ROBUST_API_EXAMPLES`` raises the examples per operation (bench/README.md: the long form)."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error

from chuangcheng.accounts.models import ApiToken
from chuangcheng.wsgi import application
from tests.conftest import World

EXAMPLES = int(os.environ.get("ROBUST_API_EXAMPLES", "5"))


def _fuzz(headers: dict[str, str], examples: int) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=[not_a_server_error])
            # Collected, not raised, so one run lists every failing operation.
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"{case.method} {case.formatted_path}: {str(exc)[:800]}")

        run()
    return failures


@pytest.mark.django_db
def test_no_operation_answers_a_server_error(world: World) -> None:
    _, raw = ApiToken.issue(world.office, "schemathesis")
    # As Django's test client does: a request must not close the test's open transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        failures = _fuzz({"Authorization": f"Bearer {raw}"}, EXAMPLES)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert failures == []
