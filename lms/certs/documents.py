"""A certificate row as the document it is: its facts rebuilt as certificates.facts data, the
PDF's bytes, and every printed field for the HTML view and the verify page."""

from datetime import date
from functools import lru_cache

from flask import current_app

from certificates import documents
from certificates import facts as f
from certificates.printed import Printed, printed, printed_fields
from lms.certs.models import Certificate
from lms.links import external

_TYPES = {
    "module_completion": f.ModuleCompletion,
    "transcript": f.Transcript,
    "advocate_accreditation": f.AdvocateAccreditation,
    "organisation_accreditation": f.OrganisationAccreditation,
    "cpd_statement": f.CpdStatement,
}
_PDF = {
    "module_completion": documents.module_completion_pdf,
    "transcript": documents.transcript_pdf,
    "advocate_accreditation": documents.advocate_accreditation_pdf,
    "organisation_accreditation": documents.organisation_accreditation_pdf,
    "cpd_statement": documents.cpd_statement_pdf,
}
_DATES = {"completed_on", "valid_from", "valid_until", "year_starts_on", "year_ends_on"}


def verify_url(code: str) -> str:
    """Return the public address that verifies a code."""
    return external("/verify/" + code)


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


def facts_of(certificate: Certificate) -> f.Certificate:
    """Return the certificates.facts dataclass the row states."""
    values = {}
    for name, value in certificate.facts.items():
        if name in _DATES and value is not None:
            value = date.fromisoformat(value)
        elif name == "modules":
            value = tuple(f.TranscriptModule(**m) for m in value)
        elif name == "minutes_by_type":
            value = tuple((kind, minutes) for kind, minutes in value)
        values[name] = value
    return _TYPES[certificate.kind](code=certificate.code, verify_url=verify_url(certificate.code),
                                    issued_on=certificate.issued_on, **values)


def printed_of(certificate: Certificate) -> Printed:
    """Return everything the certificate prints, for the HTML view."""
    return printed(facts_of(certificate))


def fields_of(certificate: Certificate) -> list[tuple[str, str]]:
    """Return every (label, value) the certificate prints, in order."""
    return printed_fields(facts_of(certificate))


def pdf_of(certificate: Certificate) -> bytes:
    """Return the certificate's PDF."""
    facts = facts_of(certificate)
    try:
        hash(facts)
    except TypeError:  # a fact held as a list: drawn every time
        return _PDF[certificate.kind](facts)
    return _pdf_of_facts(certificate.kind, facts)


# The same facts give the same bytes (ReportLab in invariant mode, tested in
# tests/unit/certificates), so a document downloaded again comes from memory. The key is every
# fact the PDF prints, so a copy cannot be stale; whether it may be downloaded, and its status,
# are read afresh on each request. About 64 documents of some 20-60 KB each per process.
@lru_cache(maxsize=64)
def _pdf_of_facts(kind: str, facts: f.Certificate) -> bytes:
    return _PDF[kind](facts)


def filename_of(certificate: Certificate) -> str:
    return f"certificate-{certificate.code}.pdf"
