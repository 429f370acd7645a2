"""Small real documents for the demo and the tests: a PDF with Chinese text (embedded CJK font,
so its text can be extracted), a Word file, an Excel file and a photo-like PNG."""

from __future__ import annotations

import io
from collections.abc import Sequence


def sample_pdf(title: str, lines: Sequence[str]) -> bytes:
    """An A4 PDF: the title, then one line per entry, in 黑体 (WenQuanYi Zen Hei)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from chuangcheng.cases.interfaces.cjk_fonts import pdf_fonts

    font = pdf_fonts().hei
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, pageCompression=1, invariant=True)
    canvas.setTitle(title)
    width, height = A4
    canvas.setFont(font, 18)
    canvas.drawCentredString(width / 2, height - 72, title)
    canvas.setFont(font, 12)
    y = height - 120
    for line in lines:
        if y < 72:
            canvas.showPage()
            canvas.setFont(font, 12)
            y = height - 72
        canvas.drawString(72, y, line)
        y -= 22
    canvas.save()
    return buf.getvalue()


def sample_docx(title: str, lines: Sequence[str]) -> bytes:
    """A Word document: a heading and one paragraph per entry."""
    from docx import Document

    document = Document()
    document.add_heading(title, level=1)
    for line in lines:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def sample_xlsx(title: str, rows: Sequence[Sequence[object]]) -> bytes:
    """An Excel workbook with one sheet named ``title``."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    for row in rows:
        sheet.append(list(row))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def sample_png(
    width: int = 64, height: int = 48, colour: tuple[int, int, int] = (200, 16, 46)
) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buf, format="PNG")
    return buf.getvalue()
