"""Serving evidence photos of orders, wishes and awards, and reading uploaded ones.

The photos are ``cases.Photo`` rows (checked, EXIF read, faces blurred in the public copy by the
cases app's pipeline). A practice page serves one only after the caller found its order, wish or
award in the user's ``visible_to`` queryset; this module never decides who may see it."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.http.response import HttpResponseBase

from chuangcheng.cases.domain.photos import EXTENSIONS, Upload, check_uploads, store_uploads
from chuangcheng.cases.domain.public_copy import thumb_name, write_thumb
from chuangcheng.cases.enums import Moderation
from chuangcheng.cases.models import Photo
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction


def _private(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def original_response(photo: Photo, *, viewer: Any) -> HttpResponseBase:
    """The original file (audited as a view of personal data: faces are not blurred)."""
    audit.record(viewer, AuditAction.VIEW_PERSONAL, photo, note="practice evidence photo")
    return _private(
        FileResponse(
            photo.image.open("rb"),
            content_type=photo.content_type,
            filename=f"photo-{photo.pk}.{EXTENSIONS.get(photo.content_type, 'bin')}",
        )
    )


def thumb_response(photo: Photo) -> HttpResponseBase:
    name = thumb_name(photo)
    if not default_storage.exists(name):
        name = write_thumb(photo)
    return _private(FileResponse(default_storage.open(name, "rb"), content_type="image/jpeg"))


def public_response(photo: Photo, *, preview: bool = False) -> HttpResponseBase | None:
    """The face-blurred copy once station staff approved it for display, else None. With
    ``preview`` (station staff deciding on it) the copy is served before approval."""
    if not photo.public_image or not (preview or photo.moderation == Moderation.APPROVED):
        return None
    return _private(FileResponse(photo.public_image.open("rb"), content_type="image/jpeg"))


def store_files(files: list[Any], *, actor: Any) -> list[Photo]:
    """Check every uploaded file, then store them all (or raise ``PhotoRejectedError`` naming the
    bad files, having stored nothing). Call inside the caller's ``discard_files_on_failure``
    block when the photos are attached in the same transaction."""
    uploads: list[Upload] = check_uploads([(f.name, f.read()) for f in files])
    return store_uploads(uploads, actor=actor)
