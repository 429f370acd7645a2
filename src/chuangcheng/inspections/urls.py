"""URLs (namespace ``inspections``): office pages under rounds/, phone pages under field/."""

from django.urls import URLPattern, URLResolver, path

from chuangcheng.inspections import views, views_field, views_results

app_name = "inspections"

urlpatterns: list[URLPattern | URLResolver] = [
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/form-parts/", views.round_form_parts, name="round_form_parts"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/redraw/", views.round_redraw, name="round_redraw"),
    path("rounds/<int:pk>/open/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/finish/", views.round_finish, name="round_finish"),
    path("rounds/<int:pk>/results/", views_results.round_results, name="round_results"),
    path("rounds/<int:pk>/results.xlsx", views_results.round_export, name="round_export"),
    path("photos/<int:pk>/", views_results.photo, name="photo"),
    path("field/", views_field.my_rounds, name="my_rounds"),
    path("field/rounds/<int:pk>/", views_field.field_round, name="field_round"),
    path("field/points/<int:pk>/", views_field.field_point, name="field_point"),
    path("sw.js", views_field.service_worker, name="service_worker"),
]
