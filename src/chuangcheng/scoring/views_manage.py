"""Negative-list events and clause rules: lists for readers, forms for the office."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chuangcheng.frameworks.models import Node
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.scoring.domain import access
from chuangcheng.scoring.domain.explain import rule_words
from chuangcheng.scoring.domain.manage import (
    clause_methods,
    record_negative_event,
    save_rule,
    scored_nodes,
)
from chuangcheng.scoring.domain.reading import campaign_region
from chuangcheng.scoring.domain.tree import load_tree
from chuangcheng.scoring.forms import NegativeEventForm, RuleForm
from chuangcheng.scoring.models import ClauseRule, NegativeEvent

EVENTS_PER_PAGE = 50


def _office_regions(user: Any) -> list[Region]:
    return [r for r in access.overview_regions(user) if user.has_perm("scoring.compute_scores", r)]


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@login_required
def negative_list(request: HttpRequest) -> HttpResponse:
    """The events the user may see; the office records a new one here."""
    if not access.may_view(request.user):
        raise PermissionDenied
    regions = _office_regions(request.user)
    form = None
    if regions:
        cond = Q(pk__in=[])
        for r in regions:
            cond |= Q(path__startswith=r.path)
        form = NegativeEventForm(
            request.POST or None,
            clauses=scored_nodes(),
            regions=Region.objects.filter(cond).order_by("path"),
            units=Unit.objects.visible_to(request.user).order_by("code"),
        )
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            ev = record_negative_event(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Recorded “%(t)s”; the live scores of that period were recomputed.")
                % {"t": ev.title},
            )
            return redirect("scoring:negative")
    events = NegativeEvent.objects.visible_to(request.user).select_related(
        "clause", "region", "unit", "recorded_by"
    )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "scoring/negative.html", {"form": form, "page": page})


def _need_rules(request: HttpRequest) -> None:
    if not request.user.has_perm("scoring.manage_rules", campaign_region()):
        raise PermissionDenied


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    """Each scored node of the framework in force with its rule (defaults where none is set)."""
    _need_rules(request)
    nodes = scored_nodes()
    tree = load_tree(nodes[0].framework_id) if nodes else None
    rules = {r.node_id: r for r in ClauseRule.objects.filter(node__in=nodes)}
    rows = []
    for n in nodes:
        words = rule_words(tree, n.pk) if tree is not None else None
        rows.append({"node": n, "rule": rules.get(n.pk), "words": words})
    return render(request, "scoring/rules.html", {"rows": rows})


@login_required
def rule_edit(request: HttpRequest, node_id: int) -> HttpResponse:
    _need_rules(request)
    node = Node.objects.filter(pk__in=[n.pk for n in scored_nodes()], pk=node_id).first()
    if node is None:
        raise Http404
    methods = clause_methods(node)
    rule = ClauseRule.objects.filter(node=node).first()
    form = RuleForm(
        request.POST or None, methods=methods, initial=RuleForm.initial_for(rule, methods)
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_rule(
                actor=request.user,
                node=node,
                field_rule=form.cleaned_data["field_rule"],
                deduction=form.cleaned_data["deduction"],
                weights=form.weights(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Rule of %(n)s saved; live scores follow it at their next recompute.")
                % {"n": node.number},
            )
            return redirect("scoring:rules")
    return render(request, "scoring/rule_edit.html", {"form": form, "node": node})
