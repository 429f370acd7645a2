"""Public practice pages under /p/: ordering by QR code, following and rating an order or a
wish by its link. The token in the URL is the key; no account is needed."""

from django.urls import URLPattern, URLResolver

from chuangcheng.practice import urls_orders, urls_wishes

app_name = "practice_public"

urlpatterns: list[URLPattern | URLResolver] = [
    *urls_orders.public_urlpatterns,
    *urls_wishes.public_urlpatterns,
]
