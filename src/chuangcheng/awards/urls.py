"""URLs (namespace ``awards``): standings and flags, the 流动红旗榜, stars, rating, schemes."""

from django.urls import URLPattern, URLResolver, path

from chuangcheng.awards import views

app_name = "awards"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("confirm/", views.confirm, name="confirm"),
    path("board/", views.board, name="board"),
    path("stars/", views.stars, name="stars"),
    path("rate/", views.rate_list, name="rate"),
    path("rate/<slug:code>/<str:key>/", views.rate_target, name="rate_target"),
    path("schemes/", views.scheme_list, name="schemes"),
    path("schemes/new/", views.scheme_edit, name="scheme_new"),
    path("schemes/<int:pk>/", views.scheme_edit, name="scheme_edit"),
]
