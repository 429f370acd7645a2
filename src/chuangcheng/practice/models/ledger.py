"""The double-entry ledger behind the time bank and the civilization points bank.

Every movement is a :class:`LedgerTransaction` whose :class:`LedgerEntry` rows add up to zero,
so the sum over all accounts of a book is zero at all times. Balances are never stored: they are
the sum of an account's entries. A correction is a new transaction reversing an old one, never
an edit; entries are not updated or deleted (``domain.ledger`` is the only writer)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangcheng.practice.enums import AccountKind, Book, SystemAccount, TxnKind
from chuangcheng.practice.models.scoping import scope, staff_q


class AccountQuerySet(models.QuerySet["LedgerAccount"]):
    def visible_to(self, user: Any) -> AccountQuerySet:
        """Accounts of volunteers and households in the user's staff subtrees (system accounts
        for staff over their region), and the user's own volunteer and household accounts."""
        s = scope(user)
        if s.everything:
            return self.all()
        cond = staff_q(user, "region__path")
        if getattr(user, "is_authenticated", False):
            cond |= Q(volunteer__user=user) | Q(household__members=user)
        return self.filter(cond).distinct()


class LedgerAccount(models.Model):
    """One account in one book: a volunteer's hours, a household's (or a volunteer's) points, or
    one of the bank's own accounts (``system``) for a region."""

    book = models.CharField(_("book"), max_length=8, choices=Book.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=AccountKind.choices)
    system = models.CharField(
        _("system account"), max_length=20, choices=SystemAccount.choices, blank=True
    )
    volunteer = models.ForeignKey(
        "practice.Volunteer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    household = models.ForeignKey(
        "practice.Household",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    # Where the account lives: the owner's community, or the bank's region for system accounts.
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["book", "volunteer"],
                condition=Q(volunteer__isnull=False),
                name="ledger_one_account_per_volunteer",
            ),
            models.UniqueConstraint(
                fields=["book", "household"],
                condition=Q(household__isnull=False),
                name="ledger_one_account_per_household",
            ),
            models.UniqueConstraint(
                fields=["book", "system", "region"],
                condition=~Q(system=""),
                name="ledger_one_system_account_per_region",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=AccountKind.SYSTEM, volunteer__isnull=True, household__isnull=True)
                    & ~Q(system="")
                )
                | Q(kind=AccountKind.VOLUNTEER, volunteer__isnull=False, household__isnull=True)
                | Q(kind=AccountKind.HOUSEHOLD, household__isnull=False, volunteer__isnull=True),
                name="ledger_account_owner_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        owner = self.volunteer or self.household or self.get_system_display()
        return f"{self.get_book_display()} · {owner}"

    def scope_path(self) -> str:
        return self.region.path


class LedgerTransaction(models.Model):
    """A balanced movement between accounts of one book. ``reverses`` points at the transaction
    a correction undoes; a transaction is reversed at most once."""

    book = models.CharField(_("book"), max_length=8, choices=Book.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=TxnKind.choices)
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"


class LedgerEntry(models.Model):
    """One side of a transaction: a positive amount credits the account, a negative debits it."""

    txn = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["account", "txn"], name="ledger_entry_account_txn")]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_entry_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.amount}"
