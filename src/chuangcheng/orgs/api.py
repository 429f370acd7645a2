"""REST endpoints for regions and units under /api/v1/."""

from ninja import Router

regions_router = Router(tags=["regions"])
units_router = Router(tags=["units"])
