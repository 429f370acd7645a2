"""Practice under /api/v1/practice/: the same rules and querysets as the pages.

The network, orders, wishes, banks and figures each keep their own router, mounted here."""

from __future__ import annotations

from ninja import Router

from chuangcheng.practice.api_orders import router as orders_router
from chuangcheng.practice.api_wishes import router as wishes_router

router = Router(tags=["practice"])
router.add_router("", orders_router)
router.add_router("", wishes_router)
router.add_router("/bank", "chuangcheng.practice.api_bank.router")
router.add_router("", "chuangcheng.practice.api_network.router")
router.add_router("", "chuangcheng.practice.api_figures.router")
