"""URLs (namespace ``report``)."""

from django.urls import URLPattern, URLResolver

app_name = "report"

urlpatterns: list[URLPattern | URLResolver] = []
