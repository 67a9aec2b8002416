"""Reminders to accredited organisations: the renewal window opened (90 days before the term
ends), 30 and 7 days before, and the term ended; a yearly return due within 30 days, and one
overdue. `reminders_due` decides from statuses on a day (pure); `send_due_reminders` emails the
organisation's admins, each reminder once (AccreditationReminder keyed by what it is about),
and `reminders_for` gives the dashboard the same reminders for one organisation."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from lms.accreditation import orgmail, returns
from lms.accreditation.orgrules import RENEWAL_WINDOW_DAYS, OrgFacts, OrgStatus, org_status
from lms.formatting import plural, uk_date

RENEWAL_STAGES = (7, 30, RENEWAL_WINDOW_DAYS)  # days before the term ends, most urgent first
RETURN_DAYS = 30  # a yearly return is reminded this many days before it is due
EXPIRED_DAYS = 30  # an ended term is told for this long after it ended (not years later)
WITH_TERM = frozenset({"accredited", "accredited_conditions", "suspended"})

KINDS = {
    "renewal-90": "Renewal window opened",
    "renewal-30": "Renewal: 30 days left",
    "renewal-7": "Renewal: 7 days left",
    "expired": "Accreditation ended",
    "return-30": "Yearly return due within 30 days",
    "return-overdue": "Yearly return overdue",
}


@dataclass(frozen=True)
class OrgSnapshot:
    """What the reminders read about one organisation on a day."""

    org_id: int
    name: str
    status: OrgStatus
    renewal_submitted: bool = False
    returns_sent: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Reminder:
    kind: str
    org_id: int
    name: str
    on: date  # the last day of the term, or the return's due date

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.org_id}:{self.on.isoformat()}"

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def page(self) -> str:
        """The endpoint the email links to: the yearly return, or the organisation's page."""
        return "accreditation.org_return" if self.kind.startswith("return") else \
            "organisations.detail"

    def text(self, today: date) -> str:
        """The reminder in a sentence, as the email and the dashboard say it."""
        left = (self.on - today).days
        when = "today" if left == 0 else f"in {plural(left, 'day')}"
        if self.kind.startswith("renewal"):
            return (f"Accreditation of {self.name} ends on {uk_date(self.on)} ({when}). "
                    "Apply to renew it before then.")
        if self.kind == "expired":
            return (f"Accreditation of {self.name} ended on {uk_date(self.on)}. Apply for "
                    "accreditation again.")
        if self.kind == "return-30":
            return (f"The yearly return of {self.name} is due on {uk_date(self.on)} ({when}): "
                    "confirm nothing material has changed, or say what has.")
        return (f"The yearly return of {self.name} was due on {uk_date(self.on)} and has not "
                "been sent. Please send it now.")


# ---------------------------------------------------------------------------- pure rules


def _renewal(snapshot: OrgSnapshot, today: date) -> Reminder | None:
    status = snapshot.status
    if snapshot.renewal_submitted or status.valid_until is None:
        return None
    left = (status.valid_until - today).days
    if status.state == "expired" and -EXPIRED_DAYS <= left < 0:
        return Reminder("expired", snapshot.org_id, snapshot.name, status.valid_until)
    if status.state not in WITH_TERM or left < 0:
        return None
    # Only the most urgent stage reached: a late first run never sends an earlier stage.
    stage = next((days for days in RENEWAL_STAGES if left <= days), None)
    if stage is None:
        return None
    return Reminder(f"renewal-{stage}", snapshot.org_id, snapshot.name, status.valid_until)


def reminders_due(snapshots, today: date) -> list[Reminder]:
    """The reminders that apply on `today`, whether sent or not."""
    due = []
    for snapshot in snapshots:
        renewal = _renewal(snapshot, today)
        if renewal:
            due.append(renewal)
        for day in returns.outstanding(snapshot.status, snapshot.returns_sent, today,
                                       ahead=RETURN_DAYS):
            kind = "return-30" if day >= today else "return-overdue"
            due.append(Reminder(kind, snapshot.org_id, snapshot.name, day))
    return due


def snapshot_of(org_id: int, facts: OrgFacts, today: date) -> OrgSnapshot:
    return OrgSnapshot(
        org_id, facts.name, org_status(facts, today),
        renewal_submitted=any(
            a.submitted_on and a.submitted_on <= today
            and not (a.decided_on and a.decided_on <= today) for a in facts.applications),
        returns_sent=frozenset(r.due_on for r in facts.returns))


# ---------------------------------------------------------------------------- the database


def snapshots(org_ids, today: date) -> list[OrgSnapshot]:
    from lms.accreditation import services

    facts = services.org_facts_of(list(org_ids))
    return [snapshot_of(org_id, facts[org_id], today) for org_id in sorted(facts)]


def reminders_for(org, today: date) -> list[Reminder]:
    """The reminders that apply to one organisation today (for its dashboard)."""
    return reminders_due(snapshots([org.id], today), today)


def send_due_reminders(today: date) -> Counter:
    """Email each organisation's admins the reminders due today that were never sent, and
    record each; return how many of each kind were sent. A reminder for an organisation with
    no admin is left for the next run. Mail is only recorded here, in the same transaction as
    the reminder's row; the worker delivers it (and retries while the mail server refuses)."""
    from lms.accreditation.models import AccreditationReminder
    from lms.audit.services import record
    from lms.extensions import db
    from lms.organisations.models import HostOrganisation

    org_ids = list(db.session.scalars(select(HostOrganisation.id)))
    due = reminders_due(snapshots(org_ids, today), today)
    sent_keys = set(db.session.scalars(select(AccreditationReminder.key).where(
        AccreditationReminder.key.in_([r.key for r in due])))) if due else set()
    admins = orgmail.org_admins({r.org_id for r in due}, today)
    counts: Counter = Counter()
    for reminder in due:
        people = admins[reminder.org_id]
        if reminder.key in sent_keys or not people:
            continue
        orgmail.tell(people, f"{reminder.label}: {reminder.name}",
                     f"{reminder.text(today)}\n\n"
                     f"{orgmail.link(reminder.page, org_id=reminder.org_id)}")
        row = AccreditationReminder(key=reminder.key, organisation_id=reminder.org_id)
        db.session.add(row)
        db.session.flush()
        record("accreditation.reminder.sent", row, actor=None,
               after={"key": reminder.key, "organisation_id": reminder.org_id,
                      "to": [p.id for p in people]})
        sent_keys.add(reminder.key)
        counts[reminder.kind] += 1
    return counts


def summary(counts: Counter, today: date) -> str:
    """What the command prints: how many were sent, of which kinds."""
    total = sum(counts.values())
    line = f"{plural(total, 'accreditation reminder')} sent ({uk_date(today)})"
    if not total:
        return line + "."
    kinds = "; ".join(f"{KINDS[k]}: {counts[k]}" for k in KINDS if counts[k])
    return f"{line}: {kinds}."

