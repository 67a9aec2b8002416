"""Find a certificate by a typed code, and the site's public addresses for it."""

from flask import current_app, url_for
from sqlalchemy import select

from certificates.codes import format_code, is_code, normalise_code
from lms.certs.documents import facts_of  # noqa: F401  (the one reading of stored facts)
from lms.certs.models import Certificate
from lms.extensions import db


def site_url() -> str:
    """Return the site's public address, without a trailing slash."""
    return current_app.config["EXTERNAL_URL"].rstrip("/")


def public_url(endpoint: str, **values) -> str:
    """Return the public address of a page, on the site's external address."""
    return site_url() + url_for(endpoint, **values)


def verify_url(code: str) -> str:
    """Return the address that verifies a code (the one printed on the document and its QR)."""
    return public_url("certs.verify_code", code=format_code(code))


def find_by_code(text: str) -> Certificate | None:
    """Return the certificate a typed code names, or None; text not shaped like a code is
    refused without asking the database."""
    if not is_code(text):
        return None
    return db.session.scalar(select(Certificate).where(
        Certificate.code.in_([format_code(text), normalise_code(text)])))
