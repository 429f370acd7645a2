"""Fixtures of the command centre tests: the scoring tests' small framework."""

from __future__ import annotations

import pytest

from tests.conftest import World
from tests.scoring.conftest import Scored, build_scored


@pytest.fixture
def scored(world: World) -> Scored:
    return build_scored(world)
