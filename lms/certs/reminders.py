"""Remind holders before an accreditation certificate expires: one email per certificate, 30
days or less before its last day, recorded in accreditation's reminder table so none goes twice.
A certificate already replaced (renewed), revoked or suspended is not reminded."""

from datetime import date, timedelta

from flask import render_template
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from lms.accreditation.models import AccreditationReminder
from lms.audit.services import record
from lms.auth.models import RoleGrant, User
from lms.certs.models import KINDS, Certificate
from lms.extensions import db
from lms.formatting import uk_date
from lms.links import external
from lms.mail.services import send_mail
from lms.organisations.models import Employment

DAYS_BEFORE = 30
ACCREDITATION = ("advocate_accreditation", "organisation_accreditation")


def reminder_key(certificate: Certificate) -> str:
    return f"certificate-expiry:{certificate.code}"


def expiring(today: date) -> list[Certificate]:
    """Accreditation certificates still in force whose last day is within 30 days."""
    return list(db.session.scalars(select(Certificate).where(
        Certificate.kind.in_(ACCREDITATION), Certificate.valid_until >= today,
        Certificate.valid_until <= today + timedelta(days=DAYS_BEFORE),
        Certificate.revoked_at.is_(None), Certificate.suspended_at.is_(None),
        Certificate.replaced_by_id.is_(None)).options(selectinload(Certificate.user))
        .order_by(Certificate.valid_until, Certificate.id)))


def _org_admins(org_ids: set[int], today: date) -> dict[int, list[User]]:
    out: dict[int, list[User]] = {i: [] for i in org_ids}
    if not org_ids:
        return out
    for employment in db.session.scalars(
            select(Employment).join(RoleGrant, RoleGrant.user_id == Employment.user_id)
            .where(Employment.organisation_id.in_(org_ids), RoleGrant.role == "org_admin",
                   Employment.start_date <= today,
                   or_(Employment.end_date.is_(None), Employment.end_date >= today))
            .options(selectinload(Employment.user))):
        out[employment.organisation_id].append(employment.user)
    return out


def send_expiry_reminders(today: date) -> int:
    """Email the holder of each accreditation certificate expiring within 30 days, once;
    return how many certificates were reminded."""
    due = expiring(today)
    sent = set(db.session.scalars(select(AccreditationReminder.key).where(
        AccreditationReminder.key.in_([reminder_key(c) for c in due]))))
    admins = _org_admins({c.organisation_id for c in due if c.organisation_id}, today)
    count = 0
    for certificate in due:
        if reminder_key(certificate) in sent:
            continue
        people = ([certificate.user] if certificate.user_id
                  else admins.get(certificate.organisation_id, []))
        if not people:
            continue
        link = external("/certificates")
        for person in people:
            send_mail(person.email, f"Your {KINDS[certificate.kind].lower()} certificate "
                      f"expires on {uk_date(certificate.valid_until)}",
                      render_template("certs/email/expiry.txt", person=person,
                                      certificate=certificate, link=link))
        row = AccreditationReminder(key=reminder_key(certificate),
                                    organisation_id=certificate.organisation_id,
                                    user_id=certificate.user_id)
        db.session.add(row)
        db.session.flush()
        record("certificate_expiry_reminded", certificate, actor=None,
               after={"code": certificate.code,
                      "valid_until": certificate.valid_until.isoformat()})
        count += 1
    return count
