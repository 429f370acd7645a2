"""The office's settings pages: warning rules (the form's parameter fields come from the kind)
and group robots with a "send a test message" button. Thin: form → domain → redirect.

Rules and robots outside the user's regions answer 404; saving one for a region the office
does not oversee is refused by the domain.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chuangcheng.alerts.domain.actions import save_rule, save_target
from chuangcheng.alerts.domain.kinds import KINDS
from chuangcheng.alerts.domain.params import ParamError
from chuangcheng.alerts.domain.webhooks import send_test
from chuangcheng.alerts.enums import OPEN, WarningLevel
from chuangcheng.alerts.forms import RuleForm, TargetForm, kind_choices
from chuangcheng.alerts.models import WarningRule, WebhookTarget
from chuangcheng.core.models_messages import Delivery


def _need(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


@login_required
@require_http_methods(["GET"])
def rule_list(request: HttpRequest) -> HttpResponse:
    _need(request, "alerts.manage_rules")
    rules = list(
        WarningRule.objects.visible_to(request.user)
        .select_related("region")
        .annotate(open_count=Count("warnings", filter=Q(warnings__status__in=OPEN)))
        .order_by("name")
    )
    for rule in rules:
        kind = KINDS.get(rule.kind)
        rule.kind_label = str(kind.label) if kind else rule.kind  # type: ignore[attr-defined]
    return render(
        request,
        "alerts/rules.html",
        {
            "rules": rules,
            "kinds": kind_choices(),
            "may_evaluate": request.user.has_perm("alerts.evaluate"),
        },
    )


def _rule_page(request: HttpRequest, rule: WarningRule | None, kind: str) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    initial = (
        {}
        if rule is None
        else {
            "name": rule.name,
            "level": rule.level,
            "region": rule.region_id,
            "enabled": rule.enabled,
            "notify_in_app": rule.notify_in_app,
            "notify_email": rule.notify_email,
            "notify_sms": rule.notify_sms,
            "notify_webhooks": rule.notify_webhooks,
            "repeat_hours": rule.repeat_hours,
        }
    )
    form = RuleForm(data, user=request.user, kind=kind, rule=rule, initial=initial)
    if data is not None and form.is_valid():
        try:
            saved = save_rule(rule, form.data_for_domain(), actor=request.user)
        except ParamError as exc:
            form.show_errors(exc.errors)
        except PermissionDenied:
            form.add_error("region", _("You may not set rules for this region."))
        else:
            messages.success(request, _("The rule “%(name)s” is saved.") % {"name": saved.name})
            return redirect("alerts:rules")
    return render(
        request,
        "alerts/rule_form.html",
        {"form": form, "rule": rule, "kind": KINDS.get(kind)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_create(request: HttpRequest) -> HttpResponse:
    _need(request, "alerts.manage_rules")
    kind = str(request.POST.get("kind") or request.GET.get("kind") or "")
    if kind not in KINDS:
        kind = kind_choices()[0][0] if KINDS else ""
    return _rule_page(request, None, kind)


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, "alerts.manage_rules")
    rule = get_object_or_404(WarningRule.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm("alerts.manage_rules", rule):
        raise PermissionDenied
    return _rule_page(request, rule, rule.kind)


@login_required
@require_http_methods(["GET"])
def target_list(request: HttpRequest) -> HttpResponse:
    _need(request, "alerts.manage_webhooks")
    targets = list(WebhookTarget.objects.visible_to(request.user).select_related("region"))
    labels = dict(WarningLevel.choices)
    for t in targets:
        t.level_labels = [labels.get(v, v) for v in t.levels or []]  # type: ignore[attr-defined]
    return render(request, "alerts/targets.html", {"targets": targets})


def _target_page(request: HttpRequest, target: WebhookTarget | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    initial = (
        {"levels": [str(v) for v in WarningLevel.values]}
        if target is None
        else {
            "name": target.name,
            "format": target.format,
            "levels": target.levels,
            "region": target.region_id,
            "enabled": target.enabled,
        }
    )
    form = TargetForm(data, user=request.user, target=target, initial=initial)
    if data is not None and form.is_valid():
        try:
            saved = save_target(target, form.data_for_domain(), actor=request.user)
        except ParamError as exc:
            form.show_errors(exc.errors)
        except PermissionDenied:
            form.add_error("region", _("You may not add robots for this region."))
        else:
            messages.success(
                request, _("The group robot “%(name)s” is saved.") % {"name": saved.name}
            )
            return redirect("alerts:targets")
    return render(request, "alerts/target_form.html", {"form": form, "target": target})


@login_required
@require_http_methods(["GET", "POST"])
def target_create(request: HttpRequest) -> HttpResponse:
    _need(request, "alerts.manage_webhooks")
    return _target_page(request, None)


def _visible_target(request: HttpRequest, pk: int) -> WebhookTarget:
    _need(request, "alerts.manage_webhooks")
    target = get_object_or_404(WebhookTarget.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm("alerts.manage_webhooks", target):
        raise PermissionDenied
    return target


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _target_page(request, _visible_target(request, pk))


@login_required
@require_POST
def target_test(request: HttpRequest, pk: int) -> HttpResponse:
    target = _visible_target(request, pk)
    message = send_test(target, actor=request.user)
    if message.status == Delivery.SENT:
        messages.success(request, _("The test message reached “%(name)s”.") % {"name": target.name})
    else:
        messages.error(
            request,
            _("The test message to “%(name)s” failed: %(error)s. It will be retried.")
            % {"name": target.name, "error": message.last_error or message.get_status_display()},
        )
    return redirect("alerts:targets")
