"""Check an upload by its content, not its name: PDF, DOCX, PNG, JPEG only."""

import io
import zipfile

from lms.assessments.scrub import problem

MAX_BYTES = 10 * 1024 * 1024
KINDS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (DOCX)",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
}


def sniff(data: bytes) -> str | None:
    """Return the content type the bytes really are, or None if not an accepted kind."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return None


def check_upload(data: bytes, max_bytes: int = MAX_BYTES) -> tuple[str | None, str | None]:
    """Return (content type, None) for an acceptable file, or (None, what is wrong)."""
    if not data:
        return None, "The file is empty."
    if len(data) > max_bytes:
        return None, f"The file is larger than {max_bytes // (1024 * 1024)} MB."
    kind = sniff(data)
    if kind is None:
        return None, ("The file must be a PDF, a Word document (DOCX), or a PNG or JPEG image. "
                      "Its content is not one of these, whatever its name says.")
    cannot_clean = problem(data, kind)  # markers of anonymous work get a cleaned copy
    if cannot_clean:
        return None, cannot_clean
    return kind, None


EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx"}


def neutral_name(candidate_number: str, attachment_id: int, content_type: str) -> str:
    """A file name that says nothing about who wrote the work."""
    return f"{candidate_number}-file-{attachment_id}.{EXTENSIONS.get(content_type, 'bin')}"
