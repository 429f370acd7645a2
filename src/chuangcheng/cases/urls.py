"""URLs (namespace ``cases``)."""

from django.urls import URLPattern, URLResolver

app_name = "cases"

urlpatterns: list[URLPattern | URLResolver] = []
