"""REST endpoints for points under /api/v1/."""

from ninja import Router

router = Router(tags=["points"])
