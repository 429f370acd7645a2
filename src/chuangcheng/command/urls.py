from django.urls import path

from chuangcheng.command import views, views_outbox

app_name = "command"
urlpatterns = [
    path("", views.home, name="home"),
    path("outbox/", views_outbox.outbox, name="outbox"),
]
