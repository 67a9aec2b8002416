"""Files people give us (attachments, evidence): checked by content, cleaned once, at upload.

No Flask and no database: bytes in, a `Prepared` file or a `Refused` reason out. Every feature
that accepts a file goes through `prepare`, so there is one place to get this right."""

from lms.uploads.kinds import DOCX, EXTENSIONS, JPEG, LABELS, PDF, PNG, sniff
from lms.uploads.pipeline import MAX_BYTES, Prepared, prepare, room_for
from lms.uploads.refused import Refused

__all__ = ["DOCX", "EXTENSIONS", "JPEG", "LABELS", "MAX_BYTES", "PDF", "PNG", "Prepared",
           "Refused", "prepare", "room_for", "sniff"]
