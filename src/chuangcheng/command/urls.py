from django.urls import path

from chuangcheng.command import views_boards, views_outbox, views_screen

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
]
