"""URLs (namespace ``scoring``) under /scoring/."""

from django.urls import URLPattern, URLResolver, path

from chuangcheng.scoring import views, views_manage

app_name = "scoring"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("node/<int:node_id>/", views.node, name="node"),
    path("recompute/", views.recompute, name="recompute"),
    path("snapshot/", views.snapshot, name="snapshot"),
    path("negative/", views_manage.negative_list, name="negative"),
    path("rules/", views_manage.rule_list, name="rules"),
    path("rules/<int:node_id>/", views_manage.rule_edit, name="rule_edit"),
]
