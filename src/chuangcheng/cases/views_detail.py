"""The case page and the workflow steps taken from it.

Every step posts to ``cases:act`` with the version of the case the user saw. The view parses
the form, calls the domain and redirects; when the domain refuses (wrong state, someone else was
faster, a field missing) the page is shown again with the domain's message and everything the
user typed, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangcheng.cases import forms as f
from chuangcheng.cases import queries
from chuangcheng.cases.domain import actions, duplicates
from chuangcheng.cases.domain.errors import CaseError, CaseValidationError
from chuangcheng.cases.domain.intake import proposed_lead
from chuangcheng.cases.domain.workflow import expect_version
from chuangcheng.cases.enums import CaseAction, CaseStatus, PhotoStage
from chuangcheng.cases.models import Case, Category
from chuangcheng.orgs.models import Unit
from chuangcheng.points.map_config import map_config

A = CaseAction


@dataclass
class Ctx:
    """What the forms of one case page need, each read once."""

    request: HttpRequest
    case: Case
    bound: dict[str, forms.Form] = field(default_factory=dict)

    @property
    def user(self) -> Any:
        return self.request.user

    @cached_property
    def categories(self) -> list[Category]:
        return queries.subcategories()

    @cached_property
    def units(self) -> list[Unit]:
        return queries.dispatch_units(self.user)

    @cached_property
    def acting(self) -> list[Unit]:
        return queries.acting_units(self.user, self.case)

    @cached_property
    def candidates(self) -> list[duplicates.Candidate]:
        if self.case.status != CaseStatus.REPORTED:
            return []
        return duplicates.candidates(self.case, within=Case.objects.visible_to(self.user))

    @cached_property
    def pending(self) -> Any:
        return queries.pending_extension(self.case)


def _merge_choices(ctx: Ctx) -> list[tuple[int, str]]:
    return [
        (c.case.pk, f"{c.case.number} · {c.metres:.0f} m · {c.case.reported_at:%m-%d}")
        for c in ctx.candidates
    ]


def _uploads(request: HttpRequest) -> list[tuple[str, bytes]]:
    return [(u.name or "", u.read()) for u in request.FILES.getlist("photos")]


# --- the steps: (form builder, runner returning the success message) -------------------------


def _dispatch_form(ctx: Ctx, data: Any = None, auto_id: str = "id_%s") -> forms.Form:
    case = ctx.case
    lead = proposed_lead(case)
    category = case.category or case.suggested_category
    return f.DispatchForm(
        data,
        categories=ctx.categories,
        units=ctx.units,
        initial={
            "category": category.pk if category and not category.is_class else None,
            "lead": lead.pk if lead else None,
        },
        auto_id=auto_id,
    )


def _run_dispatch(ctx: Ctx, form: Any) -> str:
    d = form.cleaned_data
    lead = form.obj("lead")
    if lead is None:
        raise CaseValidationError({"lead": [_("Choose the lead unit.")]})
    common = {
        "actor": ctx.user,
        "lead": lead,
        "partners": form.objs("partners"),
        "due_at": d["due_at"],
        "note": d["note"],
    }
    if ctx.case.status == CaseStatus.REPORTED:
        actions.register_and_dispatch(
            ctx.case,
            category=form.obj("category"),
            priority=d["priority"] or None,
            **common,
        )
    else:
        actions.dispatch(ctx.case, **common)
    return _("Case %(number)s dispatched to %(unit)s.") % {
        "number": ctx.case.number,
        "unit": lead.name,
    }


def _run_register(ctx: Ctx, form: Any) -> str:
    d = form.cleaned_data
    actions.register(
        ctx.case,
        actor=ctx.user,
        category=form.obj("category"),
        priority=d["priority"] or None,
        note=d["note"],
    )
    return _("Case %(number)s registered.") % {"number": ctx.case.number}


def _run_reject(ctx: Ctx, form: Any) -> str:
    actions.reject(ctx.case, actor=ctx.user, reason=form.cleaned_data["reason"])
    return _("Case %(number)s not registered.") % {"number": ctx.case.number}


def _run_merge(ctx: Ctx, form: Any) -> str:
    into_pk = form.cleaned_data["into"]
    into = Case.objects.visible_to(ctx.user).filter(pk=into_pk).first() if into_pk else None
    if into is None:
        raise CaseValidationError({"into": [_("Choose the case this one repeats.")]})
    actions.merge(ctx.case, actor=ctx.user, into=into, note=form.cleaned_data["note"])
    return _("Case %(number)s merged into %(into)s.") % {
        "number": ctx.case.number,
        "into": ctx.case.duplicate_of.number if ctx.case.duplicate_of else into.number,
    }


def _run_feedback(ctx: Ctx, form: Any) -> str:
    unit = form.obj("unit") or (ctx.acting[0] if len(ctx.acting) == 1 else None)
    if unit is None:
        raise CaseValidationError({"unit": [_("Choose the unit you report for.")]})
    actions.feedback_with_uploads(
        ctx.case,
        actor=ctx.user,
        unit=unit,
        text=form.cleaned_data["text"],
        uploads=_uploads(ctx.request),
    )
    return _("Handling reported for case %(number)s.") % {"number": ctx.case.number}


def _run_verify(ctx: Ctx, form: Any) -> str:
    passed = ctx.request.POST.get("do") == "pass"
    actions.verify_with_uploads(
        ctx.case,
        actor=ctx.user,
        passed=passed,
        note=form.cleaned_data["note"],
        uploads=_uploads(ctx.request),
    )
    if passed:
        return _("Case %(number)s closed.") % {"number": ctx.case.number}
    return _("Case %(number)s sent back for rework.") % {"number": ctx.case.number}


def _run_suspend(ctx: Ctx, form: Any) -> str:
    actions.suspend(ctx.case, actor=ctx.user, reason=form.cleaned_data["reason"])
    return _("Case %(number)s suspended.") % {"number": ctx.case.number}


def _run_resume(ctx: Ctx, form: Any) -> str:
    d = form.cleaned_data
    actions.resume(
        ctx.case, actor=ctx.user, due_at=d["due_at"], note=d["note"], lead=form.obj("lead")
    )
    return _("Case %(number)s resumed.") % {"number": ctx.case.number}


def _run_reopen(ctx: Ctx, form: Any) -> str:
    actions.reopen(
        ctx.case,
        actor=ctx.user,
        reason=form.cleaned_data["reason"],
        category=form.obj("category"),
    )
    return _("Case %(number)s reopened.") % {"number": ctx.case.number}


def _run_extension(ctx: Ctx, form: Any) -> str:
    unit = form.obj("unit") or (ctx.acting[0] if len(ctx.acting) == 1 else None)
    if unit is None:
        raise CaseValidationError({"unit": [_("Choose the unit you ask for.")]})
    actions.ask_extension(
        ctx.case,
        actor=ctx.user,
        unit=unit,
        new_due_at=form.cleaned_data["new_due_at"],
        reason=form.cleaned_data["reason"],
    )
    return _("Extension asked.")


def _run_decide(ctx: Ctx, form: Any) -> str:
    if ctx.pending is None:
        raise CaseError(_("There is no extension request waiting for a decision."))
    grant = ctx.request.POST.get("do") == "grant"
    ctx.pending.case = ctx.case  # the copy whose version the user saw
    actions.decide_extension(
        ctx.pending, actor=ctx.user, grant=grant, note=form.cleaned_data["note"]
    )
    return _("Extension granted.") if grant else _("Extension refused.")


def _run_comment(ctx: Ctx, form: Any) -> str:
    actions.comment(ctx.case, actor=ctx.user, text=form.cleaned_data["text"])
    return _("Comment added.")


def _no_options(ctx: Ctx) -> dict[str, Any]:
    return {}


# step → (form class, its options for this case and user); 立案 shares the dispatch form.
FORMS: dict[str, tuple[type[forms.Form], Callable[[Ctx], dict[str, Any]]]] = {
    "reject": (f.ReasonForm, _no_options),
    "suspend": (f.ReasonForm, _no_options),
    "merge": (f.MergeForm, lambda ctx: {"choices": _merge_choices(ctx)}),
    "feedback": (f.FeedbackForm, lambda ctx: {"units": ctx.acting}),
    "verify": (f.VerifyForm, _no_options),
    "resume": (f.ResumeForm, lambda ctx: {"units": ctx.units}),
    "reopen": (f.ReopenForm, lambda ctx: {"categories": ctx.categories}),
    "extension": (f.ExtensionAskForm, lambda ctx: {"units": ctx.acting}),
    "decide": (f.ExtensionDecideForm, _no_options),
    "comment": (f.CommentForm, _no_options),
}


def build_form(step: str, ctx: Ctx, data: Any = None) -> forms.Form:
    """The (bound or blank) form of ``step`` for this case and user."""
    auto_id = f"id_{SHARED_FORM.get(step, step)}_%s"  # several forms share one page
    if step in ("dispatch", "register"):
        return _dispatch_form(ctx, data, auto_id)
    form_class, options = FORMS[step]
    return form_class(data, auto_id=auto_id, **options(ctx))


STEPS: dict[str, Callable[[Ctx, Any], str]] = {
    "dispatch": _run_dispatch,
    "register": _run_register,
    "reject": _run_reject,
    "merge": _run_merge,
    "feedback": _run_feedback,
    "verify": _run_verify,
    "suspend": _run_suspend,
    "resume": _run_resume,
    "reopen": _run_reopen,
    "extension": _run_extension,
    "decide": _run_decide,
    "comment": _run_comment,
}
# Which step's form the page shows for each workflow action the user may take.
FORM_FOR: dict[str, str] = {
    A.REGISTER: "dispatch",
    A.DISPATCH: "dispatch",
    A.REJECT: "reject",
    A.MERGE: "merge",
    A.FEEDBACK: "feedback",
    A.PASS: "verify",
    A.FAIL: "verify",
    A.SUSPEND: "suspend",
    A.RESUME: "resume",
    A.REOPEN: "reopen",
    A.EXTENSION_ASKED: "extension",
    A.EXTENSION_GRANTED: "decide",
    A.COMMENT: "comment",
}


# The order the forms appear in: the usual next step first, the rare ones last.
ORDER = (
    "feedback",
    "extension",
    "verify",
    "decide",
    "dispatch",
    "reject",
    "merge",
    "resume",
    "suspend",
    "reopen",
    "comment",
)
# Shown open; the others fold into a line the user opens (a form with errors is open).
PRIMARY = frozenset({"feedback", "verify", "dispatch", "decide", "resume"})
# Steps posted from another step's form (仅立案 is a button of the dispatch form).
SHARED_FORM = {"register": "dispatch"}


def _attach(form: forms.Form, exc: CaseValidationError) -> None:
    for name, msgs in exc.errors.items():
        for msg in msgs:
            form.add_error(name if name in form.fields else None, msg)


def _page(ctx: Ctx, *, error: str = "", status: int = 200) -> HttpResponse:
    case = ctx.case
    offered = queries.available_actions(ctx.user, case, ctx.pending is not None)
    shown = {FORM_FOR[a] for a in offered if a in FORM_FOR}
    if not ctx.candidates:
        shown.discard("merge")
    step_forms = [
        (name, ctx.bound.get(name) or build_form(name, ctx), name in PRIMARY or name in ctx.bound)
        for name in ORDER
        if name in shown
    ]
    config = map_config(ctx.request)
    if case.lng is not None and case.lat is not None:
        config["point"] = {"lng": float(case.lng), "lat": float(case.lat), "name": case.number}
    return render(
        ctx.request,
        "cases/detail.html",
        {
            "case": case,
            "now": timezone.now(),
            "events": queries.timeline(case),
            "photos": queries.photos_by_stage(case),
            "photo_stages": PhotoStage.choices,
            "extensions": list(case.extensions.select_related("unit").order_by("asked_at")),
            "duplicates": list(case.duplicates.order_by("reported_at")),
            "candidates": ctx.candidates,
            "forms": step_forms,
            "offered": offered,
            "acting": ctx.acting,
            "pending": ctx.pending,
            "error": error,
            "config": config,
            "can_manage": ctx.user.has_perm("cases.manage_case", case),
        },
        status=status,
    )


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(Ctx(request, queries.visible_case(request.user, pk)))


def _seen_version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@login_required
@require_POST
def case_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Take one workflow step; on refusal show the page again with the message and the input."""
    if step not in STEPS:
        raise Http404
    ctx = Ctx(request, queries.visible_case(request.user, pk))
    run = STEPS[step]
    form = build_form(step, ctx, request.POST)
    ctx.bound[SHARED_FORM.get(step, step)] = form
    try:
        expect_version(ctx.case, _seen_version(request))
        if not form.is_valid():
            raise CaseValidationError({})
        message = run(ctx, form)
    except (PermissionDenied, CaseError) as exc:
        # A refused step may have changed the in-memory case before the rollback: read it again.
        fresh = Ctx(request, queries.visible_case(request.user, pk), bound=ctx.bound)
        if isinstance(exc, PermissionDenied):
            return _page(fresh, error=_("You may not do this to this case."), status=403)
        if isinstance(exc, CaseValidationError):
            _attach(form, exc)
            return _page(fresh, error=_("Please correct the fields marked below."), status=400)
        return _page(fresh, error=exc.message, status=409)
    messages.success(request, message)
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(reverse("cases:detail", args=[pk]) + "#timeline")
