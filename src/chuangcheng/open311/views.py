"""The GeoReport v2 endpoints: parse → query or ``domain.submit`` → JSON or XML.

Reading is public and shows only what staff approved for public display; creating needs an
``api_key`` the office issued. Errors come back as the spec's error list in the asked format.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from chuangcheng.open311.domain.errors import Open311Error
from chuangcheng.open311.domain.keys import key_for
from chuangcheng.open311.domain.submit import submit_request
from chuangcheng.open311.interfaces import params, render, serialize
from chuangcheng.open311.queries import filter_requests, public_requests
from chuangcheng.open311.services import active_services, service_for

View = Callable[..., HttpResponse]


def endpoint(*methods: str) -> Callable[[View], View]:
    """Check the format and method, the jurisdiction; turn Open311Error into the error list.
    Public reads may be fetched from any web page (CORS), as the data is public."""

    def wrap(view: View) -> View:
        @wraps(view)
        def run(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            try:
                if fmt not in render.FORMATS:
                    raise Open311Error(404, _("Formats served: .json and .xml."))
                if request.method not in methods:
                    raise Open311Error(
                        405, _("Method %(m)s is not allowed here.") % {"m": request.method}
                    )
                params.check_jurisdiction(_params(request))
                response = view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as exc:
                response = render.errors(
                    fmt, exc.status, exc.descriptions, retry_after=exc.retry_after
                )
            if request.method == "GET":
                response["Access-Control-Allow-Origin"] = "*"
            if response.status_code == 405:
                response["Allow"] = ", ".join(methods)
            return response

        return run

    return wrap


def _params(request: HttpRequest) -> QueryDict:
    """Query string and form fields together (a form field wins): clients put ``api_key`` and
    ``jurisdiction_id`` in either."""
    merged = request.GET.copy()
    if request.method == "POST":
        for name in request.POST:
            merged.setlist(name, request.POST.getlist(name))
    return merged


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    return render.respond(fmt, "discovery", serialize.discovery(request))


@endpoint("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    return render.respond(fmt, "services", [serialize.service(c) for c in active_services()])


@endpoint("GET")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    category = service_for(code)
    if category is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code[:40]})
    return render.respond(fmt, "service_definition", serialize.service_definition(category))


@csrf_exempt  # called by client applications with an api_key, never from this site's pages
@endpoint("GET", "POST")
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    filters = params.request_filters(request.GET, timezone.now())
    cases = filter_requests(public_requests(), filters)
    return render.respond(
        fmt, "service_requests", [serialize.service_request(c, request) for c in cases]
    )


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = _params(request)
    key = key_for(data.get("api_key", "").strip())
    if key is None:
        raise Open311Error(403, _("api_key is missing, unknown or revoked."))
    submitted = submit_request(params.request_data(data, request.FILES), key=key)
    body = {
        "service_request_id": submitted.case.number,
        "service_notice": submitted.service_notice,
        "account_id": None,
    }
    return render.respond(fmt, "service_requests", [body])


@endpoint("GET")
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    case = public_requests().filter(number=request_id).first()
    if case is None:
        raise Open311Error(
            404, _("Service request %(id)s was not found.") % {"id": request_id[:40]}
        )
    return render.respond(fmt, "service_requests", [serialize.service_request(case, request)])
