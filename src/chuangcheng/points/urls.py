from django.urls import path

from chuangcheng.points import views, views_map

app_name = "points"
urlpatterns = [
    path("", views.point_list, name="list"),
    path("export/", views.point_export, name="export"),
    path("new/", views.point_create, name="create"),
    path("import/", views.point_import, name="import"),
    path("import/template.xlsx", views.point_import_template, name="import_template"),
    path("types/", views.point_types, name="types"),
    path("map/", views_map.point_map, name="map"),
    path("map/data.json", views_map.map_data, name="map_data"),
    path("print/", views_map.print_sheet, name="print_sheet"),
    path("<str:code>/", views.point_detail, name="detail"),
    path("<str:code>/edit/", views.point_edit, name="edit"),
    path("<str:code>/active/", views.point_set_active, name="set_active"),
    path("<str:code>/qr.svg", views_map.point_qr, name="qr"),
    path("<str:code>/print/", views_map.point_print, name="print"),
]
