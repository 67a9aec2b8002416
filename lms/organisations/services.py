"""Employment records and the organisations a person administers."""

from datetime import date

from sqlalchemy import or_, select

from lms.audit.services import record
from lms.extensions import db
from lms.organisations.models import Employment, HostOrganisation


def administered_organisations(user, today: date) -> list[HostOrganisation]:
    """Return organisations where an org admin is currently employed."""
    if not user.has_role("org_admin"):
        return []
    return list(db.session.scalars(
        select(HostOrganisation).join(Employment)
        .where(Employment.user_id == user.id, Employment.start_date <= today,
               or_(Employment.end_date.is_(None), Employment.end_date >= today))
        .order_by(HostOrganisation.name).distinct()
    ))


def add_employment(user, organisation, start_date: date, job_title: str, *, actor) -> Employment:
    employment = Employment(user=user, organisation=organisation, start_date=start_date,
                            job_title=job_title.strip())
    db.session.add(employment)
    db.session.flush()
    record("employment_added", employment, actor=actor,
           after={"user_id": user.id, "organisation_id": organisation.id,
                  "start_date": start_date.isoformat(), "job_title": employment.job_title})
    return employment


def end_employment(employment: Employment, end_date: date, *, actor, reason: str) -> None:
    """Record the last day of an employment; the record itself is kept."""
    before = employment.end_date.isoformat() if employment.end_date else None
    employment.end_date = end_date
    record("employment_ended", employment, actor=actor, reason=reason,
           before={"end_date": before}, after={"end_date": end_date.isoformat()})


def update_organisation(organisation: HostOrganisation, changes: dict, *, actor,
                        reason: str | None = None) -> None:
    """Apply field changes to an organisation, recording before and after."""
    before = {k: getattr(organisation, k) for k in changes}
    if before == changes:
        return
    for key, value in changes.items():
        setattr(organisation, key, value)
    record("organisation_updated", organisation, actor=actor, before=before, after=changes,
           reason=reason)
