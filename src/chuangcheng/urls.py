"""Root URLconf: each app mounts its own pages; the API lives under /api/v1/."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import URLPattern, URLResolver, include, path

from chuangcheng.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("chuangcheng.command.urls")),
    path("", include("chuangcheng.core.urls")),
    path("accounts/", include("chuangcheng.accounts.urls")),
    path("", include("chuangcheng.orgs.urls")),
    path("frameworks/", include("chuangcheng.frameworks.urls")),
    path("points/", include("chuangcheng.points.urls")),
    path("cases/figures/", include("chuangcheng.cases.urls_figures")),
    path("cases/", include("chuangcheng.cases.urls")),
    path("", include("chuangcheng.cases.urls_public")),
    path("inspections/", include("chuangcheng.inspections.urls")),
    path("scoring/", include("chuangcheng.scoring.urls")),
    path("scoring/", include(("chuangcheng.scoring.urls_analysis", "scoring_analysis"))),
    path("appraisal/", include("chuangcheng.appraisal.urls")),
    path("awards/", include("chuangcheng.awards.urls")),
    path("alerts/", include("chuangcheng.alerts.urls")),
    path("agenda/", include("chuangcheng.agenda.urls")),
    path("surveys/", include("chuangcheng.surveys.urls")),
    path("s/", include("chuangcheng.surveys.urls_public")),
    path("archives/", include("chuangcheng.archives.urls")),
    path("practice/", include("chuangcheng.practice.urls")),
    path("p/", include("chuangcheng.practice.urls_public")),
    path("open311/v2/", include("chuangcheng.open311.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
