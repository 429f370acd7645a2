"""TrueType CJK fonts that reportlab can embed in a PDF.

Viewers without a font show boxes for every character, so a bulletin must carry its fonts.
reportlab embeds TrueType outlines (not the CFF outlines of Noto CJK): WenQuanYi Zen Hei
(Debian ``fonts-wqy-zenhei``) is required and stands in for 黑体; AR PL UMing (宋/明体, for the
仿宋 body text) and AR PL UKai (楷体) from ``fonts-arphic-uming``/``fonts-arphic-ukai`` are used
when installed, Zen Hei otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

HEI_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
)
SONG_FILES = ("/usr/share/fonts/truetype/arphic/uming.ttc",)
KAI_FILES = ("/usr/share/fonts/truetype/arphic/ukai.ttc",)


class FontMissingError(RuntimeError):
    """No embeddable CJK font is installed."""


@dataclass(frozen=True)
class PdfFonts:
    hei: str
    song: str
    kai: str


def _register(name: str, candidates: tuple[str, ...]) -> str | None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in candidates:
        if Path(path).is_file():
            # Index 0 is the simplified-Chinese face in each of these collections.
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
            return name
    return None


@cache
def pdf_fonts() -> PdfFonts:
    """Register the fonts once per process; FontMissingError names the package to install."""
    hei = _register("CC-Hei", HEI_FILES)
    if hei is None:
        raise FontMissingError(
            "No embeddable CJK font: install the Debian package fonts-wqy-zenhei "
            "(looked for " + ", ".join(HEI_FILES) + ")"
        )
    song = _register("CC-Song", SONG_FILES) or hei
    kai = _register("CC-Kai", KAI_FILES) or hei
    return PdfFonts(hei=hei, song=song, kai=kai)
