"""Pages of 流动红旗 and star ratings. Thin: parse → domain → render.

Which rows a user sees is decided in :mod:`chuangcheng.awards.domain.access`; anything outside
answers 404.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.scope import scope_of
from chuangcheng.awards.domain import access
from chuangcheng.awards.domain.rating import month_start, rate
from chuangcheng.awards.domain.schemes import save_scheme
from chuangcheng.awards.domain.standings import confirm_awards, standings_for, star_table
from chuangcheng.awards.forms import RatingForm, SchemeForm
from chuangcheng.awards.models import RedFlagAward, RedFlagRating, RedFlagScheme
from chuangcheng.cases.domain.periods import Period, PeriodError, current_month, parse_period
from chuangcheng.cases.forms_figures import period_choices
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.points.models import Point


def _need_view(request: HttpRequest) -> None:
    if not request.user.has_perm("awards.view_awards"):
        raise PermissionDenied


def _scheme(request: HttpRequest) -> tuple[RedFlagScheme | None, list[RedFlagScheme]]:
    schemes = list(RedFlagScheme.objects.filter(active=True))
    code = request.GET.get("scheme") or request.POST.get("scheme")
    if code:
        for s in schemes:
            if s.code == code:
                return s, schemes
        raise Http404
    return (schemes[0] if schemes else None), schemes


def _period(request: HttpRequest, *, months_only: bool) -> tuple[Period, str]:
    text = request.GET.get("period") or request.POST.get("period") or ""
    if not text:
        return current_month(), ""
    try:
        period = parse_period(text)
    except PeriodError as exc:
        return current_month(), str(exc)
    if months_only and period.kind != "month":
        return current_month(), _("Choose a month.")
    if period.kind == "range":
        return current_month(), _("Choose a month, a quarter or a year.")
    return period, ""


def _region(request: HttpRequest) -> tuple[Any, list[Any]]:
    try:
        return access.region_choice(request.user, request.GET.get("region"))
    except LookupError as exc:
        raise Http404 from exc


def _month_choices() -> list[tuple[str, str]]:
    return [c for c in period_choices() if len(c[0]) == 7 and "Q" not in c[0]]


def _star_period_choices() -> list[tuple[str, str]]:
    return period_choices()


def _only_rater(user: Any) -> bool:
    scope = scope_of(user)
    return not scope.everything and not (scope.roles & {Role.OFFICE, Role.LEADER, Role.UNIT})


@dataclass
class Filters:
    """What a reading page was asked for: scheme, period and overview region."""

    scheme: RedFlagScheme | None
    schemes: list[RedFlagScheme]
    period: Period
    error: str
    region: Region | None
    regions: list[Region]

    def context(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "schemes": self.schemes,
            "error": self.error,
            "region": self.region,
            "regions": self.regions,
        }


def _filters(request: HttpRequest, *, months_only: bool) -> Filters | None:
    """The page's filters; None for a user who only rates (sent to the rating list)."""
    _need_view(request)
    if _only_rater(request.user):
        return None
    scheme, schemes = _scheme(request)
    period, error = _period(request, months_only=months_only)
    region, regions = _region(request)
    return Filters(scheme, schemes, period, error, region, regions)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The month's standings of a scheme; the office confirms the flags here."""
    f = _filters(request, months_only=True)
    if f is None:
        return redirect("awards:rate")
    scheme, month, region = f.scheme, f.period, f.region
    rows, ranked = standings_for(request.user, scheme, month, region) if scheme else ([], 0)
    overview = region is not None
    awards: list[RedFlagAward] = []
    can_confirm = False
    if scheme is not None and region is not None:
        awards = list(
            RedFlagAward.objects.filter(
                scheme=scheme, month=month.start, region=region
            ).select_related("point", "unit")
        )
        can_confirm = region in access.award_regions(request.user) and not awards
    return render(
        request,
        "awards/index.html",
        {
            **f.context(),
            "month": month,
            "months": _month_choices(),
            "rows": rows,
            "ranked": ranked,
            "overview": overview,
            "awards": awards,
            "can_confirm": can_confirm and any(r.wins for r in rows),
            "may_manage": request.user.has_perm("awards.manage_schemes"),
            "winners": [r for r in rows if r.wins],
        },
    )


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    scheme, _schemes = _scheme(request)
    if scheme is None:
        raise Http404
    month, error = _period(request, months_only=True)
    if error:
        raise Http404
    regions = {str(r.pk): r for r in access.award_regions(request.user)}
    region = regions.get(request.POST.get("region", ""))
    if region is None:
        raise Http404
    try:
        awards = confirm_awards(actor=request.user, scheme=scheme, month=month, region=region)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The red flags of %(m)s are awarded to %(n)d winners.")
            % {"m": month.label, "n": len(awards)},
        )
    url = reverse("awards:index")
    return redirect(f"{url}?scheme={scheme.code}&period={month.key}&region={region.pk}")


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """流动红旗榜: the flags by month for a year, who holds each flag now, wins per holder."""
    _need_view(request)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError as exc:
        raise Http404 from exc
    visible = access.awards_visible_to(request.user).select_related(
        "scheme", "region", "point", "point__type", "unit"
    )
    rows = list(
        visible.filter(month__year=year).order_by("-month", "scheme__name", "region__path", "rank")
    )
    latest: dict[tuple[int, int], dt.date] = {}
    for a in rows:
        latest[(a.scheme_id, a.region_id)] = max(
            latest.get((a.scheme_id, a.region_id), a.month), a.month
        )
    holders = [a for a in rows if latest[(a.scheme_id, a.region_id)] == a.month]
    wins = Counter((a.scheme_id, a.point_id, a.unit_id) for a in rows)
    tally: dict[tuple[int, int | None, int | None], dict[str, Any]] = {}
    for a in rows:
        tkey = (a.scheme_id, a.point_id, a.unit_id)
        tally.setdefault(tkey, {"award": a, "wins": wins[tkey]})
    counts = sorted(tally.values(), key=lambda t: (-t["wins"], str(t["award"].target)))
    months: dict[dt.date, list[RedFlagAward]] = {}
    for a in rows:
        months.setdefault(a.month, []).append(a)
    years = sorted({d.year for d in visible.dates("month", "year")} | {today.year}, reverse=True)
    return render(
        request,
        "awards/board.html",
        {
            "year": year,
            "years": years,
            "holders": holders,
            "counts": counts,
            "months": sorted(months.items(), reverse=True),
        },
    )


