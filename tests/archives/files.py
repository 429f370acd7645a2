"""Bad files for the upload checks: each built here from real libraries, none downloaded."""

from __future__ import annotations

import io
import zipfile

from chuangcheng.archives.samples import sample_docx, sample_pdf


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(sample_pdf("机密", ["内部材料"]))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def truncated_pdf() -> bytes:
    data = sample_pdf("台账", ["第一行"])
    return data[: len(data) // 2]


def garbage_pdf() -> bytes:
    return b"%PDF-1.7\n" + b"\x00garbage" * 100 + b"\n%%EOF\n"


def encrypted_office() -> bytes:
    """What Word writes for a password-protected .docx: an OLE container holding the streams
    EncryptionInfo and EncryptedPackage (names in UTF-16)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 40
    directory += "EncryptedPackage".encode("utf-16-le") + b"\x00" * 40
    return header + directory + b"\x00" * 1024


def old_doc() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048


def zip_bomb() -> bytes:
    """A .docx-shaped zip whose one member expands from a few kB to 400 MB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(400):
                member.write(chunk)
    return buf.getvalue()


def broken_docx() -> bytes:
    """A real .docx with one byte flipped inside document.xml's compressed data (bad CRC)."""
    data = bytearray(sample_docx("方案", ["第一段"]))
    offset = data.find(b"word/document.xml") + len(b"word/document.xml") + 10
    data[offset] ^= 0xFF
    return bytes(data)


def plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    return buf.getvalue()
