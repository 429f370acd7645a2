"""REST endpoints for frameworks under /api/v1/."""

from ninja import Router

router = Router(tags=["frameworks"])
