"""Public answering pages: /s/<token>/ (no login; the link is the key)."""

from django.urls import URLPattern, URLResolver

app_name = "surveys_public"

urlpatterns: list[URLPattern | URLResolver] = []
