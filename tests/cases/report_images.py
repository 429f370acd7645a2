"""Images made in the tests: real JPEG/PNG/WebP/HEIC bytes, with and without EXIF."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib as mpl
import numpy as np
from PIL import Image

# Grace Hopper's portrait ships inside matplotlib's wheel (mpl-data/sample_data): a real face.
FACE_JPEG = Path(mpl.get_data_path()) / "sample_data" / "grace_hopper.jpg"


def pattern(width: int = 64, height: int = 48) -> np.ndarray:
    """A deterministic high-detail RGB pattern (checkerboard plus gradients)."""
    y, x = np.mgrid[0:height, 0:width]
    checker = ((x // 2 + y // 2) % 2) * 200
    rgb = np.stack([checker, (x * 4) % 256, (y * 5) % 256], axis=-1)
    return rgb.astype(np.uint8)


def encode(fmt: str, width: int = 64, height: int = 48, exif: bytes | None = None) -> bytes:
    """The pattern encoded as ``fmt`` (JPEG, PNG, WEBP, HEIF), optionally with an EXIF block."""
    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
    buf = io.BytesIO()
    image = Image.fromarray(pattern(width, height))
    kwargs = {"exif": exif} if exif else {}
    image.save(buf, fmt, **kwargs)
    return buf.getvalue()


def jpeg(width: int = 64, height: int = 48) -> bytes:
    return encode("JPEG", width, height)


def gps_exif(lng: float, lat: float, orientation: int | None = None) -> bytes:
    """An EXIF block with a GPS position (and optionally an orientation)."""
    exif = Image.Exif()

    def dms(value: float) -> tuple[float, float, float]:
        d = int(value)
        m = int((value - d) * 60)
        s = round(((value - d) * 60 - m) * 60, 4)
        return (float(d), float(m), s)

    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = dms(lat)
    gps[3] = "E"
    gps[4] = dms(lng)
    exif[0x010F] = "TestCam"  # Make
    if orientation:
        exif[0x0112] = orientation
    return exif.tobytes()
