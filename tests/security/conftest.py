"""The matrix sends hundreds of requests from one address: the rate limiter (tested on its own
in tests/core/test_ratelimit.py) must not turn its cells into 429s."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def no_rate_limits(settings: Any) -> None:
    settings.LOGIN_RATE_LIMIT = (10**9, 60)
    settings.PUBLIC_RATE_LIMIT = (10**9, 60)
