"""Serving photos. Files are never reachable under MEDIA_URL in production: every photo goes
through these views, which ask who may see it.

- ``/photos/<pk>/``: the original, to whoever uploaded it or sees its case as staff; audited.
- ``/photos/<pk>/thumb/``: a small copy of the original, under the same rule.
- ``/photos/<pk>/public/``: the face-blurred, metadata-free copy, to anyone once approved (and
  before that to those who may see the original, so the moderator can preview it).
Anything else answers 404, so nobody learns that a photo exists.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from chuangcheng.cases.domain.photos import EXTENSIONS, photos_visible_to
from chuangcheng.cases.domain.public_copy import thumb_name, write_thumb
from chuangcheng.cases.enums import Moderation
from chuangcheng.cases.models import Photo
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction

PRIVATE = "private, no-store"


def _private(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = PRIVATE
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def photo_original(request: HttpRequest, pk: int) -> HttpResponseBase:
    photo = get_object_or_404(photos_visible_to(request.user), pk=pk)
    audit.record(request.user, AuditAction.VIEW_PERSONAL, photo, note="original photo")
    response = FileResponse(
        photo.image.open("rb"),
        content_type=photo.content_type,
        as_attachment=False,
        filename=f"photo-{photo.pk}.{EXTENSIONS.get(photo.content_type, 'bin')}",
    )
    return _private(response)


@login_required
@require_GET
def photo_thumb(request: HttpRequest, pk: int) -> HttpResponseBase:
    photo = get_object_or_404(photos_visible_to(request.user), pk=pk)
    name = thumb_name(photo)
    if not default_storage.exists(name):
        # Made with the public copy after commit; made here when that task has not run yet.
        name = write_thumb(photo)
    return _private(FileResponse(default_storage.open(name, "rb"), content_type="image/jpeg"))


@require_GET
def photo_public(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Approved copies to anyone; before approval, only to those who may see the original (the
    moderator previews what would be published)."""
    photo = get_object_or_404(Photo.objects.exclude(public_image=""), pk=pk)
    if photo.moderation != Moderation.APPROVED:
        if not photos_visible_to(request.user).filter(pk=pk).exists():
            raise Http404
        response = FileResponse(photo.public_image.open("rb"), content_type="image/jpeg")
        return _private(response)
    response = FileResponse(photo.public_image.open("rb"), content_type="image/jpeg")
    # Short: a moderator may still withdraw an approval.
    response["Cache-Control"] = "public, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response
