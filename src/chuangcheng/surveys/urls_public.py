"""Public answering pages: /s/<token>/ (no login; the link is the key)."""

from django.urls import URLPattern, URLResolver, path

from chuangcheng.surveys import views_public

app_name = "surveys_public"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<str:token>/", views_public.start, name="start"),
    path("<str:token>/answer/", views_public.answer, name="answer"),
    path("<str:token>/thanks/<str:kind>/", views_public.thanks, name="thanks"),
]
