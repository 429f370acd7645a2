"""Small images for tests, made with Pillow."""

from __future__ import annotations

import io


def jpeg(
    color: str | tuple[int, int, int] = (200, 30, 30), size: tuple[int, int] = (64, 48)
) -> bytes:
    """A plain JPEG of one colour."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG")
    return out.getvalue()
