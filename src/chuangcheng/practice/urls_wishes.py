"""Wish pages under /practice/wishes/ (namespace ``practice``)."""

from django.urls import URLPattern, URLResolver, path

from chuangcheng.practice import (
    views_photo_moderation,
    views_public_wishes,
    views_wishes,
    views_wishes_actions,
    views_wishes_manage,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("wishes/", views_wishes.wish_wall, name="wish_wall"),
    path("wishes/new/", views_wishes.wish_new, name="wish_new"),
    path("wishes/mine/", views_wishes.my_wishes, name="my_wishes"),
    path("wishes/manage/", views_wishes_manage.wish_manage, name="wish_manage"),
    path("wishes/<int:pk>/", views_wishes.wish_detail, name="wish_detail"),
    path("wishes/<int:pk>/publish/", views_wishes_actions.wish_publish, name="wish_publish"),
    path("wishes/<int:pk>/claim/", views_wishes_actions.wish_claim, name="wish_claim"),
    path("wishes/<int:pk>/release/", views_wishes_actions.wish_release, name="wish_release"),
    path("wishes/<int:pk>/fulfil/", views_wishes_actions.wish_fulfil, name="wish_fulfil"),
    path("wishes/<int:pk>/rate/", views_wishes_actions.wish_rate, name="wish_rate"),
    path("wishes/<int:pk>/cancel/", views_wishes_actions.wish_cancel, name="wish_cancel"),
    path(
        "wishes/<int:pk>/photos/<int:photo_id>/moderate/",
        views_photo_moderation.wish_photo_moderate,
        name="wish_photo_moderate",
    ),
    path(
        "wishes/<int:pk>/photos/<int:photo_id>/<str:kind>/",
        views_wishes_actions.wish_photo,
        name="wish_photo",
    ),
]

# The public pages (no login), mounted by urls_public under /p/ (namespace practice_public).
public_urlpatterns: list[URLPattern | URLResolver] = [
    path("wish/<str:token>/", views_public_wishes.wish_submit, name="wish_submit"),
    path("w/<str:token>/", views_public_wishes.wish_follow, name="wish_follow"),
    path(
        "w/<str:token>/photos/<int:photo_id>/",
        views_public_wishes.wish_follow_photo,
        name="wish_follow_photo",
    ),
]
