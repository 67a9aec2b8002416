"""What an organisation's dashboard shows: each advocate's row and everything expiring or due
soon. Pure: it reads statuses and CPD progress already computed, and queries nothing."""

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from lms.accreditation.orgrules import RENEWAL_WINDOW_DAYS, OrgStatus
from lms.accreditation.rules import AdvocateStatus
from lms.cpd.rules import Progress, hours_text

HORIZON_DAYS = 90

# The reasons that name an employer (lms.accreditation.rules), so that an organisation's page
# never tells it where else one of its advocates works.
_NAMED = (
    re.compile(r"^Employed by (?P<name>.+), an accredited host organisation\.$"),
    re.compile(r"^(?P<name>.+)'s accreditation as a host organisation ended on "),
    re.compile(r"^(?P<name>.+) is not an accredited host organisation\.$"),
    re.compile(r"^Your employment with (?P<name>.+) ended on "),
)


def _unnamed(reason: str, ours: str) -> str:
    for pattern in _NAMED:
        match = pattern.match(reason)
        if match and match["name"] != ours:
            return reason.replace(match["name"], "another organisation", 1) \
                .replace("another organisation's", "Another organisation's", 1) \
                .replace("Your employment with", "Their employment with", 1)
    return reason


def as_seen_by(status: AdvocateStatus, ours: str) -> AdvocateStatus:
    """The status with any other employer's name taken out of its reasons."""
    reasons = tuple(_unnamed(r, ours) for r in status.reasons)
    why = _unnamed(status.why, ours) if status.why else status.why
    return replace(status, reasons=reasons, why=why)


@dataclass(frozen=True)
class AdvocateRow:
    employment: object  # lms.organisations.models.Employment
    status: AdvocateStatus
    progress: Progress | None  # None for a trainee who is not yet an advocate

    @property
    def name(self) -> str:
        return self.employment.user.name

    @property
    def cpd_text(self) -> str:
        p = self.progress
        return f"{hours_text(p.minutes)} of {hours_text(p.requirement.minutes)}" if p else ""


@dataclass(frozen=True)
class Due:
    on: date
    who: str
    what: str
    overdue: bool = False


def renewal_opens(status: OrgStatus) -> date | None:
    """The first day the organisation may apply to renew."""
    if status.valid_until is None:
        return None
    return status.valid_until - timedelta(days=RENEWAL_WINDOW_DAYS)


def _soon(day: date | None, today: date) -> bool:
    return day is not None and day <= today + timedelta(days=HORIZON_DAYS)


def organisation_dues(name: str, status: OrgStatus, today: date) -> list[Due]:
    """The organisation's own renewal, yearly return and other dated steps."""
    dues = []
    if status.accredited and _soon(status.valid_until, today) and status.valid_until >= today:
        dues.append(Due(status.valid_until, name, "Accreditation ends unless it is renewed."))
    opens = renewal_opens(status)
    if status.accredited and opens and today < opens and _soon(opens, today):
        dues.append(Due(opens, name, "The renewal window opens: apply to renew from this day."))
    dues += [Due(step.by, name, step.text, step.by < today) for step in status.next_steps
             if _soon(step.by, today)]
    return dues


def advocate_dues(row: AdvocateRow, today: date) -> list[Due]:
    """An advocate's accreditation end, CPD year end and dated steps (conditions due)."""
    dues, status, cpd_end = [], row.status, None
    if status.accredited and _soon(status.valid_until, today) and status.valid_until >= today:
        dues.append(Due(status.valid_until, row.name, "Accreditation valid until this day."))
    if row.progress is not None:
        cpd_end = row.progress.requirement.year.end
        if _soon(cpd_end, today):
            met = "requirement met" if row.progress.met else "requirement not yet met"
            dues.append(Due(cpd_end, row.name,
                            f"CPD year ends: {row.cpd_text} logged ({met})."))
    for step in status.next_steps:
        if not _soon(step.by, today):
            continue
        if step.by == cpd_end and "CPD" in step.text:
            continue  # the CPD year's end is listed above, with the hours
        dues.append(Due(step.by, row.name, step.text, step.by < today))
    return dues


def coming_up(name: str, status: OrgStatus, rows: list[AdvocateRow], today: date) -> list[Due]:
    """Everything expiring or due in the next 90 days (and anything overdue), soonest first."""
    dues = organisation_dues(name, status, today)
    for row in rows:
        dues += advocate_dues(row, today)
    return sorted(dues, key=lambda d: (d.on, d.who.casefold(), d.what))
