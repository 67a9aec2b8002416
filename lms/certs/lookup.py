"""Find a certificate by a typed code, and the site's public addresses for it."""

from sqlalchemy import select

from certificates.codes import format_code, is_code, normalise_code
from lms.certs.documents import facts_of  # noqa: F401  (the one reading of stored facts)
from lms.certs.models import Certificate
from lms.extensions import db
from lms.links import external_for


def verify_url(code: str) -> str:
    """Return the address that verifies a code (the one printed on the document and its QR)."""
    return external_for("certs.verify_code", code=format_code(code))


def find_by_code(text: str) -> Certificate | None:
    """Return the certificate a typed code names, or None; text not shaped like a code is
    refused without asking the database."""
    if not is_code(text):
        return None
    return db.session.scalar(select(Certificate).where(
        Certificate.code.in_([format_code(text), normalise_code(text)])))
