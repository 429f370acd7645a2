"""Survey pages under /surveys/ (staff) — the public answering pages are in urls_public."""

from django.urls import URLPattern, URLResolver

app_name = "surveys"

urlpatterns: list[URLPattern | URLResolver] = []
