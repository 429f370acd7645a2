"""URLs (namespace ``open311``), mounted at ``/open311/v2/``: the GeoReport v2 resources with
their format extension, and the office's key page."""

from django.urls import URLPattern, URLResolver, path, re_path

from chuangcheng.open311 import views, views_keys

app_name = "open311"

FMT = r"\.(?P<fmt>[A-Za-z0-9]+)$"

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[^/]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.service_requests, name="requests"),
    re_path(r"^requests/(?P<request_id>[^/]+)" + FMT, views.request_detail, name="request"),
    path("keys/", views_keys.key_list, name="keys"),
    path("keys/<int:pk>/revoke/", views_keys.key_revoke, name="key_revoke"),
]
