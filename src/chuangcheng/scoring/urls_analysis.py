"""The analysis pages, mounted under /scoring/ with the namespace ``scoring_analysis``."""

from django.urls import path

from chuangcheng.scoring import views_analysis as views

urlpatterns = [
    path("gaps/", views.gaps, name="gaps"),
    path("what-if/", views.what_if_page, name="what_if"),
    path("trends/", views.trends, name="trends"),
]
