"""URLs (namespace ``cases``), mounted at /cases/."""

from django.urls import URLPattern, URLResolver, path

from chuangcheng.cases import views, views_detail, views_intake

app_name = "cases"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.case_list, name="list"),
    path("export.xlsx", views.case_export, name="export"),
    path("map/", views.case_map, name="map"),
    path("map/data.json", views.map_data, name="map_data"),
    path("intake/", views_intake.intake, name="intake"),
    path("intake/bulk/", views_intake.intake_bulk, name="intake_bulk"),
    path("new/", views_intake.case_create, name="create"),
    path("<int:pk>/", views_detail.case_detail, name="detail"),
    path("<int:pk>/act/<slug:step>/", views_detail.case_act, name="act"),
]
