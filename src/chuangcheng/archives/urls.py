"""Archive pages under /archives/ (namespace ``archives``)."""

from django.urls import URLPattern, URLResolver, path

from chuangcheng.archives import views, views_levels, views_materials, views_office

app_name = "archives"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("requirements/<int:pk>/", views.requirement, name="requirement"),
    path("requirements/<int:pk>/file/", views.file_new, name="file"),
    path("requirements/<int:pk>/attach/", views.attach_existing, name="attach"),
    path("attachments/<int:pk>/decide/", views.decide_view, name="decide"),
    path("attachments/<int:pk>/withdraw/", views.withdraw_view, name="withdraw"),
    path("materials/", views_materials.library, name="library"),
    path("materials/<int:pk>/", views_materials.material_detail, name="material"),
    path("materials/<int:pk>/version/", views_materials.new_version, name="version"),
    path("files/<int:pk>/", views_materials.download, name="download"),
    path("review/", views_office.review_queue, name="review"),
    path("matrix/", views_office.matrix, name="matrix"),
    path("matrix.xlsx", views_office.matrix_xlsx, name="matrix_xlsx"),
    path("package/", views_office.package_view, name="package"),
    path("package/<int:pk>/download/", views_office.package_download, name="package_download"),
    path("sync/", views_office.sync, name="sync"),
    path("levels/", views_levels.levels_view, name="levels"),
]
