"""Point pages (filled in by the points-and-map work)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse


@login_required
def point_list(request: HttpRequest) -> HttpResponse:
    raise Http404


@login_required
def point_map(request: HttpRequest) -> HttpResponse:
    raise Http404
