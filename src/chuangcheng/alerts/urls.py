"""URLs (namespace ``alerts``) under /alerts/: warnings, then the office's rules and robots."""

from django.urls import URLPattern, URLResolver, path

from chuangcheng.alerts import views, views_settings

app_name = "alerts"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.warning_list, name="list"),
    path("<int:pk>/", views.warning_detail, name="detail"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/resolve/", views.resolve, name="resolve"),
    path("evaluate/", views.evaluate_now, name="evaluate"),
    path("rules/", views_settings.rule_list, name="rules"),
    path("rules/new/", views_settings.rule_create, name="rule_create"),
    path("rules/<int:pk>/", views_settings.rule_edit, name="rule_edit"),
    path("webhooks/", views_settings.target_list, name="targets"),
    path("webhooks/new/", views_settings.target_create, name="target_create"),
    path("webhooks/<int:pk>/", views_settings.target_edit, name="target_edit"),
    path("webhooks/<int:pk>/test/", views_settings.target_test, name="target_test"),
]
