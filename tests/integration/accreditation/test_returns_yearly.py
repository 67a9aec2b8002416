"""The yearly return: an accredited organisation confirms nothing material has changed, or says
what has, once per anniversary; course staff see the returns received and those due."""

from datetime import date, timedelta

from sqlalchemy import select

from lms.accreditation import returns
from lms.accreditation.models import OrgAnnualReturn
from lms.extensions import db
from lms.formatting import uk_date
from tests.conftest import outbox
from tests.integration.accreditation.appeal_kit import (
    TODAY,
    audit_actions,
    client_of,
    days_ago,
    decide,
    org_with_admin,
    status_of,
    token_from,
)

STAFF_LIST = "/staff/organisations/returns"


def url(org):
    return f"/organisations/{org.id}/yearly-return"


def received(app):
    with app.app_context():
        return list(db.session.scalars(select(OrgAnnualReturn).order_by(OrgAnnualReturn.id)))


def accredited(app, create_user, create_organisation, days: int, **kwargs):
    """An organisation accredited `days` ago, and its admin; return (org, admin, due date)."""
    org, admin = org_with_admin(app, create_user, create_organisation, **kwargs)
    decide(app, org, "accredited", days_ago(days), reasons="Criteria met.")
    status = status_of(app, org)
    return org, admin, returns.due_dates(status.valid_from, status.valid_until)[0]


def send(client, org, **fields):
    page = client.get(url(org))
    text = page.get_data(as_text=True)  # the form carries the due date the page shows
    due_on = text.split('name="due_on" type="hidden" value="', 1)[1].split('"', 1)[0]
    return client.post(url(org), data={"csrf_token": token_from(page), "due_on": due_on,
                                       **fields})


def test_the_organisation_says_what_has_changed(app, create_user, create_organisation):
    org, admin, due = accredited(app, create_user, create_organisation, 350)
    assert 0 < (due - TODAY).days <= 30
    client = client_of(app, admin)
    assert f"Return due on {uk_date(due)}" in client.get(url(org)).get_data(as_text=True)

    empty = send(client, org, changes="  ")
    assert empty.status_code == 422
    assert "Say what has changed, or tick" in empty.get_data(as_text=True)
    assert received(app) == []

    changes = ("Our safeguarding lead is now Priya Shah. A new funder (a police and crime "
               "commissioner grant) pays for one advocate post.")
    assert send(client, org, changes=changes).status_code == 302
    [row] = received(app)
    assert (row.due_on, row.nothing_changed, row.changes) == (due, False, changes)
    assert row.submitted_by_id == admin.id
    assert "accreditation.org_return.sent" in audit_actions(app)
    [mail] = outbox(app)
    assert mail.recipient == admin.email and changes in mail.body
    page = client.get(url(org)).get_data(as_text=True)
    assert "No return is due now" in page and "Priya Shah" in page

    staff = client_of(app, create_user("moderator")).get(STAFF_LIST).get_data(as_text=True)
    assert org.name in staff and "Priya Shah" in staff and uk_date(due) in staff


def test_nothing_changed_on_an_overdue_return_and_staff_see_it_was_overdue(
        app, create_user, create_organisation):
    org, admin, due = accredited(app, create_user, create_organisation, 400)
    assert due < TODAY
    staff = client_of(app, create_user("admin"))
    waiting = staff.get(STAFF_LIST).get_data(as_text=True)
    assert f"{org.name}</a>: due {uk_date(due)} (<strong>overdue</strong>)" in waiting
    client = client_of(app, admin)
    assert "This return is overdue" in client.get(url(org)).get_data(as_text=True)
    assert send(client, org, nothing_changed="y", changes="ignored").status_code == 302
    [row] = received(app)
    assert row.nothing_changed and row.changes == ""
    assert "No return is due in the next 30 days" in staff.get(STAFF_LIST).get_data(
        as_text=True)


def test_a_return_is_sent_once_per_due_date(app, create_user, create_organisation):
    org, admin, due = accredited(app, create_user, create_organisation, 360)
    client = client_of(app, admin)
    token = token_from(client.get(url(org)))
    assert client.post(url(org), data={"csrf_token": token, "due_on": due.isoformat(),
                                       "nothing_changed": "y"}).status_code == 302
    again = client.post(url(org), data={"csrf_token": token, "due_on": due.isoformat(),
                                        "changes": "Second go"})
    assert again.status_code == 422
    page = again.get_data(as_text=True)
    assert "or it was sent already" in page and "Second go" in page
    assert len(received(app)) == 1


def test_no_return_while_not_accredited(app, create_user, create_organisation):
    org, admin = org_with_admin(app, create_user, create_organisation)
    decide(app, org, "declined", days_ago(400))
    client = client_of(app, admin)
    page = client.get(url(org))
    assert "Yearly returns are sent while the organisation is accredited" in page.get_data(
        as_text=True)
    response = client.post(url(org), data={
        "csrf_token": token_from(page), "nothing_changed": "y",
        "due_on": (days_ago(400) + timedelta(days=365)).isoformat()})
    assert response.status_code == 422
    assert received(app) == []


def test_only_the_organisations_admins_send_and_only_staff_read(
        app, create_user, create_organisation):
    org, admin, _ = accredited(app, create_user, create_organisation, 350)
    _, other_admin = org_with_admin(app, create_user, create_organisation, name="Elsewhere")
    other = client_of(app, other_admin)
    assert other.get(url(org)).status_code == 403
    assert other.post(url(org), data={"csrf_token": token_from(other.get("/account/password")),
                                      "nothing_changed": "y"}).status_code == 403
    for role in ("marker", "examiner", "advocate", "moderator"):
        assert client_of(app, create_user(role)).get(url(org)).status_code == 403, role
    for role in ("marker", "examiner", "advocate", "trainee"):
        assert client_of(app, create_user(role)).get(STAFF_LIST).status_code == 403, role
    assert client_of(app, admin).get(STAFF_LIST).status_code == 403
    assert received(app) == []


def test_returns_fall_on_each_anniversary_inside_the_term():
    assert returns.due_dates(date(2026, 1, 10), date(2029, 1, 9)) == [
        date(2027, 1, 10), date(2028, 1, 10)]
    # Accredited on 29 February: the anniversary in other years is 1 March.
    assert returns.due_dates(date(2028, 2, 29), date(2031, 2, 28)) == [
        date(2029, 3, 1), date(2030, 3, 1)]
