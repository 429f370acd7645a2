from django.urls import path

from chuangcheng.orgs import views

app_name = "orgs"
urlpatterns = [
    path("regions/", views.region_tree, name="region_tree"),
    path("units/", views.unit_list, name="unit_list"),
]
