"""What each certificate prints, in order, as words: the one source for the PDF and the web.

The PDF is laid out from printed(facts), and the verify page and the HTML view show
printed_fields(facts), so the two can never disagree: anyone comparing a PDF with the verify
page catches an edited document.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from certificates.codes import format_code
from certificates.facts import (
    AdvocateAccreditation,
    Certificate,
    CpdStatement,
    ModuleCompletion,
    OrganisationAccreditation,
    Transcript,
)

ISSUER = "Bakhita Centre, St Mary's University, Twickenham"
CHECK_CURRENT = ("Accreditation can be suspended or withdrawn: check at the address below that it "
                 "is still current.")

Field = tuple[str, str]


@dataclass(frozen=True)
class Table:
    """Rows under a caption, such as a transcript's modules; every cell is words."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Printed:
    """Everything a certificate prints, in the order it prints it."""

    kind: str  # "module_completion", "transcript", ...: the same key the database stores
    title: str
    subject: str  # the PDF's subject: what sort of document this is
    holder: str
    lead: str
    fields: tuple[Field, ...]
    table: Table | None
    notes: tuple[str, ...]
    code: str  # grouped for reading: "K7QX-9FD3-M2PA"
    verify_url: str
    issued_on: date
    valid_until: date | None = None


def uk_date(day: date) -> str:
    """A date as people in the UK write it: "3 March 2026" (as lms.formatting.uk_date, which
    this package cannot import: lms needs Flask, and lms imports certificates, not the reverse)."""
    return f"{day.day} {day:%B %Y}"


def hours_text(minutes: int) -> str:
    """Minutes as hours in words: "1 hour", "14.5 hours", "0.25 hours" (as lms.cpd.rules)."""
    hours = Fraction(minutes, 60)
    number = str(hours.numerator // hours.denominator) if hours.denominator == 1 else (
        f"{float(hours):.2f}".rstrip("0"))
    return f"{number} hour" if hours == 1 else f"{number} hours"


@dataclass(frozen=True)
class _Body:
    """The part of a certificate that depends on its facts."""

    holder: str
    fields: list[Field]
    table: Table | None = None
    notes: tuple[str, ...] = ()
    valid_until: date | None = None


@dataclass(frozen=True)
class _Kind:
    """The fixed wording of one kind of certificate, and how its facts print."""

    key: str
    title: str
    subject: str
    lead: str
    body: Callable


NOT_AN_AWARD = ("It is not the university's award certificate: only St Mary's University's "
                "own certificate confirms an award.")


def _module_completion(facts: ModuleCompletion) -> _Body:
    fields = [("Name", facts.holder_name), ("Module", facts.module_title),
              ("Specialism", facts.specialism or "Core module, shared by every specialism")]
    if facts.credits is not None:
        fields.append(("Credits", str(facts.credits)))
    fields += [("Result", facts.result), ("Completed on", uk_date(facts.completed_on))]
    return _Body(facts.holder_name, fields, notes=(NOT_AN_AWARD,))


def _transcript(facts: Transcript) -> _Body:
    fields = [("Name", facts.holder_name), ("Programme", facts.programme_title)]
    if facts.specialism:
        fields.append(("Specialism", facts.specialism))
    if facts.credits_achieved is not None:
        fields.append(("Credits achieved", str(facts.credits_achieved)))
    rows = tuple((module.title, str(module.credits),
                  "Not marked" if module.mark is None else f"{module.mark}%", module.result)
                 for module in facts.modules)
    table = Table("Module results", ("Module", "Credits", "Mark", "Result"), rows) if rows else None
    notes = ("This is a transcript of module results. " + NOT_AN_AWARD,)
    if not rows:
        notes = ("No module results have been released yet.", *notes)
    return _Body(facts.holder_name, fields, table, notes)


def _advocate_accreditation(facts: AdvocateAccreditation) -> _Body:
    fields = [("Name", facts.holder_name), ("Accreditation number", facts.accreditation_number),
              ("Specialism", facts.specialism), ("Valid from", uk_date(facts.valid_from)),
              ("Valid until", uk_date(facts.valid_until))]
    return _Body(facts.holder_name, fields, notes=(CHECK_CURRENT,),
                 valid_until=facts.valid_until)


