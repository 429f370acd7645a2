"""Drawn photos for the demo's cases: a simple street scene per kind of problem, before and
after handling, each labelled 示例照片 (sample photo) with its case number so no one takes it for
a real photograph. Deterministic: the same seed draws the same picture."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

W, H = 480, 360
HORIZON = 200
FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)

Draw = Any  # PIL.ImageDraw.ImageDraw
Motif = Callable[[Draw, random.Random, bool], None]


@cache
def _font(size: int) -> tuple[Any, bool]:
    """A CJK font when one is installed (and whether it is one)."""
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size), True
    return ImageFont.load_default(), False


def _grey(rng: random.Random, base: int) -> tuple[int, int, int]:
    v = base + rng.randint(-12, 12)
    return (v, v, v + 4)


def _backdrop(d: Draw, rng: random.Random, *, night: bool = False) -> None:
    sky = (40, 52, 86) if night else (150 + rng.randint(0, 40), 190 + rng.randint(0, 30), 230)
    d.rectangle([0, 0, W, HORIZON], fill=sky)
    x = 0
    while x < W:  # 胡同 walls and roofs: grey brick and dark tiles
        w = rng.randint(70, 140)
        top = HORIZON - rng.randint(50, 110)
        d.rectangle([x, top, x + w, HORIZON], fill=_grey(rng, 150))
        d.polygon(
            [(x - 6, top), (x + w + 6, top), (x + w - 8, top - 18), (x + 8, top - 18)],
            fill=(70, 72, 80),
        )
        for wx in range(x + 12, x + w - 20, 34):
            d.rectangle(
                [wx, top + 18, wx + 16, top + 40],
                fill=(200, 60, 50) if rng.random() < 0.2 else (90, 100, 110),
            )
        x += w + rng.randint(0, 10)
    d.rectangle([0, HORIZON, W, H], fill=_grey(rng, 120))
    d.rectangle([0, HORIZON, W, HORIZON + 14], fill=(175, 170, 160))


def _garbage(d: Draw, rng: random.Random, clean: bool) -> None:
    d.rectangle([360, HORIZON - 30, 400, HORIZON + 30], fill=(30, 120, 60))
    d.rectangle([405, HORIZON - 30, 445, HORIZON + 30], fill=(60, 80, 160))
    if clean:
        return
    for _ in range(14):
        x, y = rng.randint(200, 460), rng.randint(HORIZON + 20, H - 40)
        c = rng.choice([(30, 30, 30), (220, 220, 210), (60, 110, 180), (200, 160, 60)])
        d.ellipse([x - 22, y - 16, x + 22, y + 16], fill=c)
    d.polygon([(120, H - 30), (180, HORIZON + 40), (250, H - 30)], fill=(120, 90, 60))


def _bikes(d: Draw, rng: random.Random, clean: bool) -> None:
    d.rectangle([40, HORIZON + 60, 440, HORIZON + 64], fill=(250, 250, 250))
    n = 3 if clean else 12
    for i in range(n):
        x = 60 + i * (30 if not clean else 70) + rng.randint(-8, 8)
        y = HORIZON + (70 if clean else rng.randint(40, 120))
        color = rng.choice([(250, 200, 0), (30, 160, 230), (240, 90, 40)])
        for cx in (x, x + 34):
            d.ellipse([cx - 14, y - 14, cx + 14, y + 14], outline=(30, 30, 30), width=3)
        d.line([x, y, x + 17, y - 20, x + 34, y], fill=color, width=4)


def _posters(d: Draw, rng: random.Random, clean: bool) -> None:
    d.rectangle([30, 70, 450, HORIZON + 10], fill=(160, 158, 150))
    if clean:
        return
    for _ in range(24):
        x, y = rng.randint(40, 420), rng.randint(80, HORIZON - 20)
        d.rectangle([x, y, x + 28, y + 20], fill=rng.choice([(250, 250, 240), (250, 230, 90)]))
        d.line([x + 4, y + 7, x + 24, y + 7], fill=(200, 40, 40), width=2)
    d.line([80, 150, 160, 110, 230, 160], fill=(40, 40, 200), width=6)


def _hole(d: Draw, rng: random.Random, clean: bool) -> None:
    d.rectangle([0, HORIZON + 14, W, H], fill=(80, 82, 86))
    d.ellipse([170, 260, 310, 310], fill=(60, 60, 60) if clean else (15, 15, 15))
    if not clean:
        d.line([180, 285, 150, 300, 120, 296], fill=(30, 30, 30), width=3)
        for x in (130, 330):
            d.polygon([(x, 300), (x + 20, 250), (x + 40, 300)], fill=(240, 120, 20))


def _lamp(d: Draw, rng: random.Random, clean: bool) -> None:
    for x in (110, 280, 430):
        d.rectangle([x, 60, x + 6, HORIZON + 40], fill=(60, 60, 64))
        d.rectangle([x - 24, 54, x + 10, 64], fill=(60, 60, 64))
        glow = clean or x == 430
        d.ellipse([x - 34, 58, x - 14, 78], fill=(255, 230, 120) if glow else (90, 90, 90))


def _site(d: Draw, rng: random.Random, clean: bool) -> None:
    for i in range(6):
        x = 20 + i * 76
        tilt = 0 if clean or i != 3 else 30
        d.polygon(
            [(x, HORIZON + 40), (x + 72, HORIZON + 40), (x + 72 + tilt, 120), (x + tilt, 120)],
            fill=(40, 110, 170),
        )
        d.rectangle([x + 8, 140, x + 64, 170], fill=(230, 40, 40) if clean else (120, 130, 140))
    if not clean:
        for _ in range(30):
            x, y = rng.randint(0, W), rng.randint(80, HORIZON + 60)
            d.ellipse([x, y, x + 30, y + 14], fill=(200, 190, 170))


def _stall(d: Draw, rng: random.Random, clean: bool) -> None:
    if clean:
        d.rectangle([60, HORIZON + 40, 420, HORIZON + 44], fill=(250, 250, 250))
        return
    for x in (80, 260):
        d.pieslice([x - 20, 120, x + 140, 200], 180, 360, fill=(220, 50, 40))
        d.rectangle([x + 56, 160, x + 62, HORIZON + 60], fill=(90, 90, 90))
        d.rectangle([x, HORIZON + 40, x + 120, HORIZON + 70], fill=(150, 100, 60))
        for i in range(5):
            d.ellipse(
                [x + 8 + i * 22, HORIZON + 26, x + 26 + i * 22, HORIZON + 44],
                fill=rng.choice([(240, 150, 30), (80, 170, 60), (200, 40, 60)]),
            )


def _tree(d: Draw, rng: random.Random, clean: bool) -> None:
    for x in (90, 250, 410):
        dead = not clean and x == 250
        d.rectangle([x - 6, 110, x + 6, HORIZON + 40], fill=(100, 70, 40))
        if dead:
            d.line([x, 120, x - 40, 80], fill=(100, 70, 40), width=5)
            d.line([x, 130, x + 36, 96], fill=(100, 70, 40), width=4)
        else:
            d.ellipse([x - 50, 50, x + 50, 140], fill=(50, 140, 60))
        d.rectangle(
            [x - 24, HORIZON + 36, x + 24, HORIZON + 46],
            fill=(120, 90, 50) if dead else (90, 90, 90),
        )


def _counter(d: Draw, rng: random.Random, clean: bool) -> None:
    d.rectangle([0, 0, W, H], fill=(235, 232, 225))
    d.rectangle([0, 240, W, H], fill=(180, 160, 130))
    for i in range(4):
        x = 30 + i * 115
        d.rectangle([x, 150, x + 95, 250], fill=(120, 90, 70))
        d.rectangle([x + 10, 60, x + 85, 110], fill=(30, 90, 160))
        if clean or i % 2 == 0:
            d.rectangle([x + 20, 120, x + 75, 140], fill=(250, 250, 250))


def _shelves(d: Draw, rng: random.Random, clean: bool) -> None:
    d.rectangle([0, 0, W, H], fill=(240, 238, 230))
    for row in range(3):
        y = 70 + row * 90
        d.rectangle([30, y + 60, 450, y + 66], fill=(140, 110, 80))
        for i in range(12):
            c = (40, 140, 60) if clean or rng.random() > 0.3 else (180, 60, 50)
            d.rectangle([36 + i * 34, y + 20, 62 + i * 34, y + 60], fill=c)


def _wires(d: Draw, rng: random.Random, clean: bool) -> None:
    d.rectangle([160, 40, 320, HORIZON + 20], fill=(170, 165, 150))
    if clean:
        d.rectangle([340, HORIZON - 20, 460, HORIZON + 40], fill=(60, 120, 70))
        return
    for i in range(5):
        d.line([180 + i * 25, 70 + i * 12, 340, HORIZON + 30 - i * 6], fill=(20, 20, 20), width=2)
    d.rectangle([200, HORIZON + 10, 290, HORIZON + 50], fill=(40, 40, 40))


def _water(d: Draw, rng: random.Random, clean: bool) -> None:
    d.rectangle([0, HORIZON + 14, W, H], fill=(80, 82, 86))
    if not clean:
        d.ellipse([40, 240, 440, 340], fill=(90, 130, 170))
        d.polygon([(220, 250), (240, 200), (260, 250)], fill=(140, 190, 230))


# Category code → motif; anything else falls back to the garbage scene's cousin, the street.
MOTIFS: dict[str, Motif] = {
    "B0101": _hole, "B0102": _lamp, "B0103": _wires, "B0104": _counter, "B0105": _garbage,
    "B0201": _posters, "B0202": _site, "B0203": _bikes, "B0204": _bikes, "B0301": _posters,
    "B0302": _stall, "B0303": _tree, "B0401": _tree, "B0402": _tree, "B0403": _tree,
    "B0501": _wires, "B0502": _garbage, "B0601": _site, "B0602": _counter,
    "S0101": _garbage, "S0102": _garbage, "S0103": _water, "S0104": _posters, "S0105": _counter,
    "S0106": _garbage, "S0201": _posters, "S0202": _posters, "S0203": _posters, "S0301": _site,
    "S0302": _site, "S0303": _site, "S0401": _hole, "S0402": _water, "S0403": _wires,
    "S0501": _stall, "S0502": _bikes, "S0503": _bikes, "S0504": _stall, "S0505": _counter,
    "S0601": _counter, "S0602": _shelves, "S0603": _garbage,
}  # fmt: skip

INDOOR = frozenset({_counter, _shelves})


def scene(code: str, seed: str, label: str, *, after: bool = False) -> bytes:
    """A JPEG of the problem of category ``code`` (or the place put right with ``after``),
    labelled 示例照片 and ``label``."""
    rng = random.Random(seed)
    motif = MOTIFS.get(code, _garbage)
    image = Image.new("RGB", (W, H))
    d = ImageDraw.Draw(image)
    if motif not in INDOOR:
        _backdrop(d, rng, night=motif is _lamp)
    motif(d, rng, after)
    font, cjk = _font(18)
    text = f"示例照片{' · 整改后' if after else ''} · {label}" if cjk else f"SAMPLE {label}"
    d.rectangle([0, H - 30, W, H], fill=(0, 0, 0))
    d.text((10, H - 27), text, fill=(255, 255, 255), font=font)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=72)
    return out.getvalue()
