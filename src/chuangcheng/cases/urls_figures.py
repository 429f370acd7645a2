"""URLs (namespace ``casefigures``)."""

from django.urls import URLPattern, URLResolver

app_name = "casefigures"

urlpatterns: list[URLPattern | URLResolver] = []
