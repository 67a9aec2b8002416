"""Who may ask for an extension, and for how long: the policy as one plain rule."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from assessments.deadlines import LONDON


@dataclass(frozen=True)
class ExtensionPolicy:
    grace_days: int = 5   # a request may still be made this many days after the deadline
    max_days: int = 28    # and may ask for at most this many days beyond the current deadline


def _day(moment: datetime) -> str:
    local = moment.astimezone(LONDON)
    return f"{local.day} {local:%B %Y}"


def extension_refusal(*, deadline: datetime, now: datetime, submitted: bool, released: bool,
                      open_request: bool, requested_until: datetime | None = None,
                      resit_open: bool = False,
                      policy: ExtensionPolicy = ExtensionPolicy()) -> str | None:
    """Return why an extension cannot be asked for, in plain words, or None if it can.

    `deadline` is the trainee's current deadline (any extension already granted included).
    Without `requested_until` this answers whether the trainee may ask at all (whether to
    offer the link); with it, whether that date may be asked for. An open resit attempt is
    new work: submitting or release of the earlier attempt does not stop a request."""
    if released and not resit_open:
        return ("Marks for this assessment have been released, so an extension can no longer "
                "be asked for.")
    if submitted and not resit_open:
        return "You have submitted this work, so an extension can no longer be asked for."
    if open_request:
        return ("You already have a request waiting for a decision. You can ask again once "
                "it has been decided.")
    if now > deadline + timedelta(days=policy.grace_days):
        return (f"The deadline passed more than {_days(policy.grace_days)} ago, so an "
                "extension can no longer be asked for. Contact the programme team if "
                "something has stopped you submitting.")
    if requested_until is None:
        return None
    if requested_until <= deadline:
        return "Ask for a date after your current deadline."
    latest = deadline + timedelta(days=policy.max_days)
    if requested_until > latest:
        return (f"Ask for no more than {_days(policy.max_days)} beyond your current deadline: "
                f"{_day(latest)} at the latest.")
    return None


def latest_date(deadline: datetime, policy: ExtensionPolicy = ExtensionPolicy()) -> datetime:
    """Return the latest deadline a request may ask for."""
    return deadline + timedelta(days=policy.max_days)


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"
