from django.urls import path

from chuangcheng.command import views_boards, views_map, views_outbox, views_screen, views_trends

app_name = "command"
urlpatterns = [
    path("", views_boards.home, name="home"),
    path("board/<slug:board>/", views_boards.board, name="board"),
    path("command/target/", views_boards.target, name="target"),
    path("command/screen/", views_screen.screen, name="screen"),
    path("command/screen/data.json", views_screen.screen_data, name="screen_data"),
    path("command/screen/links/", views_screen.links, name="screen_links"),
    path("command/screen/s/<str:token>/", views_screen.link_screen, name="link_screen"),
    path(
        "command/screen/s/<str:token>/data.json",
        views_screen.link_screen_data,
        name="link_screen_data",
    ),
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
