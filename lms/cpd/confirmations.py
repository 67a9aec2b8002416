"""Confirming CPD: requests to a named confirmer with a single-use link, the confirmer's answer,
and what a host organisation sees of its advocates' CPD (flush only; the request commits)."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from lms.audit.services import record
from lms.auth.models import User
from lms.auth.services import normalise_email
from lms.cpd import rules
from lms.cpd.models import CpdConfirmation, CpdEntry
from lms.cpd.services import progress_of_all
from lms.db import utcnow
from lms.extensions import db
from lms.formatting import uk_date
from lms.links import external_for
from lms.mail.services import send_mail
from lms.organisations.models import Employment

OUTCOMES = {"confirmed": "Confirmed", "queried": "Queried"}
SUPERSEDED = "superseded"
ADVOCATE_ROLES = frozenset({"advocate", "trainee"})


class Conflict(Exception):
    """The entry changed (or left the logged state) after the confirmer opened it."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def can_request(entry: CpdEntry) -> bool:
    """A logged entry, neither withdrawn nor already confirmed, may be sent for confirmation."""
    return (entry.status == "logged" and entry.withdrawn_at is None
            and entry.confirmed_at is None)


def is_self(advocate, email: str) -> bool:
    return normalise_email(email) == normalise_email(advocate.email)


def requests_for(entry: CpdEntry) -> list[CpdConfirmation]:
    return list(db.session.scalars(select(CpdConfirmation).where(
        CpdConfirmation.entry_id == entry.id).order_by(CpdConfirmation.requested_at.desc(),
                                                       CpdConfirmation.id.desc())))


def status_of(request: CpdConfirmation, now=None) -> str:
    """One word for a request: open, expired, superseded, confirmed or queried."""
    if request.used_at is not None:
        return request.outcome or SUPERSEDED
    return "expired" if request.expires_at <= (now or utcnow()) else "open"


def _supersede_open(entry: CpdEntry, now) -> None:
    for old in db.session.scalars(select(CpdConfirmation).where(
            CpdConfirmation.entry_id == entry.id, CpdConfirmation.used_at.is_(None),
            CpdConfirmation.expires_at > now)):
        old.used_at, old.outcome = now, SUPERSEDED
        record("cpd_confirmation_superseded", old, after={"entry_id": entry.id})


def request_confirmation(entry: CpdEntry, *, name: str, role: str, organisation: str,
                         email: str, actor) -> CpdConfirmation:
    """Ask a named confirmer to confirm an entry: a new single-use link replaces open ones."""
    now = utcnow()
    _supersede_open(entry, now)
    token = secrets.token_urlsafe(32)
    days = int(current_app.config["CPD_CONFIRMATION_DAYS"])
    confirmation = CpdConfirmation(
        entry_id=entry.id, name=name.strip(), role=role.strip(),
        organisation=organisation.strip(), email=normalise_email(email), token_hash=_digest(token),
        requested_at=now, expires_at=now + timedelta(days=days))
    db.session.add(confirmation)
    db.session.flush()
    link = external_for("cpd.confirm", token=token)
    send_mail(confirmation.email, f"Please confirm CPD for {actor.name}",
              _request_body(entry, confirmation, actor, link))
    record("cpd_confirmation_requested", confirmation, actor=actor,
           after={"entry_id": entry.id, "name": confirmation.name, "role": confirmation.role,
                  "organisation": confirmation.organisation, "email": confirmation.email,
                  "expires_at": confirmation.expires_at.isoformat()})
    return confirmation


def _request_body(entry, confirmation, advocate, link) -> str:
    return (
        f"Dear {confirmation.name},\n\n"
        f"{advocate.name} has named you to confirm a continuing professional development (CPD) "
        f"activity they logged on the PG Cert in Independent Advocacy platform:\n\n"
        f"  {entry.title or 'Untitled activity'}\n  {dates_text(entry)}, "
        f"{rules.hours_text(entry.minutes or 0)}\n\n"
        f"Open this link to confirm the activity, or to query it with a comment:\n{link}\n\n"
        f"The link works once and expires on {uk_date(confirmation.expires_at)}. You do not "
        f"need an account. If you do not know this activity, query it or ignore this email.\n")


def find_open(token: str) -> CpdConfirmation | None:
    """Return the unused, unexpired request for a raw token, or None."""
    found = db.session.scalar(select(CpdConfirmation).where(
        CpdConfirmation.token_hash == _digest(token)).options(
        selectinload(CpdConfirmation.entry).selectinload(CpdEntry.user)))
    if found is None or status_of(found) != "open":
        return None
    return found


