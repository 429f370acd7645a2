"""REST endpoints for accounts under /api/v1/."""

from ninja import Router

router = Router(tags=["accounts"])
