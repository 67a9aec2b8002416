"""Whether a certificate holds on a day: valid, expired, suspended or revoked. Plain data only.

The verify page, the verify API and the holder's pages all ask this one function, so they never
disagree. Revocation is final and beats everything; a suspension (reversible: lifting it clears
suspended_at) beats expiry, because a reader checking an expired and suspended accreditation
needs to know it was suspended; a certificate is expired the day after its last valid day.
Revocation and suspension are instants (stored in UTC); they take effect on the UK calendar day
they fall in, the day the verify page prints.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

STATES = {
    "valid": "Valid",
    "expired": "Expired",
    "suspended": "Suspended",
    "revoked": "Revoked",
}


class RowLike(Protocol):
    """The fields of a certificate record the status depends on."""

    revoked_at: datetime | None
    suspended_at: datetime | None
    valid_until: date | None


@dataclass(frozen=True)
class CertStatus:
    """Where a certificate stands on a day.

    `since` is the first day of the state (None for a valid certificate); `reason_date` is the
    date a reader is told: the day it was revoked or suspended, or the last day an expired
    certificate was valid (for a valid certificate, its last valid day, or None if it does not
    expire)."""

    state: str
    label: str
    since: date | None
    reason_date: date | None

    @property
    def holds(self) -> bool:
        """Say whether the certificate can be relied on today."""
        return self.state == "valid"


def uk_day(moment: datetime) -> date:
    """Return the UK calendar day of an instant (a naive instant is UTC, as the database stores)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LONDON).date()


def _status(state: str, since: date | None, reason_date: date | None) -> CertStatus:
    return CertStatus(state, STATES[state], since, reason_date)


def certificate_status(row: RowLike, day: date) -> CertStatus:
    """Return the certificate's status on `day`: revoked beats suspended beats expired."""
    revoked = uk_day(row.revoked_at) if row.revoked_at else None
    if revoked is not None and revoked <= day:
        return _status("revoked", revoked, revoked)
    suspended = uk_day(row.suspended_at) if row.suspended_at else None
    if suspended is not None and suspended <= day:
        return _status("suspended", suspended, suspended)
    if row.valid_until is not None and day > row.valid_until:
        return _status("expired", row.valid_until + timedelta(days=1), row.valid_until)
    return _status("valid", None, row.valid_until)
