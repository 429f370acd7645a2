"""Order pages: /practice/orders/… and /practice/tasks/ (``urlpatterns``, included by urls.py),
and the public /p/o/<token>/ and /p/order/<token>/ (``public_urlpatterns``, by urls_public.py)."""

from django.urls import URLPattern, URLResolver, path

from chuangcheng.practice import (
    views_orders,
    views_orders_new,
    views_orders_qr,
    views_orders_tasks,
    views_photo_moderation,
    views_public_orders,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("orders/", views_orders.order_list, name="order_list"),
    path("orders/new/", views_orders_new.order_new, name="order_new"),
    path("orders/qr/", views_orders_qr.qr_codes, name="order_qr_codes"),
    path("orders/qr/<str:kind>/<int:pk>.<str:fmt>", views_orders_qr.order_qr, name="order_qr"),
    path(
        "orders/qr/<str:kind>/<int:pk>/poster/",
        views_orders_qr.order_poster,
        name="order_poster",
    ),
    path("orders/<int:pk>/", views_orders.order_detail, name="order_detail"),
    path("orders/<int:pk>/dispatch/", views_orders.order_dispatch, name="order_dispatch"),
    path("orders/<int:pk>/cancel/", views_orders.order_cancel, name="order_cancel"),
    path("orders/<int:pk>/call/", views_orders.order_call, name="order_call"),
    path(
        "orders/<int:pk>/photos/<int:photo_pk>/moderate/",
        views_photo_moderation.order_photo_moderate,
        name="order_photo_moderate",
    ),
    path(
        "orders/<int:pk>/photos/<int:photo_pk>/<str:size>/",
        views_orders.order_photo,
        name="order_photo",
    ),
    path("orders/<int:pk>/accept/", views_orders_tasks.order_accept, name="order_accept"),
    path("orders/<int:pk>/complete/", views_orders_tasks.order_complete, name="order_complete"),
    path("orders/<int:pk>/rate/", views_orders_tasks.order_rate, name="order_rate"),
    path("tasks/", views_orders_tasks.my_tasks, name="my_tasks"),
    path("my-orders/", views_orders_new.my_orders, name="my_orders"),
]

public_urlpatterns: list[URLPattern | URLResolver] = [
    path("o/<str:token>/", views_public_orders.order_at, name="order_at"),
    path("order/<str:token>/", views_public_orders.order_follow, name="order_follow"),
]
