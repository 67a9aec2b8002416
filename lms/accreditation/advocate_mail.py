"""Emails about an advocate's accreditation: each staff decision to the advocate and to the
admins of the organisations that employ them now, and an advocate's request to be withheld
from the public check to the moderators. Plain words: what changed, why, what to do. Nothing
sent to an advocate or an employer links to a page only staff can see."""

from datetime import date

from flask import render_template
from sqlalchemy import or_, select

from lms.accreditation.rules import AdvocateStatus
from lms.auth.models import RoleGrant, User
from lms.extensions import db
from lms.formatting import uk_date
from lms.links import external
from lms.mail.services import send_mail
from lms.organisations.models import Employment, HostOrganisation

# What changed, as the advocate reads it.
CHANGED = {
    "award": "Your PG Cert award is recorded",
    "accredit": "Course staff have confirmed your initial conditions of accreditation",
    "conditions": "Course staff have set conditions on your accreditation",
    "conditions_met": "Course staff have recorded that you have met the conditions on your "
                      "accreditation",
    "suspend": "Your accreditation is suspended",
    "lift": "The suspension of your accreditation is lifted",
    "withdraw": "Your accreditation is withdrawn",
    "withhold": "Your entry is withheld from the public check",
    "unwithhold": "Your entry shows on the public check again",
}
# What changed, as the advocate's employer reads it ({name} is the advocate).
EMPLOYER_CHANGED = {
    "award": "{name}'s PG Cert award is recorded",
    "accredit": "Course staff have confirmed {name}'s initial conditions of accreditation",
    "conditions": "Course staff have set conditions on {name}'s accreditation",
    "conditions_met": "{name} has met the conditions on their accreditation",
    "suspend": "{name}'s accreditation is suspended",
    "lift": "The suspension of {name}'s accreditation is lifted",
    "withdraw": "{name}'s accreditation is withdrawn",
    "withhold": "{name}'s entry is withheld from the public check",
    "unwithhold": "{name}'s entry shows on the public check again",
}
# What the employer should do; the advocate's own next steps come from their status.
EMPLOYER_TODO = {
    "conditions": "Please support {name} to meet the conditions by {due}.",
    "suspend": "Until the suspension is lifted, {name} must not practise as, or be presented "
               "as, an accredited IMSA. Course staff will email you when it is lifted.",
    "withdraw": "{name} is no longer an accredited IMSA and must not practise as, or be "
                "presented as, one. This decision is final.",
    "withhold": "A check of their number on the public check now answers \"no match\". "
                "Your organisation's bulk checks, signed in, still show their status.",
    "unwithhold": "A check of their number and surname on the public check shows their "
                  "status again.",
}
# The reason for withholding an entry is often about the advocate's safety: it goes to the
# advocate, never to their employer.
PRIVATE_REASONS = frozenset({"withhold", "unwithhold"})


def _link(path: str) -> str:
    return external(path)


def employer_admins(user: User, today: date) -> list[tuple[User, str]]:
    """Return (org admin, organisation name) for each organisation employing `user` today."""
    current = (Employment.start_date <= today,
               or_(Employment.end_date.is_(None), Employment.end_date >= today))
    employers = select(Employment.organisation_id).where(Employment.user_id == user.id,
                                                         *current)
    rows = db.session.execute(
        select(User, HostOrganisation.name)
        .join(Employment, Employment.user_id == User.id)
        .join(HostOrganisation, HostOrganisation.id == Employment.organisation_id)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == "org_admin", User.active.is_(True), User.id != user.id,
               Employment.organisation_id.in_(employers), *current)
        .order_by(HostOrganisation.name, User.id)).all()
    seen: set[int] = set()
    found = []
    for admin, organisation in rows:
        if admin.id not in seen:
            seen.add(admin.id)
            found.append((admin, organisation))
    return found


def moderators() -> list[User]:
    """Return the active moderators (programme leads); the admins if there are none."""
    for role in ("moderator", "admin"):
        people = db.session.scalars(
            select(User).join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.role == role, User.active.is_(True)).order_by(User.id)).all()
        if people:
            return list(people)
    return []


def send_decision(user: User, kind: str, reason: str, status: AdvocateStatus, today: date, *,
                  conditions: str = "", due_on: date | None = None) -> int:
    """Email a decision (or an award) to the advocate and their employers' admins; return how
    many people were emailed."""
    words = {"name": user.name, "due": uk_date(due_on) if due_on else ""}
    body = render_template(
        "accreditation/email/advocate_decision.txt", user=user, changed=CHANGED[kind],
        reason=reason.strip(), status=status, conditions=conditions.strip(), due_on=due_on,
        link=_link("/accreditation"))
    send_mail(user.email, CHANGED[kind], body)
    # Whether an advocate's entry is withheld is their own safety: employers are not told (the
    # risk may come from someone at work); their bulk checks see the entry either way.
    admins = [] if kind in PRIVATE_REASONS else employer_admins(user, today)
    for admin, organisation in admins:
        body = render_template(
            "accreditation/email/advocate_decision_employer.txt", admin=admin, user=user,
            organisation=organisation, changed=EMPLOYER_CHANGED[kind].format(**words),
            reason="" if kind in PRIVATE_REASONS else reason.strip(), status=status,
            conditions=conditions.strip(), due_on=due_on,
            todo=EMPLOYER_TODO.get(kind, "Nothing is needed from you.").format(**words))
        send_mail(admin.email, f"Accreditation of {user.name}: {status.label}", body)
    return 1 + len(admins)


def send_withhold_request(user: User, withhold: bool, staff_path: str) -> int:
    """Tell the moderators an advocate asks to be withheld from (or shown on) the public
    check; the reason stays on the platform. Return how many were told."""
    people = moderators()
    what = ("withheld from the public check" if withhold
            else "shown on the public check again")
    for person in people:
        body = render_template("accreditation/email/advocate_withhold_request.txt",
                               person=person, user=user, what=what, link=_link(staff_path))
        send_mail(person.email, f"{user.name} asks for their entry to be {what}", body)
    return len(people)
