"""URLs (namespace ``report``): reports from people, photos and moderation, at the site root."""

from django.urls import URLPattern, URLResolver, path

from chuangcheng.cases import (
    views_moderation,
    views_photos,
    views_report,
    views_report_hotline,
    views_report_mine,
)

app_name = "report"

urlpatterns: list[URLPattern | URLResolver] = [
    path("report/", views_report.report_new, name="new"),
    path("report/suggest/", views_report.suggest_json, name="suggest"),
    path("report/privacy/", views_report.privacy_notice, name="privacy"),
    path("report/done/<str:number>/", views_report.report_done, name="done"),
    path("report/hotline/", views_report_hotline.hotline_new, name="hotline"),
    path("report/mine/", views_report_mine.my_reports, name="mine"),
    path("report/mine/<str:number>/", views_report_mine.my_report, name="mine_detail"),
    path("photos/<int:pk>/", views_photos.photo_original, name="photo"),
    path("photos/<int:pk>/thumb/", views_photos.photo_thumb, name="photo_thumb"),
    path("photos/<int:pk>/public/", views_photos.photo_public, name="photo_public"),
    path("moderation/", views_moderation.queue, name="moderation"),
    path("moderation/photos/<int:pk>/", views_moderation.decide_photo, name="moderate_photo"),
    path("moderation/cases/<str:number>/", views_moderation.decide_case, name="moderate_case"),
]
