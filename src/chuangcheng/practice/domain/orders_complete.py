"""圆单: the volunteer reports the service done, with hours, a note and evidence photos, and the
hours go into the time bank.

The hours are credited in the TIME book of the double-entry ledger, in the same transaction as
the status change, so an order is completed and credited together or not at all:

- an ordinary order: ``SERVICE_CREDIT`` from the bank's "hours credited" account of the
  station's district to the volunteer's account;
- an order paid with banked hours (时间银行 存取: ``paid_by`` is a volunteer ordering for their
  family): ``SERVICE_SPEND`` from the payer's account to the provider's, after both accounts
  are locked and the payer's balance checked — refused when it is short.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.cases.domain.photos import PhotoRejectedError, discard_files_on_failure
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region
from chuangcheng.orgs.paths import containing_paths
from chuangcheng.practice.domain import ledger
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.orders import check_edge, in_site_language, move, tell
from chuangcheng.practice.enums import Book, OrderStatus, SystemAccount, TxnKind
from chuangcheng.practice.interfaces.photos import store_files
from chuangcheng.practice.models import LedgerTransaction, OrderPhoto, ServiceOrder

MAX_HOURS = Decimal("24")
MAX_PHOTOS = 6
MAX_NOTE = 1000
TENTH = Decimal("0.1")


def district_of(region: Region) -> Region:
    """The district holding ``region`` (the region itself when none is above it): the time
    bank issues hours per district."""
    found = (
        Region.objects.filter(
            path__in=sorted(containing_paths([region.path])), level=RegionLevel.DISTRICT
        )
        .order_by("-path")
        .first()
    )
    return found or region


def clean_hours(raw: Any) -> Decimal:
    """Hours as a Decimal with at most one decimal place, more than 0 and at most 24."""
    try:
        hours = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError) as exc:
        raise PracticeError({"hours": [_("Enter the hours served, e.g. 1.5.")]}) from exc
    if not hours.is_finite() or hours <= 0 or hours > MAX_HOURS:
        raise PracticeError({"hours": [_("Hours must be more than 0 and at most 24.")]})
    if hours != hours.quantize(TENTH):
        raise PracticeError({"hours": [_("Give hours to one decimal place, e.g. 1.5.")]})
    return hours.quantize(TENTH)


def _credit(order: ServiceOrder, hours: Decimal, actor: Any) -> LedgerTransaction:
    assert order.accepted_by is not None
    provider = ledger.volunteer_account(Book.TIME, order.accepted_by)
    memo = f"{order.code} {order.category.name}"
    if order.paid_by is None:
        issued = ledger.system_account(
            Book.TIME, SystemAccount.TIME_ISSUED, district_of(order.site.region)
        )
        return ledger.post(
            Book.TIME,
            TxnKind.SERVICE_CREDIT,
            [(issued, -hours), (provider, hours)],
            actor=actor,
            memo=memo,
        )
    payer = ledger.volunteer_account(Book.TIME, order.paid_by)
    ledger.lock([payer, provider])
    banked = ledger.balance(payer)
    if banked < hours:
        raise PracticeError(
            {
                "hours": [
                    _(
                        "%(name)s pays for this service with banked hours but has only "
                        "%(banked)s hours, fewer than the %(hours)s hours served."
                    )
                    % {"name": order.paid_by.name, "banked": banked, "hours": hours}
                ]
            }
        )
    return ledger.post(
        Book.TIME,
        TxnKind.SERVICE_SPEND,
        [(payer, -hours), (provider, hours)],
        actor=actor,
        memo=memo,
    )


def may_complete(order: ServiceOrder, actor: Any) -> bool:
    """The volunteer who took the order, or station staff for a volunteer without a phone."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if order.accepted_by is not None and order.accepted_by.user_id == actor.pk:
        return True
    return bool(actor.has_perm("practice.dispatch_order", order))


@transaction.atomic
def complete(
    order: ServiceOrder,
    *,
    actor: Any,
    hours: Any,
    note: str = "",
    files: Sequence[Any] = (),
) -> ServiceOrder:
    """圆单: mark the accepted order done with ``hours`` (0 < h ≤ 24, one decimal) and credit
    them in the time bank (see the module's docstring). Photos are checked and stored through
    the cases photo pipeline; when anything is refused nothing is stored, files included."""
    if not may_complete(order, actor):
        raise PermissionDenied
    clean = clean_hours(hours)
    if len(note.strip()) > MAX_NOTE:
        raise PracticeError(
            {"note": [_("Keep the note under %(n)d characters.") % {"n": MAX_NOTE}]}
        )
    if len(files) > MAX_PHOTOS:
        raise PracticeError({"photos": [_("At most %(n)d photos.") % {"n": MAX_PHOTOS}]})
    fresh = ServiceOrder.objects.select_for_update(of=("self",)).get(pk=order.pk)
    order.status = fresh.status
    check_edge(order.status, OrderStatus.COMPLETED)
    try:
        with discard_files_on_failure():
            photos = store_files(list(files), actor=actor) if files else []
            txn = _credit(order, clean, actor)
            move(
                order,
                OrderStatus.COMPLETED,
                actor=actor,
                note=note.strip(),
                stale=_("This order has just been completed."),
                hours=clean,
                completion_note=note.strip(),
                completed_at=timezone.now(),
                credit_txn=txn,
            )
            OrderPhoto.objects.bulk_create([OrderPhoto(order=order, photo=p) for p in photos])
    except PhotoRejectedError as exc:
        raise PracticeError({"photos": [m for ms in exc.errors.values() for m in ms]}) from exc
    with in_site_language():
        tell(
            order,
            "completed",
            [order.requester_user],
            _("Your service order %(code)s is done: please rate it") % {"code": order.code},
            _("%(hours)s hours of service by %(name)s.")
            % {"hours": clean, "name": order.accepted_by.name if order.accepted_by else ""},
        )
    return order
