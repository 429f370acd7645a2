"""Survey pages under /surveys/ (staff); the public answering pages are in urls_public.

Design (questions, XLSForm import), fieldwork (quotas, interviews, responses) and results each
keep their own URL list."""

from django.urls import URLPattern, URLResolver

from chuangcheng.surveys import urls_design, urls_fieldwork, urls_results

app_name = "surveys"

urlpatterns: list[URLPattern | URLResolver] = [
    *urls_design.urlpatterns,
    *urls_fieldwork.urlpatterns,
    *urls_results.urlpatterns,
]
