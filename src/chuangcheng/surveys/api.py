"""Surveys under /api/v1/surveys/: the same rules and querysets as the pages.

Design, fieldwork and results each keep their own router, mounted here."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["surveys"])
