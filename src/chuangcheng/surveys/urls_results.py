"""Staff pages of the survey results (under /surveys/)."""

from django.urls import URLPattern, URLResolver, path

from chuangcheng.surveys import views_results, views_results_export

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/results/", views_results.results, name="results"),
    path("<int:pk>/results/crosstab/", views_results.results_crosstab, name="results_crosstab"),
    path(
        "<int:pk>/results/rates.<str:fmt>",
        views_results_export.export_rates,
        name="results_export_rates",
    ),
    path(
        "<int:pk>/results/responses.<str:fmt>",
        views_results_export.export_responses,
        name="results_export_responses",
    ),
]
