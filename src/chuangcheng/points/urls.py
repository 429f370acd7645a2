from django.urls import path

from chuangcheng.points import views

app_name = "points"
urlpatterns = [
    path("", views.point_list, name="list"),
    path("map/", views.point_map, name="map"),
]
