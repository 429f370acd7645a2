"""The .ics subscription: the page that issues a unit's secret link (shown once, with a QR code
for a phone to scan), and the feed itself, which needs no login — the token is the key."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from chuangcheng.agenda.domain.feeds import feed_text, issue_token, unit_for_token
from chuangcheng.agenda.forms import units_for
from chuangcheng.agenda.models import FeedToken, unit_ids_of
from chuangcheng.agenda.views import need, tabs
from chuangcheng.points.views_map import qr_svg


@login_required
def subscribe(request: HttpRequest) -> HttpResponse:
    """Choose a unit (the user's own first), see when its link was issued, issue a new one."""
    need(request, "agenda.issue_feed")
    units = [u for u in units_for(request.user) if request.user.has_perm("agenda.issue_feed", u)]
    own = unit_ids_of(request.user)
    wanted = request.POST.get("unit") or request.GET.get("unit") or ""
    unit = None
    if wanted:
        unit = next((u for u in units if str(u.pk) == wanted), None)
        if unit is None:
            raise Http404
    elif units:
        unit = next((u for u in units if u.pk in own), None) or (
            units[0] if len(units) == 1 else None
        )
    url = ""
    qr = ""
    if request.method == "POST" and unit is not None:
        token = issue_token(actor=request.user, unit=unit)
        url = request.build_absolute_uri(reverse("agenda:ics", args=[token]))
        qr = qr_svg(url, scale=4, inline=True)
    current = (
        FeedToken.objects.select_related("issued_by").filter(unit=unit).first() if unit else None
    )
    return render(
        request,
        "agenda/subscribe.html",
        {
            **tabs(request),
            "tab": "subscribe",
            "units": units,
            "unit": unit,
            "current": current,
            "url": url,
            "qr": qr,
        },
    )


@require_GET
def ics(request: HttpRequest, token: str) -> HttpResponse:
    """The unit's calendar as iCalendar; 404 for an unknown or replaced token."""
    unit = unit_for_token(token)
    if unit is None:
        raise Http404
    base = request.build_absolute_uri("/").rstrip("/")
    # Phone calendars send whatever language they like: the feed speaks the site's.
    with translation.override(settings.LANGUAGE_CODE):
        text = feed_text(unit, base_url=base)
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
