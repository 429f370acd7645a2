"""Region tree and unit pages (filled in by the regions-and-units work)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse


@login_required
def region_tree(request: HttpRequest) -> HttpResponse:
    raise Http404


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    raise Http404
