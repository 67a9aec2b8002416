"""The kinds of file people may give us, told apart by their content, never their name."""

import io
import zipfile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG = "image/png"
JPEG = "image/jpeg"

LABELS = {PDF: "PDF", DOCX: "Word (DOCX)", PNG: "PNG image", JPEG: "JPEG image"}
EXTENSIONS = {PDF: "pdf", DOCX: "docx", PNG: "png", JPEG: "jpg"}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def sniff(data: bytes) -> str | None:
    """Return the content type the bytes really are, or None if not an accepted kind."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(PNG_SIGNATURE):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        try:  # reads the central directory only, never a member
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except Exception:  # noqa: BLE001 - zipfile raises many kinds on hostile bytes
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    return None