@login_required
@require_GET
def stars(request: HttpRequest) -> HttpResponse:
    """Star ratings of the scheme's targets (service windows) over a month, quarter or year."""
    f = _filters(request, months_only=False)
    if f is None:
        return redirect("awards:rate")
    scheme, period, region = f.scheme, f.period, f.region
    rows = []
    if scheme is not None:
        targets = access.readable_targets(request.user, scheme)
        if region is not None:
            targets = targets.filter(region__path__startswith=region.path)
        rows = star_table(scheme, period, targets)
    tally = Counter(r.stars for r in rows)
    return render(
        request,
        "awards/stars.html",
        {
            **f.context(),
            "period": period,
            "periods": _star_period_choices(),
            "rows": rows,
            "tally": [(n, tally.get(n, 0)) for n in (5, 4, 3, 2, 1)],
            "unrated": tally.get(None, 0),
        },
    )


def _rater_scheme(request: HttpRequest) -> tuple[RedFlagScheme | None, list[RedFlagScheme]]:
    if not request.user.has_perm("awards.rate"):
        raise PermissionDenied
    return _scheme(request)


@login_required
@require_GET
def rate_list(request: HttpRequest) -> HttpResponse:
    """The targets an inspector may rate this month, the ones already rated marked."""
    scheme, schemes = _rater_scheme(request)
    month = current_month()
    targets: list[Any] = []
    done: dict[int, RedFlagRating] = {}
    query = (request.GET.get("q") or "").strip()
    if scheme is not None:
        qs = access.ratable_targets(request.user, scheme)
        if query:
            qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query))
        targets = list(qs.order_by("region__path", "name")[:200])
        field = "point_id" if scheme.rates_points else "unit_id"
        for r in RedFlagRating.objects.filter(
            scheme=scheme, month=month.start, inspector_id=request.user.pk
        ):
            done[getattr(r, field)] = r
    prefix = "p" if scheme is not None and scheme.rates_points else "u"
    rows = [
        (t, done.get(t.pk), reverse("awards:rate_target", args=[scheme.code, f"{prefix}{t.pk}"]))
        for t in targets
        if scheme is not None
    ]
    return render(
        request,
        "awards/rate_list.html",
        {
            "scheme": scheme,
            "schemes": schemes,
            "month": month,
            "rows": rows,
            "done": len(done),
            "q": query,
            "only_rater": _only_rater(request.user),
        },
    )


