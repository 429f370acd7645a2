"""Background work on photos: thin, idempotent wrappers that take ids."""

from __future__ import annotations

from django.tasks import task

from chuangcheng.cases.domain.public_copy import write_public_copy
from chuangcheng.cases.models import Photo


@task
def make_public_copy(photo_id: int) -> int:
    """Make the face-blurred, metadata-free public copy and the thumbnail of a stored photo;
    returns the number of faces blurred (0 when the photo is gone)."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:
        return 0
    return write_public_copy(photo)
