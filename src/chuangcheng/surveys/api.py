"""Surveys under /api/v1/surveys/: the same rules and querysets as the pages.

Design, fieldwork and results each keep their own router, mounted here."""

from __future__ import annotations

from ninja import Router

from chuangcheng.surveys.api_design import design_router
from chuangcheng.surveys.api_fieldwork import router as fieldwork_router
from chuangcheng.surveys.api_results import router as results_router

router = Router(tags=["surveys"])
router.add_router("", design_router)
router.add_router("", fieldwork_router)
router.add_router("", results_router)
