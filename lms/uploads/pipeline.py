"""One checked way in for every file a user gives us: check the kind, clean, read the text."""

from dataclasses import dataclass

from lms.uploads.docx import clean_docx
from lms.uploads.images import clean_jpeg, clean_png
from lms.uploads.kinds import DOCX, JPEG, PDF, PNG, sniff
from lms.uploads.pdf import clean_pdf
from lms.uploads.refused import Refused

MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Prepared:
    """An accepted file: its real kind, the copy others get, and the text a reader sees."""

    kind: str
    cleaned: bytes
    text: str


def prepare(data: bytes, max_bytes: int = MAX_BYTES) -> Prepared:
    """Check a file by its content and make its cleaned copy, or raise Refused saying why."""
    if not data:
        raise Refused("The file is empty.")
    if len(data) > max_bytes:
        raise Refused(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    kind = sniff(data)
    if kind == PDF:
        cleaned, text = clean_pdf(data)
    elif kind == DOCX:
        cleaned, text = clean_docx(data)
    elif kind == JPEG:
        cleaned, text = clean_jpeg(data), ""
    elif kind == PNG:
        cleaned, text = clean_png(data), ""
    else:
        raise Refused("The file must be a PDF, a Word document (DOCX), or a PNG or JPEG image. "
                      "Its content is not one of these, whatever its name says.")
    return Prepared(kind=kind, cleaned=cleaned, text=text)


def room_for(sizes: list[int], new_size: int, *, max_files: int,
             max_total_bytes: int) -> str | None:
    """Why one more file of `new_size` cannot join files of `sizes`, or None if it can."""
    if len(sizes) >= max_files:
        return (f"You can attach up to {max_files} files to one piece of work, and this one "
                f"has {len(sizes)}.")
    if sum(sizes) + new_size > max_total_bytes:
        return (f"The files attached to one piece of work can add up to "
                f"{max_total_bytes // (1024 * 1024)} MB, and this file would take them over.")
    return None
