"""Framework pages: thin views that parse, call the domain or the queries, and render."""

from __future__ import annotations

from collections import Counter
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangcheng.accounts.scope import scope_of
from chuangcheng.frameworks import domain
from chuangcheng.frameworks.enums import METHOD_LABELS_ZH, FrameworkStatus, Method, NodeLevel
from chuangcheng.frameworks.forms import ImportForm, NodeForm
from chuangcheng.frameworks.interfaces import exporter
from chuangcheng.frameworks.interfaces.importer import build_plan, code_from_filename
from chuangcheng.frameworks.models import Framework, Node
from chuangcheng.frameworks.queries import framework_tree, frameworks_with_counts, method_mix, walk


def _readable(request: HttpRequest, pk: int) -> Framework:
    return get_object_or_404(Framework.objects.visible_to(request.user), pk=pk)


def _require_manage(request: HttpRequest) -> None:
    # Hiding what one may not do: 404, not 403 (the pages do not confirm that they exist).
    if not request.user.has_perm(domain.PERM):
        raise Http404


def method_badges(counter: Counter[str]) -> list[tuple[str, str, int]]:
    return [(m.value, METHOD_LABELS_ZH[m], counter[m.value]) for m in Method if counter[m.value]]


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    if not (scope.everything or scope.roles):
        # A user without any grant does not learn that the page exists.
        raise Http404
    frameworks = list(frameworks_with_counts(request.user))
    mix = method_mix(f.pk for f in frameworks)
    for framework in frameworks:
        framework.methods_mix = method_badges(mix.get(framework.pk, Counter()))  # type: ignore[attr-defined]
    groups = [(code, list(items)) for code, items in groupby(frameworks, key=lambda f: f.code)]
    return render(
        request,
        "frameworks/list.html",
        {"groups": groups, "can_manage": request.user.has_perm(domain.PERM)},
    )


def _filters(request: HttpRequest) -> dict[str, str]:
    return {k: request.GET.get(k, "").strip() for k in ("method", "unit", "point_type", "q")}


def _clause_matches(node: Node, ancestors: list[Node], f: dict[str, str]) -> bool:
    if f["method"] and f["method"] not in node.methods:
        return False
    if f["unit"]:
        ids = {str(node.lead_unit_id)} | {str(u.pk) for u in node.partner_units.all()}
        if f["unit"] not in ids:
            return False
    if f["point_type"] and f["point_type"] not in {str(t.pk) for t in node.point_types.all()}:
        return False
    if f["q"]:
        texts = [node.text, *(a.text for a in ancestors)]
        return any(f["q"].lower() in t.lower() for t in texts)
    return True


def _mark_shown(nodes: list[Node], ancestors: list[Node], f: dict[str, str]) -> bool:
    """Set ``shown`` on every node: a standard that matches the filters, or a node above one."""
    any_shown = False
    for node in nodes:
        if node.level == NodeLevel.STANDARD:
            node.shown = _clause_matches(node, ancestors, f)  # type: ignore[attr-defined]
        else:
            node.shown = _mark_shown(node.kids, [*ancestors, node], f)  # type: ignore[attr-defined]
        any_shown = any_shown or node.shown  # type: ignore[attr-defined]
    return any_shown


@login_required
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _readable(request, pk)
    roots = framework_tree(framework)
    filters = _filters(request)
    _mark_shown(roots, [], filters)
    clauses = [n for n in walk(roots) if n.level == NodeLevel.STANDARD]
    units: dict[int, Any] = {}
    types: dict[int, Any] = {}
    by_method: Counter[str] = Counter()
    for clause in clauses:
        by_method.update(clause.methods)
        for unit in [clause.lead_unit, *clause.partner_units.all()]:
            if unit is not None:
                units[unit.pk] = unit
        for point_type in clause.point_types.all():
            types[point_type.pk] = point_type
    total = sum((r.subtotal for r in roots if r.subtotal is not None), start=0)  # type: ignore[attr-defined]
    can_manage = request.user.has_perm(domain.PERM)
    return render(
        request,
        "frameworks/detail.html",
        {
            "framework": framework,
            "roots": roots,
            "filters": filters,
            "filtering": any(filters.values()),
            "n_shown": len([c for c in clauses if getattr(c, "shown", False)]),
            "n_clauses": len(clauses),
            "n_projects": len(roots),
            "total": total,
            "by_method": method_badges(by_method),
            "method_options": [(m.value, METHOD_LABELS_ZH[m]) for m in Method],
            "unit_options": sorted(units.values(), key=lambda u: u.short_name or u.name),
            "type_options": sorted(types.values(), key=lambda t: (t.seq, t.name)),
            "can_manage": can_manage,
            "editable": can_manage and framework.status == FrameworkStatus.DRAFT,
            "formats": exporter.FORMATS,
        },
    )


