"""A 督查通报 as .docx (python-docx), laid out after GB/T 9704 like the PDF.

Font names are those of Chinese Office (宋体 title, 仿宋 body, 黑体 一级标题, 楷体 二级标题), set
as the East Asian font (``w:eastAsia``) of every run, so Word uses them for Chinese; a machine
without them substitutes its own CJK font. Page numbers are a PAGE field in "— n —", odd pages
right and even pages left.
"""

from __future__ import annotations

import io
from typing import Any

import docx
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from chuangcheng.cases.interfaces.bulletin_text import (
    Document,
    Heading,
    Para,
    PhotoItem,
    Table,
)

SONG = ("SimSun", "宋体")
FANGSONG = ("FangSong", "仿宋")
HEI = ("SimHei", "黑体")
KAI = ("KaiTi", "楷体")
RED = RGBColor(0xE6, 0x00, 0x12)
BODY = Pt(16)
LINE = Pt(28.95)
TABLE_PT = Pt(10.5)


def set_font(run: Any, face: tuple[str, str], size: Any, *, bold: bool = False) -> None:
    """Latin and East Asian font of ``run``; Word picks the East Asian one for Chinese."""
    run.font.name = face[0]
    run.font.size = size
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), face[1])
    fonts.set(qn("w:ascii"), face[0])
    fonts.set(qn("w:hAnsi"), face[0])


def _para(
    container: Any,
    text: str,
    face: tuple[str, str] = FANGSONG,
    size: Any = BODY,
    *,
    align: Any = None,
    indent: bool = True,
    bold: bool = False,
    color: RGBColor | None = None,
    exact: bool = True,
) -> Any:
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if exact:
        fmt.line_spacing = LINE
    if indent:
        fmt.first_line_indent = Pt(2 * size.pt)
    if align is not None:
        p.alignment = align
    run = p.add_run(text)
    set_font(run, face, size, bold=bold)
    if color is not None:
        run.font.color.rgb = color
    return p


def _bottom_border(paragraph: Any, color: str = "E60012", size: int = 12) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", str(size)), ("space", "4"), ("color", color)):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    ppr.append(borders)


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _shade(cell: Any, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcpr.append(shading)


def _cell_text(cell: Any, text: str, *, face: tuple[str, str], align: Any) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    set_font(p.add_run(text), face, TABLE_PT)


def _table(doc: Any, block: Table, width_mm: float) -> None:
    table = doc.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    scale = width_mm / sum(block.widths)
    widths = [Mm(w * scale) for w in block.widths]
    for cell, header, width in zip(table.rows[0].cells, block.headers, widths, strict=True):
        _cell_text(cell, header, face=HEI, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(cell, "EDEDED")
        cell.width = width
    _repeat_header(table.rows[0])
    last = len(block.rows) - 1
    for i, values in enumerate(block.rows):
        cells = table.add_row().cells
        face = HEI if block.total_last and i == last else FANGSONG
        for j, (cell, value, width) in enumerate(zip(cells, values, widths, strict=True)):
            align = WD_ALIGN_PARAGRAPH.RIGHT if j in block.numeric else WD_ALIGN_PARAGRAPH.LEFT
            _cell_text(cell, value, face=face, align=align)
            cell.width = width


def _photos(doc: Any, item: PhotoItem, width_mm: float) -> None:
    _para(doc, item.caption)
    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    col = Mm(width_mm / 2 - 4)
    for i, (data, label) in enumerate(
        ((item.before, item.before_label), (item.after, item.after_label))
    ):
        top = table.rows[0].cells[i].paragraphs[0]
        top.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture = top.add_run().add_picture(io.BytesIO(data))
        ratio = min(col / picture.width, Mm(62) / picture.height)
        picture.width = int(picture.width * ratio)
        picture.height = int(picture.height * ratio)
        _cell_text(table.rows[1].cells[i], label, face=HEI, align=WD_ALIGN_PARAGRAPH.CENTER)


def _page_field(paragraph: Any) -> None:
    """ "— PAGE —" with Word's PAGE field, in 宋体 四号."""

    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        set_font(r, SONG, Pt(14))
        return r

    run("— ")
    for kind, code in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        r = run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r._r.append(char)
        elif code == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = code
            r._r.append(instr)
        else:
            r.text = code or ""
    run(" —")


def _page_numbers(doc: Any) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        p = footer.paragraphs[0]
        p.alignment = align
        p.paragraph_format.left_indent = Pt(14)
        p.paragraph_format.right_indent = Pt(14)
        _page_field(p)


def _width(text: str) -> float:
    """Approximate width in points at 16 pt: a full-width character is one em, others half."""
    em = float(BODY.pt)
    return sum(em if ord(ch) >= 0x2E80 else em / 2 for ch in text)


def render(doc: Document) -> bytes:
    """The bulletin as .docx bytes."""
    out = docx.Document()
    section = out.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    normal = out.styles["Normal"]
    normal.font.name = FANGSONG[0]
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG[1])
    width = 156.0
    _para(
        out,
        doc.masthead,
        SONG,
        Pt(30),
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        bold=True,
        color=RED,
        exact=False,
    )
    _para(out, "", indent=False)
    number = _para(out, doc.number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _bottom_border(number)
    _para(out, "", indent=False)
    _para(
        out,
        doc.title,
        SONG,
        Pt(22),
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        bold=True,
        exact=False,
    )
    _para(out, "", indent=False)
    if doc.recipients:
        _para(out, doc.recipients, indent=False)
    for block in doc.blocks:
        if isinstance(block, Heading):
            _para(out, block.text, HEI if block.level == 1 else KAI)
        elif isinstance(block, Para):
            _para(out, block.text)
        elif isinstance(block, Table):
            _table(out, block, width)
            _para(out, "", indent=False, exact=False)
        else:
            _photos(out, block, width)
    _para(out, "", indent=False)
    _para(out, "", indent=False)
    # 成文日期 four characters in from the right, the issuer centred above it.
    date_w, name_w = _width(doc.date_text), _width(doc.signature)
    for line, indent in (
        (doc.signature, 4 * BODY.pt + max(0.0, (date_w - name_w) / 2)),
        (doc.date_text, 4 * BODY.pt),
    ):
        p = _para(out, line, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        p.paragraph_format.right_indent = Pt(indent)
    _page_numbers(out)
    out.core_properties.title = doc.title
    out.core_properties.subject = doc.number
    out.core_properties.author = doc.signature
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()
