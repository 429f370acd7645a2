"""Framework pages (filled in by the frameworks work)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    raise Http404
