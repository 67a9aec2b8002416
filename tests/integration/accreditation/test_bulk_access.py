"""Only course staff and the admins of an accredited organisation may check numbers in bulk:
the check shows entries withheld from the public, so everyone else is refused."""

from datetime import date

import pytest
from sqlalchemy import func, select

from lms.accreditation.models import BulkCheck
from lms.extensions import db
from tests.conftest import csrf_token, sign_in
from tests.integration.accreditation.dashkit import advocate_at, employ, org_admin_of


def attempt(app, client, org_id, number):
    """GET the page and POST a check; return both statuses and how many checks were kept."""
    url = f"/organisations/{org_id}/check"
    got = client.get(url).status_code
    posted = client.post(url, data={"numbers": number, "action": "csv",
                                    "csrf_token": csrf_token(client, "/account/password")})
    with app.app_context():
        kept = db.session.scalar(select(func.count()).select_from(BulkCheck))
    return got, posted.status_code, kept, posted.get_data(as_text=True)


@pytest.fixture
def accredited(app, create_user, create_organisation):
    org = create_organisation("Northbridge Survivor Support")
    _, number = advocate_at(app, create_user, org, "Wren Hidden", withheld=True)
    return org, number


@pytest.mark.parametrize("status", ["accredited", "conditions"])
def test_admins_of_an_accredited_organisation_may_check(app, client, create_user,
                                                        create_organisation, status):
    org = create_organisation(f"{status} org", status=status)
    _, number = advocate_at(app, create_user, org, "Wren Hidden", withheld=True)
    sign_in(client, org_admin_of(app, create_user, org))
    got, posted, kept, body = attempt(app, client, org.id, number)
    assert (got, posted, kept) == (200, 200, 1)
    assert "Wren Hidden" in body


@pytest.mark.parametrize("status", ["applying", "suspended", "lapsed", "not_applied"])
def test_admins_of_an_organisation_not_accredited_are_refused(app, client, create_user,
                                                              create_organisation, accredited,
                                                              status):
    _, number = accredited
    org = create_organisation(f"{status} org", status=status)
    sign_in(client, org_admin_of(app, create_user, org))
    got, posted, kept, body = attempt(app, client, org.id, number)
    assert (got, posted, kept) == (403, 403, 0)
    assert "Wren Hidden" not in body


def test_another_organisations_admin_is_refused(app, client, create_user, create_organisation,
                                                accredited):
    org, number = accredited
    other = create_organisation("Eastgate Advocacy")  # accredited too, but not theirs
    sign_in(client, org_admin_of(app, create_user, other))
    assert attempt(app, client, org.id, number)[:3] == (403, 403, 0)
    assert attempt(app, client, other.id, number)[:3] == (200, 200, 1)


def test_an_admin_whose_employment_ended_is_refused(app, client, create_user, accredited):
    from lms.organisations.models import Employment

    org, number = accredited
    admin = org_admin_of(app, create_user, org)
    with app.app_context():
        db.session.query(Employment).filter_by(user_id=admin.id).update(
            {"end_date": date(2021, 1, 1)})
        db.session.commit()
    sign_in(client, admin)
    assert attempt(app, client, org.id, number)[:3] == (403, 403, 0)


@pytest.mark.parametrize("role", ["advocate", "trainee", "marker", "examiner"])
def test_advocates_trainees_markers_and_examiners_are_refused(app, client, create_user,
                                                              accredited, role):
    org, number = accredited
    person = create_user(role)
    employ(app, person, org)  # even working there
    sign_in(client, person)
    got, posted, kept, body = attempt(app, client, org.id, number)
    assert (got, posted, kept) == (403, 403, 0)
    assert "Wren Hidden" not in body


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_course_staff_may_check_for_any_organisation(app, client, create_user,
                                                     create_organisation, role):
    org = create_organisation("Applying org", status="applying")
    _, number = advocate_at(app, create_user, None, "Wren Hidden", withheld=True)
    sign_in(client, create_user(role))
    got, posted, kept, body = attempt(app, client, org.id, number)
    assert (got, posted, kept) == (200, 200, 1)
    assert "Wren Hidden" in body


def test_signed_out_visitors_are_sent_to_sign_in_and_unknown_organisations_are_not_found(
        app, client, create_user, accredited):
    org, _ = accredited
    response = client.get(f"/organisations/{org.id}/check")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    sign_in(client, create_user("moderator"))
    assert client.get("/organisations/99999/check").status_code == 404