def _organisation_accreditation(facts: OrganisationAccreditation) -> _Body:
    status = "Accredited with conditions" if facts.with_conditions else "Accredited"
    fields = [("Organisation", facts.organisation_name), ("Nation", facts.nation),
              ("Accreditation", status), ("Valid from", uk_date(facts.valid_from)),
              ("Valid until", uk_date(facts.valid_until))]
    notes = (CHECK_CURRENT,)
    if facts.with_conditions:
        notes = ("The accreditation was granted with conditions, which are set out in the "
                 "accreditation decision sent to the organisation.", *notes)
    return _Body(facts.organisation_name, fields, notes=notes, valid_until=facts.valid_until)


def _cpd_statement(facts: CpdStatement) -> _Body:
    fields = [("Name", facts.holder_name)]
    if facts.accreditation_number:
        fields.append(("Accreditation number", facts.accreditation_number))
    fields += [("CPD year", f"{uk_date(facts.year_starts_on)} to {uk_date(facts.year_ends_on)}"),
               ("Hours required", hours_text(facts.minutes_required)),
               ("Hours logged", hours_text(facts.minutes_logged)),
               ("Requirement", "Met" if facts.met else "Not met")]
    rows = tuple((kind, hours_text(minutes)) for kind, minutes in facts.minutes_by_type)
    table = Table("Hours by type of activity", ("Type of activity", "Hours"), rows)
    return _Body(facts.holder_name, fields, table if rows else None)


KINDS = {
    ModuleCompletion: _Kind(
        "module_completion", "Certificate of module completion", "Module completion certificate",
        "This certifies that the person named below completed the module below with the result "
        "shown.", _module_completion),
    Transcript: _Kind(
        "transcript", "Transcript of module results", "Programme transcript",
        "The module results released so far to the person named below on the programme below.",
        _transcript),
    AdvocateAccreditation: _Kind(
        "advocate_accreditation", "Certificate of accreditation: independent advocate",
        "Advocate accreditation certificate",
        "This certifies that the advocate named below is accredited as an independent advocate "
        "in the specialism below for the period shown.", _advocate_accreditation),
    OrganisationAccreditation: _Kind(
        "organisation_accreditation", "Certificate of accreditation: host organisation",
        "Host organisation accreditation certificate",
        "This certifies that the organisation named below is accredited to employ independent "
        "advocates for the period shown.", _organisation_accreditation),
    CpdStatement: _Kind(
        "cpd_statement", "Statement of continuing professional development", "CPD statement",
        "The continuing professional development the advocate named below logged in the CPD "
        "year shown, against what the year required.", _cpd_statement),
}


def printed(facts: Certificate) -> Printed:
    """Return everything the certificate for these facts prints."""
    kind = KINDS[type(facts)]
    body = kind.body(facts)
    return Printed(
        kind=kind.key, title=kind.title, subject=kind.subject, holder=body.holder, lead=kind.lead,
        fields=(*body.fields, ("Issued on", uk_date(facts.issued_on))), table=body.table,
        notes=body.notes, code=format_code(facts.code), verify_url=facts.verify_url,
        issued_on=facts.issued_on, valid_until=body.valid_until)


def printed_fields(facts: Certificate) -> list[Field]:
    """Return every (label, value) the certificate prints, in order, for the web to show.

    A table row becomes one field: its first cell is the label, the others the value."""
    shown = printed(facts)
    fields = [("Document", shown.title), ("Issued by", ISSUER), *shown.fields]
    if shown.table:
        headers = shown.table.headers[1:]
        fields += [(row[0], "; ".join(f"{h}: {v}" for h, v in zip(headers, row[1:], strict=True)))
                   for row in shown.table.rows]
    fields += [("Note", note) for note in shown.notes]
    return [*fields, ("Verification code", shown.code), ("Verify at", shown.verify_url)]
