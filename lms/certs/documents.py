"""A certificate row as the document it is: its facts rebuilt as certificates.facts data (by
lms.certs.lookup, which the verify page and credentials read too), the PDF's bytes, and every
printed field for the HTML view."""

from datetime import date

from flask import current_app

from certificates import documents
from certificates.printed import Printed, printed, printed_fields
from lms.certs.lookup import facts_of, verify_url
from lms.certs.models import Certificate

__all__ = ["facts_of", "verify_url", "stored", "pdf_of", "fields_of", "printed_of"]

_PDF = {
    "module_completion": documents.module_completion_pdf,
    "transcript": documents.transcript_pdf,
    "advocate_accreditation": documents.advocate_accreditation_pdf,
    "organisation_accreditation": documents.organisation_accreditation_pdf,
    "cpd_statement": documents.cpd_statement_pdf,
}


def verify_page_url(code: str) -> str | None:
    """The verify page's address to link to, or None while no verify page is served (so a
    holder's page never links to a page that is not there)."""
    from werkzeug.exceptions import HTTPException

    try:
        current_app.url_map.bind("localhost").match("/verify/" + code)
    except HTTPException:
        return None
    return verify_url(code)


def stored(values: dict) -> dict:
    """Return facts as plain JSON data to store on the row (dates as ISO strings)."""
    out = {}
    for name, value in values.items():
        if isinstance(value, date):
            value = value.isoformat()
        elif name == "modules":
            value = [dict(m) for m in value]
        elif name == "minutes_by_type":
            value = [list(pair) for pair in value]
        out[name] = value
    return out


def printed_of(certificate: Certificate) -> Printed:
    """Return everything the certificate prints, for the HTML view."""
    return printed(facts_of(certificate))


def fields_of(certificate: Certificate) -> list[tuple[str, str]]:
    """Return every (label, value) the certificate prints, in order."""
    return printed_fields(facts_of(certificate))


def pdf_of(certificate: Certificate) -> bytes:
    """Return the certificate's PDF."""
    return _PDF[certificate.kind](facts_of(certificate))


def filename_of(certificate: Certificate) -> str:
    return f"certificate-{certificate.code}.pdf"
