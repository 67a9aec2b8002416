"""Cohort writes: create cohorts, enrol trainees, import a roster."""

from datetime import date

from sqlalchemy import select

from lms.admin.roster import Roster
from lms.audit.services import record
from lms.auth.models import RoleGrant, User
from lms.auth.services import create_user, send_password_link
from lms.cohorts.models import Cohort, Enrolment
from lms.extensions import db
from lms.organisations.models import Employment, HostOrganisation
from lms.organisations.services import add_employment


def create_cohort(name: str, starts_on: date, ends_on: date | None, *, actor) -> Cohort:
    cohort = Cohort(name=name.strip(), starts_on=starts_on, ends_on=ends_on)
    db.session.add(cohort)
    db.session.flush()
    record("cohort_created", cohort, actor=actor, after={"name": cohort.name})
    return cohort


def enrol(user: User, cohort: Cohort, specialism: str, jurisdiction: str, *, actor,
          student_id: str | None = None) -> Enrolment:
    """Enrol a person on a cohort, making them a trainee if they were not one."""
    if not user.has_role("trainee"):
        before = sorted(user.roles)
        user.role_grants.append(RoleGrant(role="trainee",
                                          granted_by_id=getattr(actor, "id", None)))
        record("roles_changed", user, actor=actor, before={"roles": before},
               after={"roles": sorted(user.roles)}, reason=f"enrolled on {cohort.name}")
    enrolment = Enrolment(user=user, cohort=cohort, specialism=specialism,
                          jurisdiction=jurisdiction, student_id=(student_id or "").strip() or None)
    db.session.add(enrolment)
    db.session.flush()
    after = {"user_id": user.id, "cohort": cohort.name, "specialism": specialism,
             "jurisdiction": jurisdiction}
    if enrolment.student_id:
        after["student_id"] = enrolment.student_id
    record("enrolled", enrolment, actor=actor, after=after)
    return enrolment


def change_enrolment(enrolment: Enrolment, changes: dict, *, actor, reason: str) -> None:
    """Change an enrolment's status, specialism or jurisdiction, with the reason recorded."""
    before = {k: getattr(enrolment, k) for k in changes}
    if before == changes:
        return
    for key, value in changes.items():
        setattr(enrolment, key, value)
    record("enrolment_changed", enrolment, actor=actor, before=before, after=changes,
           reason=reason)


def import_roster(cohort: Cohort, roster: Roster, *, actor, today: date) -> list[Enrolment]:
    """Create accounts, employments and enrolments for every row of a valid roster.

    Rows for people already on the cohort were set aside when the roster was read; their
    enrolments are left exactly as they are."""
    if not roster.valid:
        raise ValueError("an invalid roster cannot be imported")
    emails = [row.email for row in roster.rows]
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    organisations = {o.name: o for o in db.session.scalars(select(HostOrganisation))}
    employed = {(e.user_id, e.organisation_id) for e in db.session.scalars(
        select(Employment).where(Employment.end_date.is_(None)))}
    enrolments = []
    for row in roster.rows:
        user = users.get(row.email)
        if user is None:
            user = create_user(row.name, row.email, ["trainee"], actor=actor, invite=False)
            invite = True
        else:
            invite = False
        organisation = organisations.get(row.organisation)
        if organisation is not None and (user.id, organisation.id) not in employed:
            add_employment(user, organisation, today, "Trainee advocate", actor=actor)
        enrolments.append(enrol(user, cohort, row.specialism, row.jurisdiction, actor=actor,
                                student_id=row.student_id))
        if invite:
            send_password_link(user, "invite")
    record("roster_imported", cohort, actor=actor,
           after={"rows": len(roster.rows), "already_enrolled": len(roster.already_enrolled)})
    return enrolments
