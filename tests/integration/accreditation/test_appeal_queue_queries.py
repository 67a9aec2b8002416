"""The staff pages after decisions cost the same number of queries whatever the number of
appeals, returns and organisations."""

from lms.accreditation import appeals, returns, services
from lms.accreditation.models import OrgDecision
from lms.auth.models import User
from lms.extensions import db
from lms.organisations.models import HostOrganisation
from tests.integration.accreditation.appeal_kit import (
    TODAY,
    client_of,
    days_ago,
    decide,
    org_with_admin,
)
from tests.integration.courses.test_query_counts import count_queries


def add_organisations(app, create_user, create_organisation, start: int, count: int):
    """Organisations each declined and appealing, and each accredited with a return sent."""
    for n in range(start, start + count):
        org, admin = org_with_admin(app, create_user, create_organisation, name=f"Org {n}",
                                    admin_name=f"Admin {n}")
        decider = create_user("moderator", name=f"Decider {n}")
        declined = decide(app, org, "declined", days_ago(400), by=decider)
        decide(app, org, "accredited", days_ago(390))
        with app.app_context():
            record = db.session.get(HostOrganisation, org.id)
            actor = db.session.get(User, admin.id)
            appeals.lodge(record, db.session.get(OrgDecision, declined), "Grounds",
                          actor=actor, today=days_ago(399))
            status = services.org_status_of(record, TODAY)
            due = returns.due_dates(status.valid_from, status.valid_until)[0]
            returns.send_return(record, status, due, True, "", actor=actor, today=TODAY)
            db.session.commit()


def queries(app, client, path) -> int:
    client.get(path)
    with count_queries(app) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_the_appeal_queue_and_the_returns_list_do_not_grow_with_rows(
        app, create_user, create_organisation):
    staff = client_of(app, create_user("admin"))
    add_organisations(app, create_user, create_organisation, 0, 1)
    pages = ["/staff/organisations/appeals", "/staff/organisations/returns"]
    few = {path: queries(app, staff, path) for path in pages}
    add_organisations(app, create_user, create_organisation, 1, 4)
    many = {path: queries(app, staff, path) for path in pages}
    assert many == few
    assert "Org 4" in staff.get(pages[0]).get_data(as_text=True)
    assert "Org 4" in staff.get(pages[1]).get_data(as_text=True)
