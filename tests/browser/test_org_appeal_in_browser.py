"""An organisation declined by one moderator appeals in a real browser, and a different
moderator upholds the appeal; axe finds nothing, and no page scrolls sideways at 375 px."""

from datetime import date, timedelta

import pytest

from lms.accreditation import services
from lms.auth.models import User
from lms.extensions import db
from lms.organisations.models import Employment, HostOrganisation
from tests.browser.test_accounts_in_browser import sign_in
from tests.browser.test_every_page_in_browser import sideways_scroll

pytestmark = pytest.mark.browser


def check(page, axe):
    axe.check(page)
    assert sideways_scroll(page) is None, sideways_scroll(page)


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_a_declined_organisation_appeals_and_another_moderator_upholds(
        app, page, axe, create_user, create_organisation):
    org = create_organisation("Highland Survivor Support Partnership", status="not_applied")
    admin = create_user("org_admin", email="admin@highland.example.org", name="Isla Grant")
    decider = create_user("moderator", email="decider@example.org", name="Dana Decider")
    create_user("moderator", email="judge@example.org", name="Jo Judge")
    with app.app_context():
        db.session.add(Employment(user_id=admin.id, organisation_id=org.id,
                                  start_date=date(2024, 1, 8)))
        services.record_org_decision(
            db.session.get(HostOrganisation, org.id), "declined",
            date.today() - timedelta(days=3), actor=db.session.get(User, decider.id),
            reasons="Criterion 2: no supervision arrangements for the advocates were shown.")
        db.session.commit()

    sign_in(page, axe, admin.email)
    page.goto(f"/organisations/{org.id}/decisions")
    page.get_by_role("heading", name=f"Decisions on {org.name}").wait_for()
    check(page, axe)
    page.get_by_role("link", name="Appeal against this decision").click()
    page.get_by_role("heading", name="Appeal against a decision").wait_for()
    check(page, axe)
    page.get_by_role("button", name="Lodge the appeal").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    check(page, axe)
    page.get_by_label("Grounds of your appeal").fill(
        "Our clinical supervision contract was attached to criterion 2 as evidence: monthly "
        "one-to-one supervision with an external supervisor for each advocate.")
    page.get_by_role("button", name="Lodge the appeal").click()
    page.get_by_text("Your appeal is lodged.").wait_for()
    assert page.get_by_text("Waiting for a decision.").is_visible()
    check(page, axe)
    sign_out(page)

    sign_in(page, axe, decider.email)
    page.goto("/staff/organisations/appeals")
    page.get_by_role("heading", name="Organisation appeals").wait_for()
    assert page.get_by_text("Not you: anyone else on the course staff").is_visible()
    check(page, axe)
    page.get_by_role("link", name=org.name).click()
    page.get_by_text("a different member of course staff must decide this appeal").wait_for()
    assert page.get_by_role("button", name="Record the decision on the appeal").count() == 0
    check(page, axe)
    sign_out(page)

    sign_in(page, axe, "judge@example.org")
    page.goto("/staff/organisations/appeals")
    page.get_by_role("link", name=org.name).click()
    page.get_by_role("heading", name=f"Appeal: {org.name}").wait_for()
    check(page, axe)
    page.get_by_role("radio", name="Uphold the appeal").check()
    page.get_by_role("button", name="Record the decision on the appeal").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    check(page, axe)
    page.get_by_role("radio", name="Accredited", exact=True).check()
    page.get_by_label("Reasons for the decision").fill(
        "The supervision contract meets criterion 2; it was overlooked in the review.")
    page.get_by_role("button", name="Record the decision on the appeal").click()
    page.get_by_text("The decision on the appeal is recorded").wait_for()
    assert page.get_by_text("Upheld", exact=True).is_visible()
    check(page, axe)
    page.goto(f"/staff/organisations/{org.id}/decisions")
    page.get_by_role("heading", name=f"Decisions: {org.name}").wait_for()
    assert page.get_by_text("Accredited", exact=True).first.is_visible()
    check(page, axe)
    with app.app_context():
        status = services.org_status_of(db.session.get(HostOrganisation, org.id), date.today())
    assert status.state == "accredited"
