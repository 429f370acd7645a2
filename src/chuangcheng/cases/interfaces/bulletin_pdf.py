"""A 督查通报 as PDF, laid out after GB/T 9704 (党政机关公文格式).

A4 portrait; 天头 37 mm, 订口 28 mm, text block 156 × 225 mm; red masthead and separator line;
title in 二号 (22 pt) centred; body in 三号 (16 pt) with a two-character first-line indent;
一级标题 in 黑体, 二级标题 in 楷体; page numbers "— 1 —" in 四号, odd pages right and even pages
left, one character in. Tables split across pages and repeat their header row. The CJK fonts
are embedded (see :mod:`cjk_fonts`).
"""

from __future__ import annotations

import io
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as RLTable

from chuangcheng.cases.interfaces.bulletin_text import (
    Document,
    Heading,
    Para,
    PhotoItem,
    Table,
)
from chuangcheng.cases.interfaces.cjk_fonts import PdfFonts, pdf_fonts

RED = colors.Color(0.90, 0.0, 0.07)
TOP, BOTTOM, LEFT, RIGHT = 37 * mm, 35 * mm, 28 * mm, 26 * mm
WIDTH = A4[0] - LEFT - RIGHT  # 156 mm
BODY = 16  # 三号
LEADING = 28.9  # 22 lines in the 225 mm text block
TABLE_PT = 10.5  # 五号
PHOTO_H = 62 * mm


def _styles(f: PdfFonts) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body",
        fontName=f.song,
        fontSize=BODY,
        leading=LEADING,
        firstLineIndent=2 * BODY,
        wordWrap="CJK",
        alignment=TA_LEFT,
    )
    cell = ParagraphStyle("cell", fontName=f.song, fontSize=TABLE_PT, leading=14, wordWrap="CJK")
    return {
        "body": base,
        "masthead": ParagraphStyle(
            "masthead", fontName=f.hei, fontSize=30, leading=40, textColor=RED, alignment=TA_CENTER
        ),
        "number": ParagraphStyle(
            "number", parent=base, fontName=f.song, firstLineIndent=0, alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "title", fontName=f.hei, fontSize=22, leading=34, alignment=TA_CENTER, wordWrap="CJK"
        ),
        "recipients": ParagraphStyle("recipients", parent=base, firstLineIndent=0),
        "h1": ParagraphStyle("h1", parent=base, fontName=f.hei, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=base, fontName=f.kai, keepWithNext=1),
        "sign": ParagraphStyle(
            "sign", parent=base, firstLineIndent=0, alignment=TA_RIGHT, rightIndent=2 * BODY
        ),
        "cell": cell,
        "cell_num": ParagraphStyle("cell_num", parent=cell, alignment=TA_RIGHT),
        "cell_head": ParagraphStyle("cell_head", parent=cell, fontName=f.hei, alignment=TA_CENTER),
        "caption": ParagraphStyle("caption", parent=base, keepWithNext=1),
        "photo_label": ParagraphStyle(
            "photo_label", parent=cell, alignment=TA_CENTER, fontName=f.hei
        ),
    }


@cache
def _covered(font_name: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


# Characters none of the fonts carries, and the look-alike they do: the minus sign (U+2212)
# of "1 − 返工率" becomes a full-width hyphen-minus.
SUBSTITUTES = str.maketrans({"\u2212": "\uff0d"})


def markup(text: str, font_name: str, fallback: str) -> str:
    """``text`` escaped for a Paragraph, with characters the font lacks set in the fallback font
    (or replaced by a look-alike) instead of showing as boxes."""
    covered = _covered(font_name)
    parts: list[str] = []
    for ch in text.translate(SUBSTITUTES):
        if ord(ch) in covered or ch.isspace() or font_name == fallback:
            parts.append(escape(ch))
        else:
            parts.append(f'<font name="{fallback}">{escape(ch)}</font>')
    return "".join(parts)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup(text, style.fontName, pdf_fonts().hei), style)


