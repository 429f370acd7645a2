"""Staff pages of the survey fieldwork (under /surveys/)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