def _target(request: HttpRequest, scheme: RedFlagScheme, key: str) -> Point | Unit:
    kind, _sep, pk = key[:1], None, key[1:]
    if not pk.isdigit() or kind != ("p" if scheme.rates_points else "u"):
        raise Http404
    found = access.ratable_targets(request.user, scheme).filter(pk=int(pk)).first()
    if found is None:
        raise Http404
    return found  # type: ignore[no-any-return]


@login_required
def rate_target(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """The rating form of one target: one big button per score and dimension."""
    if not request.user.has_perm("awards.rate"):
        raise PermissionDenied
    scheme = get_object_or_404(RedFlagScheme, code=code, active=True)
    target = _target(request, scheme, key)
    month = current_month()
    mine = RedFlagRating.objects.filter(
        scheme=scheme,
        month=month.start,
        inspector_id=request.user.pk,
        **({"point": target} if isinstance(target, Point) else {"unit": target}),
    ).first()
    initial: dict[str, Any] = {}
    if mine is not None:
        initial = {f"d{i}": mine.scores.get(d["name"]) for i, d in enumerate(scheme.dimensions)}
        initial["note"] = mine.note
    form = RatingForm(request.POST or None, scheme=scheme, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rating, created = rate(
                actor=request.user,
                scheme=scheme,
                target=target,
                scores=form.scores(),
                note=form.cleaned_data["note"],
                today=month_start(timezone.localdate()),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                (
                    _("Rated %(t)s: %(s)d of %(m)d.")
                    if created
                    else _("Rating of %(t)s replaced: %(s)d of %(m)d.")
                )
                % {"t": target, "s": rating.total, "m": rating.max_total},
            )
            return redirect(f"{reverse('awards:rate')}?scheme={scheme.code}")
    return render(
        request,
        "awards/rate_form.html",
        {
            "scheme": scheme,
            "target": target,
            "form": form,
            "mine": mine,
            "month": month,
            "only_rater": _only_rater(request.user),
        },
    )


@login_required
@require_GET
def scheme_list(request: HttpRequest) -> HttpResponse:
    _need_view(request)
    schemes = list(RedFlagScheme.objects.prefetch_related("point_types"))
    return render(
        request,
        "awards/schemes.html",
        {
            "schemes": schemes,
            "may_manage": request.user.has_perm("awards.manage_schemes"),
            "only_rater": _only_rater(request.user),
        },
    )


@login_required
def scheme_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not request.user.has_perm("awards.manage_schemes"):
        raise PermissionDenied
    scheme = get_object_or_404(RedFlagScheme, pk=pk) if pk is not None else None
    form = SchemeForm(request.POST or None, scheme=scheme)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_scheme(actor=request.user, data=form.data_object(), scheme=scheme)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Scheme “%(n)s” saved.") % {"n": saved.name})
            return redirect("awards:schemes")
    return render(request, "awards/scheme_form.html", {"form": form, "scheme": scheme})
