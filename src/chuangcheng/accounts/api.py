"""REST endpoints for accounts under /api/v1/users: the office's view of people and grants,
and everyone's own profile. Phones only leave masked."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from chuangcheng.accounts.models import Grant, User
from chuangcheng.accounts.schemas import UserOut, UserPage
from chuangcheng.core.api_support import Error

router = Router(tags=["accounts"])

MAX_LIMIT = 500


def _grants() -> Prefetch[Any]:
    return Prefetch(
        "grants", queryset=Grant.objects.select_related("region", "unit").order_by("role", "id")
    )


def _user_out(u: User) -> dict[str, Any]:
    return {
        "id": u.pk,
        "username": u.username,
        "display_name": u.display_name,
        "phone_masked": u.phone_masked,
        "is_active": u.is_active,
        "must_change_password": u.must_change_password,
        "grants": [
            {
                "id": g.pk,
                "role": g.role,
                "region": g.region.code if g.region else None,
                "region_name": g.region.name if g.region else None,
                "unit": g.unit.code if g.unit else None,
                "unit_name": g.unit.name if g.unit else None,
            }
            for g in u.grants.all()
        ],
    }


def _office(request: HttpRequest) -> None:
    if not request.user.has_perm("accounts.view_users"):
        raise HttpError(
            403, _("Only the civilization office and the system and security administrators.")
        )


@router.get("", response={200: UserPage, 403: Error}, summary="List users (office)")
def list_users(
    request: HttpRequest,
    *,
    q: str = "",
    role: str = "",
    limit: int = Query(100, ge=1, le=MAX_LIMIT),  # type: ignore[type-arg]
    offset: int = Query(0, ge=0),  # type: ignore[type-arg]
) -> dict[str, Any]:
    _office(request)
    qs = User.objects.visible_to(request.user)
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    if role:
        qs = qs.filter(grants__role=role).distinct()
    qs = qs.order_by("username")
    page = qs.prefetch_related(_grants())[offset : offset + limit]
    return {"count": qs.count(), "items": [_user_out(u) for u in page]}


@router.get("/me", response=UserOut, summary="My own profile and grants")
def me(request: HttpRequest) -> dict[str, Any]:
    user = User.objects.prefetch_related(_grants()).get(pk=request.user.pk)
    return _user_out(user)


@router.get("/{int:user_id}", response={200: UserOut, 403: Error, 404: Error}, summary="One user")
def get_user(request: HttpRequest, user_id: int) -> dict[str, Any]:
    _office(request)
    user = get_object_or_404(
        User.objects.visible_to(request.user).prefetch_related(_grants()), pk=user_id
    )
    return _user_out(user)
