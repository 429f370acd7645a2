"""Taking in photos: the type is read from the bytes (never the name), the size is capped, the
image must decode, and the original is stored under its SHA-256. EXIF time and GPS position are
read for the record; public copies never carry them (see :mod:`.public_copy`).

A file written inside :func:`discard_files_on_failure` is deleted again when the block fails, so a
refused or rolled-back submission leaves no file behind. The public copy is made by a task queued
after the transaction commits."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
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
        register_heif()
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def register_heif() -> None:
    """Let Pillow open HEIC/HEIF (iPhone photos); safe to call repeatedly."""
    import pillow_heif

    pillow_heif.register_heif_opener()


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


_written: ContextVar[list[str] | None] = ContextVar("photo_files_written", default=None)


@contextmanager
def discard_files_on_failure() -> Iterator[None]:
    """Run the block in a transaction; when it raises, delete every photo file stored inside it
    (the database rows roll back with the transaction, the files would not). Blocks nest: an
    outer block that fails also deletes what inner blocks wrote."""
    outer = _written.get()
    names: list[str] = outer if outer is not None else []
    start = len(names)
    token = _written.set(names)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for name in names[start:]:
            default_storage.delete(name)
        del names[start:]
        raise
    finally:
        _written.reset(token)


def _remember(name: str) -> None:
    names = _written.get()
    if names is not None:
        names.append(name)


@dataclass(frozen=True)
class Upload:
    """A photo that passed :func:`check_photo` and is not stored yet."""

    name: str
    data: bytes


class PhotoRejectedError(CaseValidationError):
    """One or more files are not acceptable photos; ``names`` are those files."""

    def __init__(self, errors: dict[str, list[str]], names: list[str]) -> None:
        super().__init__(errors)
        self.names = names


def check_uploads(files: Sequence[tuple[str, bytes]]) -> list[Upload]:
    """Check every file before anything is stored. When any is bad, raise PhotoRejectedError
    with one message per bad file, naming it; nothing has been written."""
    checked: list[Upload] = []
    messages: list[str] = []
    bad: list[str] = []
    for name, data in files:
        try:
            check_photo(data, name)
        except CaseValidationError as exc:
            messages.extend(m for ms in exc.errors.values() for m in ms)
            bad.append(name)
        else:
            checked.append(Upload(name=name, data=data))
    if bad:
        raise PhotoRejectedError({"photo": messages}, bad)
    return checked


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
    wins over the one in EXIF. Once the transaction commits, a task makes the public copy
    (faces blurred, no metadata) and the thumbnail."""
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
    with discard_files_on_failure():
        photo.image.save(f"{digest}.{EXTENSIONS[content_type]}", ContentFile(data), save=False)
        _remember(str(photo.image.name))
        photo.save()
    transaction.on_commit(lambda: _queue_public_copy(photo.pk))
    return photo


def store_uploads(uploads: Sequence[Upload], *, actor: Any) -> list[Photo]:
    """Store checked uploads as the actor's pending photos (no case yet), all or none."""
    with discard_files_on_failure():
        return [store_photo(u.data, actor=actor, name=u.name) for u in uploads]


def pending_photos(actor: Any, ids: Sequence[int]) -> list[Photo]:
    """The actor's own photos among ``ids`` that are not attached to a case yet; ids of anyone
    else's photos are ignored, so a forged form field cannot take over a photo."""
    if not getattr(actor, "is_authenticated", False) or not ids:
        return []
    return list(
        Photo.objects.filter(pk__in=list(ids), uploaded_by=actor, case__isnull=True).order_by("pk")
    )


def _queue_public_copy(photo_id: int) -> None:
    from chuangcheng.cases.photo_tasks import make_public_copy

    make_public_copy.enqueue(photo_id)


def photos_visible_to(user: Any) -> QuerySet[Photo]:
    """Photos whose original ``user`` may see: the ones they uploaded, and every photo of a case
    they see as staff (leader, office, inspector, auditor, unit). Someone who sees a case only
    because they reported it is the public for everybody else's photos: they get the approved
    public copies, never the originals."""
    from chuangcheng.accounts.scope import scope_of
    from chuangcheng.cases.models import REGION_ROLES, Case

    if not getattr(user, "is_authenticated", False):
        return Photo.objects.none()
    scope = scope_of(user)
    cond = Q(uploaded_by=user)
    if scope.everything or scope.unit_ids or any(r in scope.role_prefixes for r in REGION_ROLES):
        cond |= Q(case__in=Case.objects.visible_to(user))
    return Photo.objects.filter(cond)


def discard_abandoned(*, older_than: dt.timedelta) -> int:
    """Delete photos attached to nothing (no case, nothing else pointing at them) that were
    uploaded more than ``older_than`` ago, with their original, public copy and thumbnail;
    returns how many."""
    from chuangcheng.cases.domain.public_copy import thumb_name

    cutoff = timezone.now() - older_than
    qs = Photo.objects.filter(case__isnull=True, uploaded_at__lt=cutoff)
    # Other apps (inspections) may hold photos without a case: never touch one they point at.
    for rel in Photo._meta.related_objects:
        qs = qs.filter(**{f"{rel.name}__isnull": True})
    stale = list(qs)
    for photo in stale:
        for name in (photo.image.name, photo.public_image.name, thumb_name(photo)):
            if name:
                default_storage.delete(name)
    Photo.objects.filter(pk__in=[p.pk for p in stale]).delete()
    return len(stale)
