"""Upload rules and the public copy: type by content, size cap, decoding, EXIF removed,
orientation applied, HEIC, faces blurred; failed submissions leave no file behind."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import cv2
import numpy as np
import pytest
from django.core.files.storage import default_storage
from PIL import Image

from chuangcheng.cases.domain import public_copy
from chuangcheng.cases.domain.errors import CaseValidationError
from chuangcheng.cases.domain.photos import (
    PhotoRejectedError,
    check_uploads,
    discard_files_on_failure,
    store_photo,
)
from chuangcheng.cases.models import Photo
from tests.cases.report_images import FACE_JPEG, encode, gps_exif, jpeg, pattern


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def files_in(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_text_file_named_jpg_is_refused_by_content(db, media) -> None:
    with pytest.raises(CaseValidationError) as err:
        store_photo(b"hello, this is not a photo at all", actor=None, name="photo.jpg")
    assert err.value.errors == {"photo": ["photo.jpg 不是 JPEG、PNG、WebP 或 HEIC 格式的照片。"]}
    assert Photo.objects.count() == 0
    assert files_in(media) == []


def test_truncated_jpeg_is_refused(db, media) -> None:
    data = jpeg(200, 150)
    with pytest.raises(CaseValidationError) as err:
        store_photo(data[: len(data) // 2], actor=None, name="half.jpg")
    assert err.value.errors == {"photo": ["half.jpg 无法识别为图片，文件可能已损坏。"]}
    assert Photo.objects.count() == 0
    assert files_in(media) == []


def test_oversize_file_is_refused(db, media, settings) -> None:
    settings.PHOTO_MAX_BYTES = 2 * 1024 * 1024
    data = b"\xff\xd8\xff" + b"\0" * (2 * 1024 * 1024)
    with pytest.raises(CaseValidationError) as err:
        store_photo(data, actor=None, name="big.jpg")
    assert err.value.errors == {"photo": ["big.jpg 超过 2 MB。"]}
    assert files_in(media) == []


def test_check_uploads_names_every_bad_file_and_stores_nothing(db, media) -> None:
    with pytest.raises(PhotoRejectedError) as err:
        check_uploads([("ok.png", encode("PNG")), ("a.jpg", b"text"), ("b.webp", b"RIFF")])
    assert err.value.names == ["a.jpg", "b.webp"]
    assert len(err.value.errors["photo"]) == 2
    assert files_in(media) == []


@pytest.mark.parametrize(
    ("fmt", "content_type", "ext"),
    [
        ("JPEG", "image/jpeg", "jpg"),
        ("PNG", "image/png", "png"),
        ("WEBP", "image/webp", "webp"),
        ("HEIF", "image/heic", "heic"),
    ],
)
def test_each_accepted_type_is_stored_with_a_public_jpeg(
    db, media, fmt, content_type, ext, django_capture_on_commit_callbacks
) -> None:
    data = encode(fmt, 64, 48)
    with django_capture_on_commit_callbacks(execute=True):
        photo = store_photo(data, actor=None, name=f"x.{ext}")
    photo.refresh_from_db()
    assert (photo.content_type, photo.width, photo.height) == (content_type, 64, 48)
    assert photo.image.name.endswith(f".{ext}")
    with Image.open(photo.public_image.open("rb")) as pub:
        assert (pub.format, pub.size) == ("JPEG", (64, 48))
    assert default_storage.exists(public_copy.thumb_name(photo))


def test_png_with_gps_is_read_but_the_public_copy_has_no_metadata(
    db, media, django_capture_on_commit_callbacks
) -> None:
    data = encode("PNG", 80, 60, exif=gps_exif(116.405, 39.925))
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(0x8825)  # the test file really carries GPS
    with django_capture_on_commit_callbacks(execute=True):
        photo = store_photo(data, actor=None, name="gps.png")
    photo.refresh_from_db()
    assert (photo.lng, photo.lat) == (Decimal("116.405000"), Decimal("39.925000"))
    public = photo.public_image.open("rb").read()
    with Image.open(io.BytesIO(public)) as pub:
        assert dict(pub.getexif()) == {}
        assert "exif" not in pub.info and "icc_profile" not in pub.info
    assert b"Exif" not in public and b"TestCam" not in public
    thumb = default_storage.open(public_copy.thumb_name(photo)).read()
    assert b"Exif" not in thumb and b"TestCam" not in thumb


def test_orientation_is_applied_before_the_metadata_goes(db, media) -> None:
    # Orientation 6: the camera was turned; the pixels are stored 80×40 and shown 40×80.
    data = encode("JPEG", 80, 40, exif=gps_exif(116.4, 39.9, orientation=6))
    out, _faces = public_copy.public_jpeg(data, "image/jpeg", detector=lambda rgb: [])
    with Image.open(io.BytesIO(out)) as pub:
        assert pub.size == (40, 80)
        assert dict(pub.getexif()) == {}


def test_blur_changes_only_the_detected_box_and_wipes_its_detail() -> None:
    rgb = np.tile(pattern(64, 48), (2, 2, 1))  # 128×96
    box = (40, 30, 32, 24)
    out = public_copy.blur_boxes(rgb, [box])
    x, y, w, h = box
    dx, dy = int(w * public_copy.MARGIN), int(h * public_copy.MARGIN)
    inside = (slice(y - dy, y + h + dy), slice(x - dx, x + w + dx))
    outside = np.ones(rgb.shape[:2], dtype=bool)
    outside[inside] = False
    assert np.array_equal(out[outside], rgb[outside])
    # The checkerboard's pixel-to-pixel detail is gone inside the box.
    detail_before = np.abs(np.diff(rgb[inside].astype(int), axis=1)).mean()
    detail_after = np.abs(np.diff(out[inside].astype(int), axis=1)).mean()
    assert detail_before > 30
    assert detail_after < detail_before / 10


def test_the_public_copy_blurs_where_the_detector_points(db, media) -> None:
    data = encode("PNG", 128, 96)
    out, faces = public_copy.public_jpeg(data, "image/png", detector=lambda rgb: [(40, 30, 32, 24)])
    assert faces == 1
    plain, none = public_copy.public_jpeg(data, "image/png", detector=lambda rgb: [])
    assert none == 0
    pub = np.asarray(Image.open(io.BytesIO(out)).convert("RGB")).astype(int)
    ref = np.asarray(Image.open(io.BytesIO(plain)).convert("RGB")).astype(int)
    face = (slice(30, 54), slice(40, 72))
    corner = (slice(0, 16), slice(0, 24))  # JPEG blocks away from the blurred box
    assert np.abs(np.diff(ref[face], axis=1)).mean() > 30
    assert np.abs(np.diff(pub[face], axis=1)).mean() < 10
    assert np.array_equal(pub[corner], ref[corner])


def test_real_detector_finds_and_blurs_a_real_face(
    db, media, django_capture_on_commit_callbacks
) -> None:
    """OpenCV's bundled frontal-face cascade on the portrait shipped with matplotlib."""
    data = FACE_JPEG.read_bytes()
    rgb = cv2.cvtColor(cv2.imread(str(FACE_JPEG)), cv2.COLOR_BGR2RGB)
    boxes = public_copy.detect_faces(rgb)
    assert len(boxes) == 1, "the bundled cascades find Grace Hopper's face, once"
    # Every box is on her face (rows 100–400 of 600, columns 130–400 of 512).
    for x, y, w, h in boxes:
        cx, cy = x + w / 2, y + h / 2
        assert 130 < cx < 400 and 100 < cy < 400
    with django_capture_on_commit_callbacks(execute=True):
        photo = store_photo(data, actor=None, name="grace_hopper.jpg")
    photo.refresh_from_db()
    assert photo.faces_blurred == len(boxes)
    pub = np.asarray(Image.open(photo.public_image.open("rb")).convert("RGB")).astype(int)
    x, y, w, h = boxes[0]
    face_before = np.abs(np.diff(rgb[y : y + h, x : x + w].astype(int), axis=1)).mean()
    face_after = np.abs(np.diff(pub[y : y + h, x : x + w], axis=1)).mean()
    assert face_after < face_before / 4
    # After blurring, the detector no longer finds the face: no box holds its centre.
    cx, cy = x + w // 2, y + h // 2
    again = public_copy.detect_faces(pub.astype(np.uint8))
    assert not [b for b in again if b[0] < cx < b[0] + b[2] and b[1] < cy < b[1] + b[3]]


