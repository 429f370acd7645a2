"""Practice pages under /practice/ (staff, volunteers, residents with an account); the public
pages reached by QR code or link are in urls_public under /p/.

The network, orders, wishes and the banks each keep their own URL list."""

from django.urls import URLPattern, URLResolver, include, path

from chuangcheng.practice import urls_categories, urls_network, urls_orders, urls_wishes

app_name = "practice"

urlpatterns: list[URLPattern | URLResolver] = [
    *urls_categories.urlpatterns,
    *urls_network.urlpatterns,
    *urls_orders.urlpatterns,
    *urls_wishes.urlpatterns,
    path("bank/", include("chuangcheng.practice.urls_bank")),
]
