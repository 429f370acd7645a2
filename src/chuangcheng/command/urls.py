from django.urls import path

from chuangcheng.command import views, views_map, views_outbox, views_trends

app_name = "command"
urlpatterns = [
    path("", views.home, name="home"),
    path("outbox/", views_outbox.outbox, name="outbox"),
    path("command/map/", views_map.command_map, name="map"),
    path("command/map/key-areas/", views_map.key_area_list, name="key_areas"),
    path("command/map/key-areas/new/", views_map.key_area_create, name="key_area_new"),
    path("command/map/key-areas/<int:pk>/", views_map.key_area_edit, name="key_area_edit"),
    path(
        "command/map/key-areas/<int:pk>/delete/",
        views_map.key_area_delete,
        name="key_area_delete",
    ),
    path("command/trends/", views_trends.trends, name="trends"),
    path("command/trends/export.xlsx", views_trends.trends_export, name="trends_export"),
]
