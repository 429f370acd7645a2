"""The ledger of both banks: accounts with balances, an account's statement with a running
balance, its export (.xlsx / .csv, audited), and the office's correction of a transaction.

Accounts come from ``LedgerAccount.objects.visible_to``: staff see their subtrees, a resident or
volunteer their own accounts; anything else answers 404."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods

from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.core.workbook import data_workbook
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region
from chuangcheng.practice.domain import statements
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.enums import Book
from chuangcheng.practice.forms_bank import AccountFilterForm, PeriodForm, ReasonForm
from chuangcheng.practice.models import LedgerAccount, LedgerTransaction
from chuangcheng.practice.views_access import need

PAGE = 50
CONTENT_TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPE_CSV = "text/csv; charset=utf-8"


def _communities(user: object) -> list[tuple[str, str]]:
    """Communities in the user's staff subtrees, for the filter."""
    from chuangcheng.practice.models.scoping import staff_q

    found = Region.objects.filter(staff_q(user, "path"), level=RegionLevel.COMMUNITY)
    return [(r.path, r.name) for r in found.order_by("path")[:500]]


@login_required
@require_GET
def accounts(request: HttpRequest) -> HttpResponse:
    """Accounts of one book with their balances (one grouped query per page); never ranked."""
    need(request, "practice.view_network")
    form = AccountFilterForm(request.GET or None, regions=_communities(request.user))
    data = form.cleaned_data if form.is_valid() else {}
    book = data.get("book") or Book.POINTS
    qs = statements.accounts_queryset(
        request.user,
        book=book,
        kind=data.get("kind", ""),
        region=data.get("region", ""),
        q=data.get("q", ""),
    )
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "practice/bank/accounts.html",
        {
            "form": form,
            "book": book,
            "page": page,
            "rows": statements.with_balances(list(page.object_list)),
        },
    )


def _account(request: HttpRequest, pk: int) -> LedgerAccount:
    found = (
        LedgerAccount.objects.visible_to(request.user)
        .select_related("region", "household", "volunteer")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


@login_required
@require_GET
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The statement of one account for a period, with a running balance."""
    account = _account(request, pk)
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    if not period.is_bound:
        period = PeriodForm(initial={"start": start, "end": end})
    st = statements.statement(account, start, end)
    may_correct = request.user.has_perm("practice.correct_ledger", account)
    return render(
        request,
        "practice/bank/account_detail.html",
        {
            "account": account,
            "label": statements.account_label(account),
            "st": st,
            "period": period,
            "query": f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}",
            "may_correct": may_correct,
            "is_time": account.book == Book.TIME,
        },
    )


@login_required
@require_GET
def account_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The statement as .xlsx or .csv; written to the audit log as an export."""
    if fmt not in ("xlsx", "csv"):
        raise Http404
    account = _account(request, pk)
    start, end = PeriodForm(request.GET or None).period()
    st = statements.statement(account, start, end)
    headers, rows = statements.statement_table(st)
    audit.record(
        request.user,
        AuditAction.EXPORT,
        account,
        note=f"statement {start:%Y-%m-%d}..{end:%Y-%m-%d} {fmt}, {len(st.lines)} rows",
    )
    name = f"statement-{account.pk}-{start:%Y%m%d}-{end:%Y%m%d}"
    if fmt == "csv":
        # With a byte-order mark Excel opens the UTF-8 file with its Chinese intact.
        response = HttpResponse("\ufeff" + _csv(headers, rows), content_type=CONTENT_TYPE_CSV)
    else:
        title = str(pgettext("bank", "Statement"))
        response = HttpResponse(
            data_workbook([(title, headers, rows)]), content_type=CONTENT_TYPE_XLSX
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _csv(headers: list[str], rows: list[list[object]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buf.getvalue()


@login_required
@require_http_methods(["GET", "POST"])
def txn_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Reverse a transaction with a reason (office): an award or a redemption through its own
    domain, so stock and statuses follow."""
    visible = LedgerAccount.objects.visible_to(request.user)
    txn = (
        LedgerTransaction.objects.filter(pk=pk, entries__account__in=visible)
        .prefetch_related(
            "entries__account__region",
            "entries__account__household",
            "entries__account__volunteer",
        )
        .distinct()
        .first()
    )
    if txn is None:
        raise Http404
    if not statements.may_correct(request.user, txn):
        raise PermissionDenied
    back = request.GET.get("account", "")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            statements.correct(txn, actor=request.user, reason=form.cleaned_data["reason"])
        except PracticeError as exc:
            for message in (m for ms in exc.errors.values() for m in ms):
                form.add_error(None, message)
        else:
            messages.success(request, _("The transaction is reversed."))
            if back.isdigit():
                return redirect("practice:account_detail", pk=int(back))
            return redirect("practice:accounts")
    entries = [(e, statements.account_label(e.account)) for e in txn.entries.all()]
    return render(
        request,
        "practice/bank/txn_correct.html",
        {
            "txn": txn,
            "entries": entries,
            "form": form,
            "back": back,
            "at": timezone.localtime(txn.created_at),
        },
        status=400 if form.errors else 200,
    )
