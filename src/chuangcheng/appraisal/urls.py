from django.urls import path

from chuangcheng.appraisal import views

app_name = "appraisal"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("honour/", views.honour, name="honour"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
]
