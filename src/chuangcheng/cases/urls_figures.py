"""URLs (namespace ``casefigures``): unit figures, the cases behind them, bulletins."""

from django.urls import URLPattern, URLResolver, path

from chuangcheng.cases import views_figures as views

app_name = "casefigures"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.figures_index, name="index"),
    path("export.xlsx", views.figures_export, name="export"),
    path("cases/", views.figure_cases, name="cases"),
    path("unit/<int:pk>/", views.unit_detail, name="unit"),
    path("bulletin/", views.bulletin, name="bulletin"),
]
