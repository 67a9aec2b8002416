"""Find a certificate by a typed code, and the site's public addresses for it."""

from sqlalchemy import select

from certificates.codes import format_code, is_code, normalise_code

# The one reading of stored facts, and the one verify address (printed, in the QR and the badge).
from lms.certs.documents import facts_of, verify_url  # noqa: F401
from lms.certs.models import Certificate
from lms.extensions import db


def find_by_code(text: str) -> Certificate | None:
    """Return the certificate a typed code names, or None; text not shaped like a code is
    refused without asking the database."""
    if not is_code(text):
        return None
    return db.session.scalar(select(Certificate).where(
        Certificate.code.in_([format_code(text), normalise_code(text)])))
