"""Practice side (新时代文明实践): the network, service orders, wishes and the two banks.

One module per aggregate; see ADR 0013 for who sees what."""

from chuangcheng.practice.models.ledger import LedgerAccount, LedgerEntry, LedgerTransaction
from chuangcheng.practice.models.network import (
    Household,
    PracticeSite,
    ServiceCategory,
    Team,
    Volunteer,
)
from chuangcheng.practice.models.orders import OrderEvent, OrderPhoto, ServiceOrder
from chuangcheng.practice.models.points import (
    ConventionItem,
    Goods,
    PointsAward,
    Redemption,
    RedemptionWindow,
)
from chuangcheng.practice.models.wishes import Wish, WishEvent, WishPhoto

__all__ = [
    "ConventionItem",
    "Goods",
    "Household",
    "LedgerAccount",
    "LedgerEntry",
    "LedgerTransaction",
    "OrderEvent",
    "OrderPhoto",
    "PointsAward",
    "PracticeSite",
    "Redemption",
    "RedemptionWindow",
    "ServiceCategory",
    "ServiceOrder",
    "Team",
    "Volunteer",
    "Wish",
    "WishEvent",
    "WishPhoto",
]