def _table(block: Table, st: dict[str, ParagraphStyle]) -> RLTable:
    scale = WIDTH / sum(block.widths)
    head = [_p(h, st["cell_head"]) for h in block.headers]
    body = []
    last = len(block.rows) - 1
    for i, row in enumerate(block.rows):
        is_total = block.total_last and i == last
        cells = []
        for j, value in enumerate(row):
            style = st["cell_num"] if j in block.numeric else st["cell"]
            if is_total:
                style = ParagraphStyle(
                    f"{style.name}_total", parent=style, fontName=st["h1"].fontName
                )
            cells.append(_p(value, style))
        body.append(cells)
    table = RLTable([head, *body], colWidths=[w * scale for w in block.widths], repeatRows=1)
    commands = [
        # Cells hold paragraphs, but Table sets its own font per cell: name ours, not Helvetica.
        ("FONT", (0, 0), (-1, -1), st["cell"].fontName, TABLE_PT),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if block.total_last and block.rows:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), colors.Color(0.97, 0.97, 0.97)))
    table.setStyle(TableStyle(commands))
    return table


def _photo(data: bytes, width: float) -> Image:
    image = Image(io.BytesIO(data))
    ratio = min(width / image.imageWidth, PHOTO_H / image.imageHeight)
    image.drawWidth = image.imageWidth * ratio
    image.drawHeight = image.imageHeight * ratio
    return image


def _photos(item: PhotoItem, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    col = (WIDTH - 6 * mm) / 2
    grid = RLTable(
        [
            [_photo(item.before, col - 4), _photo(item.after, col - 4)],
            [_p(item.before_label, st["photo_label"]), _p(item.after_label, st["photo_label"])],
        ],
        colWidths=[col + 3 * mm, col + 3 * mm],
    )
    grid.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), st["cell"].fontName, TABLE_PT),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return [_p(item.caption, st["caption"]), Spacer(1, 1 * mm), grid, Spacer(1, 3 * mm)]


def _page_number(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    """ "— n —" 7 mm under the text block: odd pages right, even pages left, one character in."""
    fonts = pdf_fonts()
    n = canvas.getPageNumber()
    text = f"— {n} —"
    canvas.saveState()
    canvas.setFont(fonts.song, 14)
    y = BOTTOM - 7 * mm - 14
    if n % 2:
        canvas.drawRightString(A4[0] - RIGHT - 14, y, text)
    else:
        canvas.drawString(LEFT + 14, y, text)
    canvas.restoreState()


def _signature(doc: Document, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """成文日期 four characters in from the right, the issuer centred above it (GB/T 9704 7.3.5)."""
    style = st["sign"]
    date_w = pdfmetrics.stringWidth(doc.date_text, style.fontName, BODY)
    name_w = pdfmetrics.stringWidth(doc.signature, style.fontName, BODY)
    date_style = ParagraphStyle("sign_date", parent=style, rightIndent=4 * BODY)
    name_style = ParagraphStyle(
        "sign_name", parent=style, rightIndent=max(0.0, 4 * BODY + (date_w - name_w) / 2)
    )
    return [_p(doc.signature, name_style), _p(doc.date_text, date_style)]


def render(doc: Document) -> bytes:
    """The bulletin as PDF bytes."""
    fonts = pdf_fonts()
    st = _styles(fonts)
    story: list[Flowable] = [
        _p(doc.masthead, st["masthead"]),
        Spacer(1, 6 * mm),
        _p(doc.number, st["number"]),
        Spacer(1, 1 * mm),
        HRFlowable(width="100%", thickness=1.5, color=RED, spaceBefore=0, spaceAfter=10 * mm),
        _p(doc.title, st["title"]),
        Spacer(1, LEADING),
    ]
    if doc.recipients:
        story.append(_p(doc.recipients, st["recipients"]))
    pending: list[Flowable] = []  # headings waiting for what they introduce
    for block in doc.blocks:
        if isinstance(block, Heading):
            pending.append(_p(block.text, st["h1" if block.level == 1 else "h2"]))
        elif isinstance(block, PhotoItem):
            # Headings, caption and both photos go on one page together.
            story.append(KeepTogether([*pending, *_photos(block, st)]))
            pending = []
        elif isinstance(block, Para):
            paragraph = _p(block.text, st["body"])
            story.append(KeepTogether([*pending, paragraph]) if pending else paragraph)
            pending = []
        else:
            story += [*pending, Spacer(1, 2 * mm), _table(block, st), Spacer(1, 4 * mm)]
            pending = []
    story += pending
    story += [Spacer(1, 2 * LEADING), *_signature(doc, st)]
    buf = io.BytesIO()
    template = SimpleDocTemplate(
        buf,
        pagesize=A4,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        title=doc.title,
        author=doc.signature,
        subject=doc.number,
        # Without this every page names Helvetica, a font the file does not carry.
        initialFontName=fonts.song,
        initialFontSize=BODY,
    )
    template.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buf.getvalue()
