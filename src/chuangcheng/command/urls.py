from django.urls import path

from chuangcheng.command import views

app_name = "command"
urlpatterns = [path("", views.home, name="home")]
