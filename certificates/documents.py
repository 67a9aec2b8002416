"""One function per certificate: its facts in, the PDF's bytes out (no Flask, no database)."""

from certificates.facts import (
    AdvocateAccreditation,
    Certificate,
    CpdStatement,
    ModuleCompletion,
    OrganisationAccreditation,
    Transcript,
)
from certificates.pdf import certificate_pdf


def _pdf(facts: Certificate, kind: type) -> bytes:
    if not isinstance(facts, kind):
        raise TypeError(f"expected {kind.__name__} facts, not {type(facts).__name__}")
    return certificate_pdf(facts)


def module_completion_pdf(facts: ModuleCompletion) -> bytes:
    """Return the certificate that a trainee completed a module."""
    return _pdf(facts, ModuleCompletion)


def transcript_pdf(facts: Transcript) -> bytes:
    """Return a trainee's transcript of module results (not the award certificate)."""
    return _pdf(facts, Transcript)


def advocate_accreditation_pdf(facts: AdvocateAccreditation) -> bytes:
    """Return an advocate's accreditation certificate."""
    return _pdf(facts, AdvocateAccreditation)


def organisation_accreditation_pdf(facts: OrganisationAccreditation) -> bytes:
    """Return a host organisation's accreditation certificate."""
    return _pdf(facts, OrganisationAccreditation)


def cpd_statement_pdf(facts: CpdStatement) -> bytes:
    """Return an advocate's CPD statement for one CPD year."""
    return _pdf(facts, CpdStatement)
