"""Helpers for the tests of what comes after a decision on an organisation: organisations with
admins, decisions recorded through the services, staff, and signed-in clients."""

from datetime import date, timedelta

from sqlalchemy import func, select

from lms.accreditation import services
from lms.accreditation.models import OrgDecision
from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.extensions import db
from lms.organisations.models import Employment, HostOrganisation
from tests.conftest import CSRF_RE, sign_in

TODAY = date.today()


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def org_with_admin(app, create_user, create_organisation, name="Northbridge Survivor Support",
                   admin_name="Olu Admin", status="not_applied"):
    """An organisation (with no decision yet, unless `status` says: see tests/conftest.py)
    and an org admin employed by it; return (org, admin)."""
    org = create_organisation(name, status=status)
    admin = create_user("org_admin", name=admin_name)
    with app.app_context():
        db.session.add(Employment(user_id=admin.id, organisation_id=org.id,
                                  start_date=date(2020, 1, 1)))
        db.session.commit()
    return org, admin


def decide(app, org, kind, effective_on, *, by=None, **fields) -> int:
    """Record a decision on the organisation through the services; return its id."""
    with app.app_context():
        actor = db.session.get(User, by.id) if by else None
        decision = services.record_org_decision(db.session.get(HostOrganisation, org.id), kind,
                                                effective_on, actor=actor, **fields)
        db.session.commit()
        return decision.id


def status_of(app, org, day=TODAY):
    with app.app_context():
        return services.org_status_of(db.session.get(HostOrganisation, org.id), day)


def decision_count(app, org) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).where(
            OrgDecision.organisation_id == org.id))


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def client_of(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def token_from(response) -> str:
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)[:500]
    return match.group(1)


def post_from(client, page: str, url: str, data: dict):
    """Open the page as the person would, then post the form with the values it carried."""
    page_response = client.get(page)
    return client.post(url, data={**data, "csrf_token": token_from(page_response)})
