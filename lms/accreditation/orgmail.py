"""Who hears about an organisation's accreditation after a decision: its admins (those employed
by it now with the org_admin role) and, for appeals, the moderators. One query per list,
whatever the number of organisations."""

from datetime import date

from sqlalchemy import or_, select

from lms.auth.models import RoleGrant, User
from lms.extensions import db
from lms.links import external_for
from lms.mail.services import send_mail
from lms.organisations.models import Employment

STAFF = ("moderator", "admin")  # who decides on organisations


def org_admins(org_ids, today: date) -> dict[int, list[User]]:
    """Return the active org admins employed by each organisation on `today`."""
    ids = list(org_ids)
    found: dict[int, list[User]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = db.session.execute(
        select(Employment.organisation_id, User)
        .join(User, User.id == Employment.user_id)
        .where(Employment.organisation_id.in_(ids), Employment.start_date <= today,
               or_(Employment.end_date.is_(None), Employment.end_date >= today),
               User.active.is_(True),
               User.id.in_(select(RoleGrant.user_id).where(RoleGrant.role == "org_admin")))
        .order_by(User.id)).all()
    for org_id, user in rows:
        if user not in found[org_id]:
            found[org_id].append(user)
    return found


def moderators() -> list[User]:
    """Return the active moderators (programme leads), who hear of each appeal lodged."""
    return list(db.session.scalars(
        select(User).where(User.active.is_(True), User.id.in_(
            select(RoleGrant.user_id).where(RoleGrant.role == "moderator")))
        .order_by(User.id)))


def link(endpoint: str, **values) -> str:
    """A full address for an email (the configured external address, never the request's);
    built from the URL map, so the reminders command can link without a request."""
    return external_for(endpoint, **values)


def tell(people, subject: str, body: str) -> None:
    """Send each person the message, addressed to them by name."""
    for person in people:
        send_mail(person.email, subject, f"Dear {person.name},\n\n{body}\n\n"
                  "The course team, Bakhita Centre\n")