def test_cascade_files_ship_with_the_installed_opencv() -> None:
    for name in public_copy.CASCADES:
        assert (Path(cv2.data.haarcascades) / name).exists()


def test_failed_transaction_leaves_no_file_and_no_row(db, media) -> None:
    with pytest.raises(RuntimeError), discard_files_on_failure():
        store_photo(jpeg(), actor=None, name="a.jpg")
        store_photo(encode("PNG"), actor=None, name="b.png")
        assert len(files_in(media)) == 2
        raise RuntimeError("the case could not be written")
    assert Photo.objects.count() == 0
    assert files_in(media) == []


def test_remaking_the_public_copy_keeps_one_file_and_asks_moderation_again(
    db, media, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        photo = store_photo(jpeg(), actor=None, name="a.jpg")
    photo.refresh_from_db()
    Photo.objects.filter(pk=photo.pk).update(moderation="approved")
    photo.refresh_from_db()
    public_copy.write_public_copy(photo)
    photo.refresh_from_db()
    assert photo.moderation == "pending"
    assert len([f for f in files_in(media) if f.startswith("public/")]) == 1


def test_overlapping_detections_count_as_one_face() -> None:
    boxes = [(10, 10, 20, 20), (15, 12, 20, 20), (100, 100, 10, 10), (28, 28, 10, 10)]
    assert public_copy.merge_overlapping(boxes) == [(10, 10, 28, 28), (100, 100, 10, 10)]
    assert public_copy.merge_overlapping([]) == []
