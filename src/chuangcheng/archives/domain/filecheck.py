"""Is an uploaded file an acceptable archive document? Read from its bytes, never its name.

Accepted: PDF, Word (.docx), Excel (.xlsx), JPEG, PNG and HEIC photos, up to
``ARCHIVES_MAX_UPLOAD_MB``. Each is opened, not only sniffed: a PDF must have its header and
end-of-file marker and parse; an Office file must be an intact zip (every member's CRC checked)
holding the parts Word or Excel write, and open in python-docx or openpyxl; an image must decode.
Refused with a message naming the file: encrypted PDFs and password-protected Office files (an
encrypted OOXML file is an OLE container with an ``EncryptionInfo`` stream), old .doc/.xls files,
zip archives that expand too far (zip bombs), anything truncated or malformed.

The text of PDF, Word and Excel files is extracted here, so search can find words inside them.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JPEG, PNG, HEIC = "image/jpeg", "image/png", "image/heic"
EXTENSIONS = {PDF: "pdf", DOCX: "docx", XLSX: "xlsx", JPEG: "jpg", PNG: "png", HEIC: "heic"}
LABELS = {PDF: "PDF", DOCX: "Word", XLSX: "Excel", JPEG: "JPEG", PNG: "PNG", HEIC: "HEIC"}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream an encrypted .docx/.xlsx carries inside its OLE container (UTF-16 name).
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis")

# Zip bomb limits: members, total expanded size, and expansion of any one large member.
MAX_MEMBERS = 5000
MAX_EXPANDED = 300 * 1024 * 1024
MAX_RATIO = 200
# Text kept for search, and pages read from a PDF.
MAX_TEXT = 400_000
MAX_PDF_PAGES = 500


@dataclass(frozen=True)
class Checked:
    """A file that passed :func:`check_file`."""

    content_type: str
    text: str  # normalised extracted text ("" for images)

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def refuse(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, runs of white space to one space (for search)."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"\s+", " ", text).strip()


_MAGIC = (
    (b"%PDF-", PDF),
    (b"PK\x03\x04", "zip"),
    (OLE_MAGIC, "ole"),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)


def sniff(head: bytes) -> str | None:
    """The type from the first bytes; "zip" and "ole" need a closer look."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return HEIC
    return None


def check_file(data: bytes, name: str) -> Checked:
    """Validate ``data`` (uploaded as ``name``); raise ValidationError on ``file`` naming it."""
    values = {"name": name}
    limit = int(settings.ARCHIVES_MAX_UPLOAD_BYTES)
    if not data:
        raise refuse(_("%(name)s is empty.") % values)
    if len(data) > limit:
        raise refuse(
            _("%(name)s is larger than %(mb)d MB.") % {**values, "mb": limit // (1024 * 1024)}
        )
    kind = sniff(data[:32])
    if kind is None:
        raise refuse(
            _("%(name)s is not a PDF, Word (.docx), Excel (.xlsx), JPEG, PNG or HEIC file.")
            % values
        )
    if kind == "ole":
        if _ENCRYPTION_INFO in data:
            raise refuse(
                _("%(name)s is protected by a password; save it without one and upload again.")
                % values
            )
        raise refuse(
            _("%(name)s is an old Word or Excel file (.doc, .xls); save it as .docx or .xlsx.")
            % values
        )
    if kind == PDF:
        return Checked(PDF, _pdf_text(data, name))
    if kind == "zip":
        return _office(data, name)
    _image(data, kind, name)
    return Checked(kind, "")


def _pdf_text(data: bytes, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    values = {"name": name}
    if b"%%EOF" not in data[-2048:]:
        raise refuse(
            _("%(name)s is an incomplete PDF (the upload may have been cut off).") % values
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise refuse(_("%(name)s cannot be read as a PDF.") % values) from exc
    if encrypted:
        raise refuse(
            _("%(name)s is an encrypted PDF; save it without a password and upload again.") % values
        )
    parts: list[str] = []
    size = 0
    try:
        if not reader.pages:
            raise refuse(_("%(name)s is a PDF without pages.") % values)
        for page in list(reader.pages)[:MAX_PDF_PAGES]:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size > MAX_TEXT:
                break
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many types for damaged content streams
        raise refuse(_("%(name)s cannot be read as a PDF.") % values) from exc
    return normalise(" ".join(parts))[:MAX_TEXT]


def _office(data: bytes, name: str) -> Checked:
    values = {"name": name}
    malformed = _("%(name)s is a damaged Word or Excel file.") % values
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise refuse(malformed) from exc
    if any(m.flag_bits & 0x1 for m in members):
        raise refuse(
            _("%(name)s is protected by a password; save it without one and upload again.") % values
        )
    expanded = sum(m.file_size for m in members)
    if (
        len(members) > MAX_MEMBERS
        or expanded > MAX_EXPANDED
        or any(
            m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * m.compress_size for m in members
        )
    ):
        raise refuse(_("%(name)s expands to far more than its size and is refused.") % values)
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names:
        raise refuse(_("%(name)s is a zip archive, not a Word or Excel document.") % values)
    if "word/document.xml" in names:
        content_type = DOCX
    elif "xl/workbook.xml" in names:
        content_type = XLSX
    else:
        raise refuse(_("%(name)s is a zip archive, not a Word or Excel document.") % values)
    try:
        if archive.testzip() is not None:
            raise refuse(malformed)
        text = _docx_text(data) if content_type == DOCX else _xlsx_text(data)
    except ValidationError:
        raise
    except Exception as exc:  # python-docx and openpyxl raise many types for broken parts
        raise refuse(malformed) from exc
    return Checked(content_type, normalise(text)[:MAX_TEXT])


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts: list[str] = []
    size = 0
    try:
        for sheet in book.worksheets:
            parts.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                for value in row:
                    if isinstance(value, str):
                        parts.append(value)
                        size += len(value)
                if size > MAX_TEXT:
                    return "\n".join(parts)
    finally:
        book.close()
    return "\n".join(parts)


def _image(data: bytes, content_type: str, name: str) -> None:
    from PIL import Image

    try:
        if content_type == HEIC:
            import pillow_heif

            pillow_heif.register_heif_opener()
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except Exception as exc:  # Pillow raises many types (and DecompressionBombError) for bad files
        raise refuse(_("%(name)s cannot be read as an image.") % {"name": name}) from exc
