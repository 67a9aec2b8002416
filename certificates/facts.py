"""What each certificate states, as plain frozen data (the caller reads it from the database).

Every document carries its verification code, the address that verifies it and the day it was
issued; the issue day is also the PDF's creation date, so the same facts give the same bytes.
Text is given as people should read it (names, titles, results); dates are dates.
"""

from dataclasses import dataclass
from datetime import date

from certificates.codes import format_code


@dataclass(frozen=True, kw_only=True)
class Issued:
    """What every certificate carries: its code, its verify address and its issue day."""

    code: str
    verify_url: str
    issued_on: date

    def __post_init__(self):
        format_code(self.code)  # refuses anything that is not a code
        if not self.verify_url.startswith(("https://", "http://")):
            raise ValueError(f"the verify address must be a web address: {self.verify_url!r}")


def _not_before(later: date, earlier: date, what: str) -> None:
    if later < earlier:
        raise ValueError(f"{what} cannot come before the start")


def _not_negative(value: int | None, what: str) -> None:
    if value is not None and value < 0:
        raise ValueError(f"{what} cannot be negative")


@dataclass(frozen=True, kw_only=True)
class ModuleCompletion(Issued):
    """A trainee completed (passed) one module; the result was released on completed_on."""

    holder_name: str
    module_title: str
    specialism: str | None  # None for a core module shared by every specialism
    credits: int | None
    completed_on: date
    result: str  # "Pass", "Merit", "Distinction"

    def __post_init__(self):
        super().__post_init__()
        _not_negative(self.credits, "credits")


@dataclass(frozen=True, kw_only=True)
class TranscriptModule:
    """One module's line on a transcript; mark is a percentage, None when not marked."""

    title: str
    credits: int
    mark: int | None
    result: str

    def __post_init__(self):
        _not_negative(self.credits, "credits")
        if self.mark is not None and not 0 <= self.mark <= 100:
            raise ValueError("a mark is a percentage from 0 to 100")


@dataclass(frozen=True, kw_only=True)
class Transcript(Issued):
    """A trainee's module results on the programme so far (never the award certificate)."""

    holder_name: str
    programme_title: str
    specialism: str | None
    modules: tuple[TranscriptModule, ...]
    credits_achieved: int | None = None  # as the assessment rules count them

    def __post_init__(self):
        super().__post_init__()
        _not_negative(self.credits_achieved, "credits achieved")


@dataclass(frozen=True, kw_only=True)
class AdvocateAccreditation(Issued):
    """An advocate is accredited for a specialism for a period."""

    holder_name: str
    accreditation_number: str  # "IMSA-7K3Q-9XFD"
    specialism: str
    valid_from: date
    valid_until: date

    def __post_init__(self):
        super().__post_init__()
        _not_before(self.valid_until, self.valid_from, "the end of the accreditation")


@dataclass(frozen=True, kw_only=True)
class OrganisationAccreditation(Issued):
    """A host organisation is accredited to employ advocates, perhaps with conditions."""

    organisation_name: str
    nation: str  # "England", "Scotland", "Wales", "Northern Ireland"
    valid_from: date
    valid_until: date
    with_conditions: bool = False  # the conditions are in the decision letter, not printed

    def __post_init__(self):
        super().__post_init__()
        _not_before(self.valid_until, self.valid_from, "the end of the accreditation")


@dataclass(frozen=True, kw_only=True)
class CpdStatement(Issued):
    """An advocate's CPD for one CPD year: what was required, what was logged, met or not."""

    holder_name: str
    accreditation_number: str | None
    year_starts_on: date
    year_ends_on: date
    minutes_required: int
    minutes_logged: int
    met: bool
    minutes_by_type: tuple[tuple[str, int], ...] = ()  # (activity type, minutes), in order

    def __post_init__(self):
        super().__post_init__()
        _not_before(self.year_ends_on, self.year_starts_on, "the end of the CPD year")
        _not_negative(self.minutes_required, "minutes required")
        _not_negative(self.minutes_logged, "minutes logged")
        for _, minutes in self.minutes_by_type:
            _not_negative(minutes, "minutes of a type")


Certificate = (ModuleCompletion | Transcript | AdvocateAccreditation | OrganisationAccreditation
               | CpdStatement)
