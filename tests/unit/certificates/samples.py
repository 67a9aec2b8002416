"""Facts for each kind of certificate, with anything a test wants to change changed."""

from dataclasses import replace
from datetime import date

from certificates.facts import (
    AdvocateAccreditation,
    CpdStatement,
    ModuleCompletion,
    OrganisationAccreditation,
    Transcript,
    TranscriptModule,
)

CODE = "K7QX-9FD3-M2PA"
VERIFY_URL = f"https://example.org/verify/{CODE}"
ISSUED = {"code": CODE, "verify_url": VERIFY_URL, "issued_on": date(2026, 7, 1)}


def module_completion(**changes) -> ModuleCompletion:
    return replace(ModuleCompletion(
        **ISSUED, holder_name="Alex Morgan", module_title="Modern slavery: law and practice",
        specialism="Modern slavery", credits=20, completed_on=date(2026, 6, 30), result="Pass"),
        **changes)


def transcript_module(n: int) -> TranscriptModule:
    return TranscriptModule(title=f"Module {n}: advocacy with survivors",
                            credits=20, mark=48 + n, result="Pass" if 48 + n >= 50 else "Fail")


def transcript(count: int = 3, **changes) -> Transcript:
    return replace(Transcript(
        **ISSUED, holder_name="Alex Morgan",
        programme_title="Postgraduate Certificate in Independent Advocacy",
        specialism="Modern slavery",
        modules=tuple(transcript_module(n) for n in range(1, count + 1)),
        credits_achieved=40), **changes)


def advocate_accreditation(**changes) -> AdvocateAccreditation:
    return replace(AdvocateAccreditation(
        **ISSUED, holder_name="Alex Morgan", accreditation_number="IMSA-7K3Q-9XFD",
        specialism="Modern slavery", valid_from=date(2026, 7, 1),
        valid_until=date(2029, 6, 30)), **changes)


def organisation_accreditation(**changes) -> OrganisationAccreditation:
    return replace(OrganisationAccreditation(
        **ISSUED, organisation_name="Hope Trust", nation="Wales", valid_from=date(2026, 7, 1),
        valid_until=date(2028, 6, 30)), **changes)


def cpd_statement(**changes) -> CpdStatement:
    return replace(CpdStatement(
        **ISSUED, holder_name="Alex Morgan", accreditation_number="IMSA-7K3Q-9XFD",
        year_starts_on=date(2026, 4, 1), year_ends_on=date(2027, 3, 31),
        minutes_required=20 * 60, minutes_logged=22 * 60 + 30, met=True,
        minutes_by_type=(("Training course", 12 * 60), ("Supervision", 6 * 60 + 30),
                         ("Reading", 4 * 60))), **changes)


ALL = (module_completion, transcript, advocate_accreditation, organisation_accreditation,
       cpd_statement)