@login_required
@require_GET
def framework_import_template(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    from chuangcheng.frameworks.interfaces.template import framework_template

    response = HttpResponse(
        framework_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="framework-template.xlsx"'
    return response


@login_required
def framework_import(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    problems: list[Any] = []
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        plan = build_plan(
            upload.name, upload.read(), create_missing=form.cleaned_data["create_missing"]
        )
        problems = plan.problems
        if not problems:
            code = form.cleaned_data["code"] or code_from_filename(upload.name)
            previous = Framework.objects.filter(code=code).order_by("-version").first()
            result = domain.import_framework(
                actor=request.user,
                roots=plan.roots,
                unit_ids=plan.unit_ids,
                point_type_ids=plan.point_type_ids,
                missing_units=plan.missing_units,
                missing_point_types=plan.missing_point_types,
                code=code,
                name=form.cleaned_data["name"] or (previous.name if previous else code),
                activate=form.cleaned_data["activate"],
                source_file=upload.name,
            )
            messages.success(
                request,
                _("Imported %(name)s version %(version)s with %(count)s standards.")
                % {
                    "name": result.framework.name,
                    "version": result.framework.version,
                    "count": len(plan.clauses()),
                },
            )
            if result.created_units:
                messages.info(
                    request,
                    _("Units created: %(names)s")
                    % {"names": "、".join(u.name for u in result.created_units)},
                )
            if result.created_point_types:
                messages.info(
                    request,
                    _("Point types created: %(names)s")
                    % {"names": "、".join(t.name for t in result.created_point_types)},
                )
            return redirect("frameworks:detail", pk=result.framework.pk)
    return render(
        request,
        "frameworks/import.html",
        {"form": form, "problems": problems},
        status=422 if problems else 200,
    )


@login_required
def framework_export(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _readable(request, pk)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in exporter.FORMATS:
        raise Http404
    data = exporter.export(framework, fmt)
    domain.record_export(actor=request.user, framework=framework, fmt=fmt)
    response = HttpResponse(data, content_type=exporter.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exporter.filename(framework, fmt)}"'
    return response


@login_required
def node_edit(request: HttpRequest, pk: int, node_pk: int) -> HttpResponse:
    framework = _readable(request, pk)
    _require_manage(request)
    node = get_object_or_404(Node.objects.select_related("parent"), pk=node_pk, framework=framework)
    node.framework = framework
    if framework.status != FrameworkStatus.DRAFT:
        messages.error(
            request, _("Only a draft version can be edited; create a new version first.")
        )
        return redirect("frameworks:detail", pk=framework.pk)
    form = NodeForm(request.POST or None, node=node, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            domain.update_node(
                actor=request.user,
                node=node,
                text=data["text"],
                score=data["score"],
                methods=data["methods"],
                lead_unit=data["lead_unit"],
                partner_units=data["partner_units"],
                point_types=data["point_types"],
            )
        except domain.FrameworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved %(number)s.") % {"number": node.number})
            url = reverse("frameworks:detail", kwargs={"pk": framework.pk})
            return redirect(f"{url}#node-{node.pk}")
    return render(
        request, "frameworks/node_edit.html", {"framework": framework, "node": node, "form": form}
    )


def _action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    framework = _readable(request, pk)
    _require_manage(request)
    if action == "activate":
        domain.activate_framework(actor=request.user, framework=framework)
        messages.success(request, _("The version is now in force."))
    elif action == "archive":
        domain.archive_framework(actor=request.user, framework=framework)
        messages.success(request, _("The version is archived."))
    else:
        copy = domain.new_version(actor=request.user, framework=framework)
        messages.success(
            request, _("Draft version %(version)s created.") % {"version": copy.version}
        )
        return redirect("frameworks:detail", pk=copy.pk)
    return redirect("frameworks:detail", pk=framework.pk)


@login_required
@require_POST
def framework_activate(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, "activate")


@login_required
@require_POST
def framework_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, "archive")


@login_required
@require_POST
def framework_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, "new_version")
