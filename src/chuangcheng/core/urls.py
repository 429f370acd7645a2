from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from chuangcheng.core import views, views_audit_chain, views_inbox

app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/verify/", views_audit_chain.audit_verify, name="audit_verify"),
    path("inbox/", views_inbox.inbox, name="inbox"),
    path("inbox/badge/", views_inbox.inbox_badge, name="inbox_badge"),
    path("inbox/<int:pk>/read/", views_inbox.inbox_read, name="inbox_read"),
    path("inbox/read-all/", views_inbox.inbox_read_all, name="inbox_read_all"),
    # Browsers ask for /favicon.ico whatever the page says; point them at the SVG icon.
    path("favicon.ico", RedirectView.as_view(url=static("chuangcheng/icon.svg"), permanent=True)),
]
