"""Taking in photos: the type is read from the bytes (never the name), the size is capped, the
image must decode, and the original is stored under its SHA-256. EXIF time and GPS position are
read for the record; public copies never carry them (see ``public_copy``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.cases.domain.errors import CaseValidationError
from chuangcheng.cases.enums import PhotoStage
from chuangcheng.cases.models import Photo

_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis")


def sniff(head: bytes) -> str | None:
    """The image type from the first bytes: image/jpeg, image/png, image/webp, image/heic."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "image/heic"
    return None


def _open_image(data: bytes, content_type: str) -> Any:
    from PIL import Image

    if content_type == "image/heic":
        import pillow_heif

        pillow_heif.register_heif_opener()
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _exif_position(image: Any) -> tuple[Decimal | None, Decimal | None, dt.datetime | None]:
    try:
        exif = image.getexif()
    except Exception:  # a broken EXIF block must not refuse an otherwise good photo
        return None, None, None
    taken: dt.datetime | None = None
    raw_time = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)
    if isinstance(raw_time, str):
        try:
            taken = timezone.make_aware(dt.datetime.strptime(raw_time.strip(), "%Y:%m:%d %H:%M:%S"))
        except ValueError:
            taken = None
    gps = exif.get_ifd(0x8825)
    try:
        lat = _dms(gps[2], gps.get(1, "N"))
        lng = _dms(gps[4], gps.get(3, "E"))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None, None, taken
    return lng, lat, taken


def _dms(values: Any, ref: str) -> Decimal:
    d, m, s = (float(v) for v in values)
    value = d + m / 60 + s / 3600
    if ref in ("S", "W"):
        value = -value
    return Decimal(repr(value)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def check_photo(data: bytes, name: str = "") -> tuple[str, Any]:
    """Validate photo bytes; returns (content type, decoded image) or raises
    CaseValidationError with a message naming the file."""
    label = name or _("the photo")
    limit = int(settings.PHOTO_MAX_BYTES)
    if not data:
        raise CaseValidationError({"photo": [_("%(name)s is empty.") % {"name": label}]})
    if len(data) > limit:
        raise CaseValidationError(
            {
                "photo": [
                    _("%(name)s is larger than %(mb)d MB.")
                    % {"name": label, "mb": limit // (1024 * 1024)}
                ]
            }
        )
    content_type = sniff(data[:32])
    if content_type is None:
        raise CaseValidationError(
            {"photo": [_("%(name)s is not a JPEG, PNG, WebP or HEIC photo.") % {"name": label}]}
        )
    try:
        image = _open_image(data, content_type)
    except Exception as exc:  # Pillow raises many types for corrupt files
        raise CaseValidationError(
            {"photo": [_("%(name)s cannot be read as an image.") % {"name": label}]}
        ) from exc
    return content_type, image


EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic"}


def store_photo(
    data: bytes,
    *,
    actor: Any,
    name: str = "",
    stage: str = PhotoStage.REPORT,
    lng: Decimal | None = None,
    lat: Decimal | None = None,
    taken_at: dt.datetime | None = None,
) -> Photo:
    """Check and store one photo, not yet attached to a case. The position given by the phone
    wins over the one in EXIF."""
    content_type, image = check_photo(data, name)
    exif_lng, exif_lat, exif_time = _exif_position(image)
    digest = hashlib.sha256(data).hexdigest()
    photo = Photo(
        stage=stage,
        sha256=digest,
        content_type=content_type,
        size=len(data),
        width=image.width,
        height=image.height,
        lng=lng if lng is not None else exif_lng,
        lat=lat if lat is not None else exif_lat,
        taken_at=taken_at or exif_time,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    photo.image.save(f"{digest}.{EXTENSIONS[content_type]}", ContentFile(data), save=False)
    photo.save()
    return photo
