"""One NinjaAPI for the whole product, versioned under /api/v1/; each app mounts its router."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from chuangcheng import __version__
from chuangcheng.accounts.api import router as accounts_router
from chuangcheng.accounts.api_auth import SessionAuth, TokenAuth
from chuangcheng.agenda.api import router as agenda_router
from chuangcheng.alerts.api import router as alerts_router
from chuangcheng.appraisal.api import router as appraisal_router
from chuangcheng.archives.api import router as archives_router
from chuangcheng.awards.api import router as awards_router
from chuangcheng.cases.api import router as cases_router
from chuangcheng.cases.api_figures import router as case_figures_router
from chuangcheng.command.api_boards import router as dashboard_router
from chuangcheng.command.api_map import router as map_router
from chuangcheng.command.api_trends import router as trends_router
from chuangcheng.frameworks.api import router as frameworks_router
from chuangcheng.inspections.api import router as inspections_router
from chuangcheng.orgs.api import regions_router, units_router
from chuangcheng.points.api import router as points_router
from chuangcheng.practice.api import router as practice_router
from chuangcheng.scoring.api import router as scores_router
from chuangcheng.scoring.api_analysis import router as score_analysis_router
from chuangcheng.scoring.domain.compute import ScoringError
from chuangcheng.surveys.api import router as surveys_router

api = NinjaAPI(
    title="Chuangcheng API",
    version=f"v1 ({__version__})",
    description="创城 REST API. Authenticate with `Authorization: Bearer <token>`; tokens are "
    "created on the account page. Every list shows only the rows the token's user may see.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(
    request: HttpRequest, status: int, detail: str, code: str, errors: Any = ()
) -> HttpResponse:
    return api.create_response(
        request, {"detail": detail, "code": code, "errors": list(errors)}, status=status
    )


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    items = [
        {"loc": [str(p) for p in e.get("loc", [])], "msg": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    return _error(request, 422, "The request is not valid.", "invalid", items)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "Authentication required.", "unauthenticated")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "Not found.", "not_found")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc), "error")


@api.exception_handler(ScoringError)
def _scoring_refused(request: HttpRequest, exc: ScoringError) -> HttpResponse:
    # E.g. no framework in force yet: a state of the data the caller must change, not a crash.
    return _error(request, 409, str(exc), "conflict")


api.add_router("/regions", regions_router)
api.add_router("/units", units_router)
api.add_router("/users", accounts_router)
api.add_router("/frameworks", frameworks_router)
api.add_router("/points", points_router)
api.add_router("/case-figures", case_figures_router)
api.add_router("/inspections", inspections_router)
api.add_router("/cases", cases_router)
api.add_router("/scores", scores_router)
api.add_router("/score-analysis", score_analysis_router)
api.add_router("/appraisal", appraisal_router)
api.add_router("/awards", awards_router)
api.add_router("/dashboard", dashboard_router)
api.add_router("/map", map_router)
api.add_router("/trends", trends_router)
api.add_router("/alerts", alerts_router)
api.add_router("/agenda", agenda_router)
api.add_router("/surveys", surveys_router)
api.add_router("/archives", archives_router)
api.add_router("/practice", practice_router)
