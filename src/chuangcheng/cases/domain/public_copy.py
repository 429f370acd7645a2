"""The copy of a photo that may be shown to the public, and the staff thumbnail.

The public copy is re-encoded from pixels (so no EXIF, GPS, maker notes or ICC block survives),
turned upright from the EXIF orientation first, scaled to at most :data:`PUBLIC_MAX_SIDE`, and
every face OpenCV's bundled Haar cascades find is blurred beyond recognition. It is shown only
after a moderator approves it (:mod:`.moderation`).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from chuangcheng.cases.domain.photos import register_heif
from chuangcheng.cases.models import Photo

Box = tuple[int, int, int, int]  # x, y, width, height in pixels
Detector = Callable[[Any], Sequence[Box]]

PUBLIC_MAX_SIDE = 2048
THUMB_MAX_SIDE = 480
JPEG_QUALITY = 85
# Faces are blurred with a margin: a cascade's box stops at the brows and chin, and hair and
# ears help recognise someone too.
MARGIN = 0.25
CASCADES = (
    "haarcascade_frontalface_default.xml",
    "haarcascade_frontalface_alt2.xml",
    "haarcascade_profileface.xml",
)


class DetectorMissingError(RuntimeError):
    """The installed OpenCV ships no Haar cascades (the 5.x wheels dropped them)."""


@cache
def _cascades() -> tuple[Any, ...]:
    import cv2

    folder = Path(cv2.data.haarcascades)  # type: ignore[attr-defined]
    loaded = []
    for name in CASCADES:
        path = folder / name
        if not path.exists():
            raise DetectorMissingError(
                f"{path} is missing: install opencv-python-headless < 5, whose wheel ships it"
            )
        loaded.append(cv2.CascadeClassifier(str(path)))
    return tuple(loaded)


def detect_faces(rgb: Any) -> list[Box]:
    """Faces in an RGB pixel array, frontal and in profile (both directions). Recall matters
    more than precision here: blurring a patch that was no face costs little."""
    import cv2

    gray = cv2.equalizeHist(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))
    height, width = gray.shape
    smallest = max(20, min(width, height) // 40)
    boxes: list[Box] = []
    frontal_default, frontal_alt, profile = _cascades()
    for cascade in (frontal_default, frontal_alt, profile):
        found = cascade.detectMultiScale(
            gray, scaleFactor=1.1, minNeighbors=5, minSize=(smallest, smallest)
        )
        boxes.extend(tuple(int(v) for v in box) for box in found)  # type: ignore[misc]
    # The profile cascade finds faces turned one way; mirror the image for the other.
    mirrored = profile.detectMultiScale(
        cv2.flip(gray, 1), scaleFactor=1.1, minNeighbors=5, minSize=(smallest, smallest)
    )
    boxes.extend((width - int(x) - int(w), int(y), int(w), int(h)) for x, y, w, h in mirrored)
    return merge_overlapping(boxes)


def merge_overlapping(boxes: Sequence[Box]) -> list[Box]:
    """One box per face: boxes that overlap (the cascades often find the same face) are
    replaced by the box around them, until no two overlap."""
    merged = [tuple(b) for b in boxes]
    changed = True
    while changed:
        changed = False
        for i in range(len(merged)):
            for j in range(i + 1, len(merged)):
                a, b = merged[i], merged[j]
                if (
                    a[0] < b[0] + b[2]
                    and b[0] < a[0] + a[2]
                    and a[1] < b[1] + b[3]
                    and b[1] < a[1] + a[3]
                ):
                    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
                    x1 = max(a[0] + a[2], b[0] + b[2])
                    y1 = max(a[1] + a[3], b[1] + b[3])
                    merged[i] = (x0, y0, x1 - x0, y1 - y0)
                    del merged[j]
                    changed = True
                    break
            if changed:
                break
    return sorted(merged)  # type: ignore[arg-type]


def blur_boxes(rgb: Any, boxes: Sequence[Box]) -> Any:
    """A copy of ``rgb`` with each box (grown by :data:`MARGIN`) pixelated to about 6 blocks
    across and then smoothed, so no facial detail is left; pixels outside the boxes are kept."""
    import cv2

    out = rgb.copy()
    height, width = out.shape[:2]
    for x, y, w, h in boxes:
        dx, dy = int(w * MARGIN), int(h * MARGIN)
        x0, y0 = max(0, x - dx), max(0, y - dy)
        x1, y1 = min(width, x + w + dx), min(height, y + h + dy)
        if x1 - x0 < 2 or y1 - y0 < 2:
            continue
        region = out[y0:y1, x0:x1]
        small = cv2.resize(region, (6, 6), interpolation=cv2.INTER_AREA)
        blocks = cv2.resize(small, (x1 - x0, y1 - y0), interpolation=cv2.INTER_NEAREST)
        k = max(3, (min(x1 - x0, y1 - y0) // 4) | 1)
        out[y0:y1, x0:x1] = cv2.GaussianBlur(blocks, (k, k), 0)
    return out


def _upright_rgb(data: bytes, content_type: str, max_side: int) -> Any:
    from PIL import Image, ImageOps

    if content_type == "image/heic":
        register_heif()
    with Image.open(io.BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGB")
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return np.asarray(image)


def _jpeg(rgb: Any) -> bytes:
    from PIL import Image

    # A fresh image from the pixel array carries no metadata of any kind.
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buf.getvalue()


def public_jpeg(
    data: bytes, content_type: str, detector: Detector | None = None
) -> tuple[bytes, int]:
    """The public JPEG of a photo and the number of faces blurred in it."""
    rgb = _upright_rgb(data, content_type, PUBLIC_MAX_SIDE)
    boxes = list((detector or detect_faces)(rgb))
    return _jpeg(blur_boxes(rgb, boxes)), len(boxes)


def thumb_jpeg(data: bytes, content_type: str) -> bytes:
    """A small upright JPEG of the original for staff lists (no metadata, faces not blurred:
    it is served under the same rule as the original)."""
    return _jpeg(_upright_rgb(data, content_type, THUMB_MAX_SIDE))


def thumb_name(photo: Photo) -> str:
    return f"thumbs/{photo.sha256[:2]}/{photo.pk}.jpg"


def write_thumb(photo: Photo) -> str:
    """Store the thumbnail (again) and return its storage name."""
    with photo.image.open("rb") as fh:
        data = fh.read()
    name = thumb_name(photo)
    default_storage.delete(name)
    return default_storage.save(name, ContentFile(thumb_jpeg(data, photo.content_type)))


def write_public_copy(photo: Photo, detector: Detector | None = None) -> int:
    """Make (or remake) the public copy and the thumbnail of ``photo``; returns the number of
    faces blurred. Idempotent: running it twice leaves one copy. Remaking the copy sends the
    photo back to moderation unless it was refused."""
    from chuangcheng.cases.enums import Moderation

    with photo.image.open("rb") as fh:
        data = fh.read()
    jpeg, faces = public_jpeg(data, photo.content_type, detector)
    old = photo.public_image.name
    photo.public_image.save(f"{photo.sha256}.jpg", ContentFile(jpeg), save=False)
    if old and old != photo.public_image.name:
        default_storage.delete(old)
    photo.faces_blurred = faces
    fields = ["public_image", "faces_blurred"]
    if photo.moderation == Moderation.APPROVED:
        photo.moderation = Moderation.PENDING
        fields.append("moderation")
    photo.save(update_fields=fields)
    write_thumb(photo)
    return faces
