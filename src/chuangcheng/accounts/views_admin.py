"""Office pages for users and their grants (filled in by the users-and-grants work)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    raise Http404
