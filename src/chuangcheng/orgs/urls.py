from django.urls import path

from chuangcheng.orgs import views

app_name = "orgs"
urlpatterns = [
    path("regions/", views.region_tree, name="region_tree"),
    path("regions/<str:code>/", views.region_detail, name="region_detail"),
    path("regions/<str:code>/edit/", views.region_edit, name="region_edit"),
    path("regions/<str:code>/new/", views.region_create, name="region_create"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<str:code>/", views.unit_detail, name="unit_detail"),
    path("units/<str:code>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<str:code>/active/", views.unit_set_active, name="unit_set_active"),
    path(
        "units/<str:code>/reveal/<str:which>/",
        views.unit_reveal_phone,
        name="unit_reveal_phone",
    ),
]
