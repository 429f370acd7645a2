"""The 爱心超市 of a site: its goods and stock, its redemption windows, its minimum balance.

Station staff (``practice.redeem`` on the site) keep the shelf. Stock only moves through one
conditional UPDATE (a take never drives it below zero); every change is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.models import Goods, PracticeSite, RedemptionWindow

GOODS_FIELDS = ("name", "description", "price", "active")


def _need(actor: Any, site: PracticeSite) -> None:
    if not actor.has_perm("practice.redeem", site):
        raise PermissionDenied


def save_goods(
    *, actor: Any, site: PracticeSite, data: dict[str, Any], goods: Goods | None = None
) -> Goods:
    """Put goods on a site's shelf (with an opening stock), or change their name, price or
    whether they are on the shelf. Stock changes go through :func:`adjust_stock`."""
    target = goods.site if goods is not None else site
    _need(actor, target)
    name = str(data.get("name", "")).strip()
    price = int(data.get("price") or 0)
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Name the goods.")]
    if price <= 0:
        errors["price"] = [_("The price is at least one point.")]
    if errors:
        raise PracticeError(errors)
    with transaction.atomic():
        before = audit.snapshot(goods, GOODS_FIELDS) if goods is not None else None
        obj = goods if goods is not None else Goods(site=target, stock=int(data.get("stock") or 0))
        obj.name = name
        obj.description = str(data.get("description", "")).strip()
        obj.price = price
        obj.active = bool(data.get("active", True))
        if goods is None:
            obj.save()
        else:
            obj.save(update_fields=[*GOODS_FIELDS])
        after = audit.snapshot(obj, GOODS_FIELDS)
        if goods is None:
            after["stock"] = obj.stock
        audit.record(
            actor,
            AuditAction.UPDATE if before is not None else AuditAction.CREATE,
            obj,
            before=before,
            after=after,
        )
    return obj


def adjust_stock(goods: Goods, *, actor: Any, delta: int, reason: str) -> int:
    """Add ``delta`` (negative to remove: spoiled, lost, counted wrong) to the stock, with a
    reason; returns the new stock. Refused when it would go below zero."""
    _need(actor, goods.site)
    if delta == 0:
        raise PracticeError({"delta": [_("Enter how many to add or remove.")]})
    if not reason.strip():
        raise PracticeError({"reason": [_("Say why the stock changes.")]})
    with transaction.atomic():
        rows = Goods.objects.filter(pk=goods.pk, stock__gte=max(0, -delta)).update(
            stock=F("stock") + delta
        )
        if rows == 0:
            raise PracticeError({"delta": [_("There are not that many in stock to remove.")]})
        stock = Goods.objects.values_list("stock", flat=True).get(pk=goods.pk)
        audit.record(
            actor,
            AuditAction.UPDATE,
            goods,
            before={"stock": stock - delta},
            after={"stock": stock},
            note=reason.strip()[:200],
        )
    goods.stock = stock
    return stock


def set_rules(
    site: PracticeSite,
    *,
    actor: Any,
    min_balance: int,
    windows: Iterable[tuple[int, dt.time, dt.time]],
) -> None:
    """Replace the site's redemption windows and minimum balance (audited). No windows means
    the counter redeems whenever it is open."""
    _need(actor, site)
    wanted = sorted(set(windows))
    for weekday, starts, ends in wanted:
        if not 0 <= weekday <= 6 or ends <= starts:
            raise PracticeError({"windows": [_("A window ends after it starts.")]})
    if min_balance < 0:
        raise PracticeError({"min_balance": [_("The minimum balance cannot be negative.")]})
    with transaction.atomic():
        before = {"min_redeem_balance": site.min_redeem_balance, "windows": window_list(site)}
        PracticeSite.objects.filter(pk=site.pk).update(min_redeem_balance=min_balance)
        site.min_redeem_balance = min_balance
        RedemptionWindow.objects.filter(site=site).delete()
        RedemptionWindow.objects.bulk_create(
            [RedemptionWindow(site=site, weekday=w, starts=s, ends=e) for w, s, e in wanted]
        )
        after = {"min_redeem_balance": min_balance, "windows": window_list(site)}
        audit.record(actor, AuditAction.UPDATE, site, before=before, after=after)


def window_list(site: PracticeSite) -> list[str]:
    return [
        f"{w.weekday} {w.starts:%H:%M}-{w.ends:%H:%M}"
        for w in RedemptionWindow.objects.filter(site=site).order_by("weekday", "starts")
    ]


def open_now(windows: list[RedemptionWindow], now: dt.datetime | None = None) -> bool:
    """Whether ``now`` (local time) falls inside one of ``windows``; True when there are none."""
    if not windows:
        return True
    local = timezone.localtime(now)
    moment = local.time()
    return any(w.weekday == local.weekday() and w.starts <= moment < w.ends for w in windows)
