from django.urls import path

from chuangcheng.frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_list, name="list"),
    path("import/", views.framework_import, name="import"),
    path("import/template.xlsx", views.framework_import_template, name="import_template"),
    path("<int:pk>/", views.framework_detail, name="detail"),
    path("<int:pk>/export/", views.framework_export, name="export"),
    path("<int:pk>/nodes/<int:node_pk>/edit/", views.node_edit, name="node_edit"),
    path("<int:pk>/new-version/", views.framework_new_version, name="new_version"),
    path("<int:pk>/activate/", views.framework_activate, name="activate"),
    path("<int:pk>/archive/", views.framework_archive, name="archive"),
]