def answer(confirmation: CpdConfirmation, *, outcome: str, comment: str, name: str, role: str,
           seen_version: int, actor=None) -> None:
    """Record the confirmer's answer once; on "confirmed", mark the entry confirmed.

    Raise Conflict, changing nothing, if the entry changed since the confirmer saw it."""
    entry = confirmation.entry
    if entry.version != seen_version or not can_request(entry):
        raise Conflict
    now = utcnow()
    # Single use even against a second request racing this one: only one update finds it open.
    used = db.session.execute(
        update(CpdConfirmation).where(CpdConfirmation.id == confirmation.id,
                                      CpdConfirmation.used_at.is_(None))
        .values(used_at=now, outcome=outcome, comment=comment.strip() or None)
        .execution_options(synchronize_session=False))
    if used.rowcount != 1:
        raise Conflict
    organisation = confirmation.organisation
    if outcome == "confirmed":
        entry.confirmed_at = now
        entry.confirmed_by_name = name.strip()
        entry.confirmed_by_role = role.strip()
        entry.confirmed_by_organisation = organisation
        db.session.flush()  # the version check: a concurrent edit raises StaleDataError here
    record(f"cpd_entry_{outcome}", entry, actor=actor, reason=comment.strip() or None,
           after={"confirmation_id": confirmation.id, "name": name.strip(),
                  "role": role.strip(), "organisation": organisation, "email": confirmation.email})
    advocate = entry.user
    said = f"\n\nTheir comment:\n{comment.strip()}" if comment.strip() else ""
    send_mail(advocate.email, f"CPD {OUTCOMES[outcome].lower()}: {entry.title or 'your activity'}",
              f"Dear {advocate.name},\n\n{name.strip()} ({role.strip()}"
              f"{', ' + organisation if organisation else ''}) has "
              f"{'confirmed' if outcome == 'confirmed' else 'queried'} your CPD activity "
              f"\"{entry.title or 'Untitled activity'}\" ({dates_text(entry)}) on "
              f"{uk_date(now)}.{said}\n")


def dates_text(entry: CpdEntry) -> str:
    if entry.start is None:
        return "no date"
    if entry.end and entry.end != entry.start:
        return f"{uk_date(entry.start)} to {uk_date(entry.end)}"
    return uk_date(entry.start)


# ---------------------------------------------------------------------------- organisations


@dataclass
class AdvocateSummary:
    """One advocate's current CPD year against the requirement, as an organisation sees it."""

    employment: Employment
    progress: rules.Progress  # the year on their own CPD page, however it is anchored

    @property
    def met(self) -> bool:
        return self.progress.met


def organisation_summary(org_id: int, today: date) -> list[AdvocateSummary]:
    """Return each current advocate's totals for the year holding today, in a fixed number
    of queries however many advocates and entries there are."""
    employments = [e for e in db.session.scalars(
        select(Employment).where(Employment.organisation_id == org_id)
        .options(selectinload(Employment.user).selectinload(User.role_grants))
    ) if e.is_current(today) and e.user.has_any_role(ADVOCATE_ROLES)]
    employments.sort(key=lambda e: e.user.name.casefold())
    ids = [e.user_id for e in employments]
    if not ids:
        return []
    progress = progress_of_all([e.user for e in employments], today)  # as on their own page
    return [AdvocateSummary(e, progress[e.user_id]) for e in employments]


def awaiting(org_id: int, confirmer, today: date) -> list[CpdConfirmation]:
    """Return open requests addressed to this person for entries of the organisation's
    current staff, never their own."""
    now = utcnow()
    return list(db.session.scalars(
        select(CpdConfirmation).join(CpdEntry, CpdConfirmation.entry_id == CpdEntry.id)
        .join(Employment, Employment.user_id == CpdEntry.user_id)
        .where(Employment.organisation_id == org_id, Employment.start_date <= today,
               or_(Employment.end_date.is_(None), Employment.end_date >= today),
               func.lower(CpdConfirmation.email) == normalise_email(confirmer.email),
               CpdConfirmation.used_at.is_(None), CpdConfirmation.expires_at > now,
               CpdEntry.user_id != confirmer.id)
        .options(selectinload(CpdConfirmation.entry).selectinload(CpdEntry.user))
        .order_by(CpdConfirmation.requested_at).distinct()
    ))
