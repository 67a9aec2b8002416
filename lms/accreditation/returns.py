"""The yearly return: on each anniversary of the decision inside the term, an accredited
organisation confirms nothing material has changed, or says what has. One return per due date
(the anniversary). Services flush, never commit."""

from datetime import date, timedelta

from sqlalchemy import select

from lms.accreditation import orgmail
from lms.accreditation.models import OrgAnnualReturn
from lms.accreditation.orgrules import RENEWAL_WINDOW_DAYS, OrgStatus, default_valid_until
from lms.audit.services import record
from lms.auth.models import User
from lms.extensions import db
from lms.formatting import uk_date
from lms.organisations.models import HostOrganisation

# A return can be sent once it shows among the organisation's next steps (orgrules).
OPENS_DAYS = RENEWAL_WINDOW_DAYS


class Refused(Exception):
    """A return the rules do not take, with the message to show."""


# ---------------------------------------------------------------------------- pure rules


def due_dates(valid_from: date, valid_until: date) -> list[date]:
    """The anniversaries of the decision inside the term (the term's last day excluded)."""
    dates, years = [], 1
    while (due := default_valid_until(valid_from, years) + timedelta(days=1)) <= valid_until:
        dates.append(due)
        years += 1
    return dates


def outstanding(status: OrgStatus, sent, today: date, ahead: int = OPENS_DAYS) -> list[date]:
    """Due dates not yet answered up to `ahead` days from today, while accredited."""
    if not status.accredited or not status.valid_from or not status.valid_until:
        return []
    sent = set(sent)
    return [d for d in due_dates(status.valid_from, status.valid_until)
            if d not in sent and d <= today + timedelta(days=ahead)]


# ---------------------------------------------------------------------------- reading


def returns_of(org_id: int) -> list[OrgAnnualReturn]:
    return list(db.session.scalars(
        select(OrgAnnualReturn).where(OrgAnnualReturn.organisation_id == org_id)
        .order_by(OrgAnnualReturn.due_on.desc())))


def sent_due_dates(org_ids) -> dict[int, set[date]]:
    ids = list(org_ids)
    found: dict[int, set[date]] = {i: set() for i in ids}
    if ids:
        for org_id, due in db.session.execute(
                select(OrgAnnualReturn.organisation_id, OrgAnnualReturn.due_on)
                .where(OrgAnnualReturn.organisation_id.in_(ids))):
            found[org_id].add(due)
    return found


def every_return() -> list[tuple[OrgAnnualReturn, HostOrganisation, str]]:
    """Every return received, newest first, with its organisation and sender (one query)."""
    return list(db.session.execute(
        select(OrgAnnualReturn, HostOrganisation, User.name)
        .join(HostOrganisation, HostOrganisation.id == OrgAnnualReturn.organisation_id)
        .join(User, User.id == OrgAnnualReturn.submitted_by_id)
        .order_by(OrgAnnualReturn.submitted_at.desc(), OrgAnnualReturn.id.desc())).all())


# ---------------------------------------------------------------------------- writing


def send_return(org: HostOrganisation, status: OrgStatus, due_on: date, nothing_changed: bool,
                changes: str, *, actor, today: date) -> OrgAnnualReturn:
    """Record the return for a due date, audit it, and confirm it to the org's admins."""
    sent = sent_due_dates([org.id])[org.id]
    if due_on not in outstanding(status, sent, today):
        raise Refused(f"No yearly return is due on {uk_date(due_on)}, or it was sent already.")
    row = OrgAnnualReturn(organisation_id=org.id, due_on=due_on, nothing_changed=nothing_changed,
                          changes="" if nothing_changed else changes, submitted_by_id=actor.id)
    db.session.add(row)
    db.session.flush()  # unique per due date: a second return sent at once is refused
    record("accreditation.org_return.sent", row, actor=actor,
           after={"organisation_id": org.id, "due_on": due_on.isoformat(),
                  "nothing_changed": nothing_changed}, reason=row.changes or None)
    what = ("nothing material has changed" if nothing_changed else
            f"these changes:\n\n{row.changes}")
    orgmail.tell(orgmail.org_admins([org.id], today)[org.id],
                 f"Yearly return received: {org.name}",
                 f"{actor.name} sent the yearly return for {org.name} (due "
                 f"{uk_date(due_on)}), saying {what}\n\nCourse staff read every return and "
                 "will contact you if they need to know more.")
    return row
