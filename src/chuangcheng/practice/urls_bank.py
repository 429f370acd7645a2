"""Pages of the two banks under /practice/bank/: the summary and "My balance", the 居民公约,
awarding points, the 爱心超市 (goods, rules, the counter) and the ledger (accounts, statements,
exports, corrections)."""

from django.urls import URLPattern, URLResolver, path

from chuangcheng.practice import (
    views_bank,
    views_bank_award,
    views_bank_convention,
    views_bank_ledger,
    views_bank_redeem,
    views_bank_shop,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_bank.bank_home, name="bank_home"),
    path("mine/", views_bank.my_balance, name="my_balance"),
    path("convention/", views_bank_convention.convention, name="convention"),
    path("convention/new/", views_bank_convention.convention_edit, name="bank_convention_new"),
    path(
        "convention/<int:pk>/", views_bank_convention.convention_edit, name="bank_convention_edit"
    ),
    path(
        "convention/<int:pk>/toggle/",
        views_bank_convention.convention_toggle,
        name="bank_convention_toggle",
    ),
    path("award/", views_bank_award.award_new, name="award_new"),
    path("award/<str:kind>/<int:pk>/", views_bank_award.award_owner, name="bank_award_owner"),
    path("awards/<int:pk>/photo/", views_bank_award.award_photo, name="bank_award_photo"),
    path("shop/", views_bank_shop.shop, name="bank_shop"),
    path("shop/<int:site>/", views_bank_shop.site_shop, name="bank_site_shop"),
    path("shop/<int:site>/rules/", views_bank_shop.shop_rules, name="bank_shop_rules"),
    path("shop/goods/<int:pk>/", views_bank_shop.goods_edit, name="bank_goods_edit"),
    path("redeem/", views_bank_redeem.redeem, name="redeem"),
    path(
        "redeem/<int:site>/<str:kind>/<int:pk>/",
        views_bank_redeem.redeem_owner,
        name="bank_redeem_owner",
    ),
    path(
        "redemptions/<int:pk>/reverse/",
        views_bank_redeem.redemption_reverse,
        name="bank_redemption_reverse",
    ),
    path("accounts/", views_bank_ledger.accounts, name="accounts"),
    path("accounts/<int:pk>/", views_bank_ledger.account_detail, name="account_detail"),
    path(
        "accounts/<int:pk>/statement.<str:fmt>",
        views_bank_ledger.account_export,
        name="bank_account_export",
    ),
    path("transactions/<int:pk>/correct/", views_bank_ledger.txn_correct, name="bank_txn_correct"),
]
