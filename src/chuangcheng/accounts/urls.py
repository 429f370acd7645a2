from django.contrib.auth import views as auth_views
from django.urls import path

from chuangcheng.accounts import views, views_admin, views_mfa

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views_mfa.login_code, name="login_code"),
    path("login/enrol/", views_mfa.login_enrol, name="login_enrol"),
    path("2fa/qr.svg", views_mfa.enrol_qr, name="mfa_qr"),
    path("me/2fa/", views_mfa.setup, name="mfa_setup"),
    path("me/2fa/off/", views_mfa.turn_off, name="mfa_off"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("me/", views.profile, name="profile"),
    path("me/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("users/", views_admin.user_list, name="user_list"),
    path("users/new/", views_admin.user_create, name="user_create"),
    path("users/<int:pk>/", views_admin.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views_admin.user_edit, name="user_edit"),
    path("users/<int:pk>/grants/", views_admin.grant_add, name="grant_add"),
    path(
        "users/<int:pk>/grants/<int:grant_id>/remove/",
        views_admin.grant_remove,
        name="grant_remove",
    ),
    path("users/<int:pk>/password/", views_admin.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/active/", views_admin.user_set_active, name="user_set_active"),
    path("users/<int:pk>/unlock/", views_admin.user_unlock, name="user_unlock"),
    path("users/<int:pk>/2fa/reset/", views_admin.user_reset_mfa, name="user_reset_mfa"),
    path("users/<int:pk>/reveal/", views_admin.user_reveal_phone, name="user_reveal_phone"),
]
