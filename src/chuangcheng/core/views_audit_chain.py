"""The audit administrator's check of the audit log's hash chain (docs/adr/0014)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chuangcheng.core import audit_chain


@login_required
@require_GET
def audit_verify(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("accounts.view_audit"):
        raise Http404
    verdict = audit_chain.verify()
    # Groups of 16 let the 64-digit hash wrap on a phone; it is meant to be copied down.
    head = " ".join(verdict.head_hash[i : i + 16] for i in range(0, len(verdict.head_hash), 16))
    return render(request, "core/audit_verify.html", {"verdict": verdict, "head": head})
