"""Surveys under /api/v1/surveys/: the same rules and querysets as the pages."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["surveys"])
