from django.urls import path

from chuangcheng.frameworks import views

app_name = "frameworks"
urlpatterns = [path("", views.framework_list, name="list")]
