from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from chuangcheng.core import views

app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views.audit_log, name="audit"),
    # Browsers ask for /favicon.ico whatever the page says; point them at the SVG icon.
    path("favicon.ico", RedirectView.as_view(url=static("chuangcheng/icon.svg"), permanent=True)),
]
