"""Practice under /api/v1/practice/: the same rules and querysets as the pages.

The network, orders, wishes, banks and figures each keep their own router, mounted here."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["practice"])

from chuangcheng.practice.api_figures import router as figures_router  # noqa: E402
from chuangcheng.practice.api_network import router as network_router  # noqa: E402

router.add_router("", network_router)
router.add_router("", figures_router)
