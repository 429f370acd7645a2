"""Archive pages under /archives/."""

from django.urls import URLPattern, URLResolver

app_name = "archives"

urlpatterns: list[URLPattern | URLResolver] = []
