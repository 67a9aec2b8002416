"""In Chromium: an organisation's admin answers every criterion (with a file) and submits;
staff review every criterion and ask a question; the organisation answers; staff decide.
Axe on every page, and no page scrolls sideways on a 375 px phone."""

import pytest

from lms.extensions import db
from tests import filekit
from tests.browser.test_accounts_in_browser import sign_in
from tests.browser.test_every_page_in_browser import sideways_scroll
from tests.conftest import outbox

pytestmark = pytest.mark.browser


def check(page, axe):
    axe.check(page)
    assert sideways_scroll(page) is None, sideways_scroll(page)


@pytest.fixture
def people(app, create_user, create_organisation):
    from lms.organisations.models import Employment

    org = create_organisation("Northbridge Survivor Support with a long name to wrap on a phone",
                              status="not_applied")
    admin = create_user("org_admin", email="manager@northbridge.example.org",
                        name="Morgan Manager")
    staff = create_user("moderator", email="lead@example.org", name="Priya Lead")
    with app.app_context():
        db.session.add(Employment(user_id=admin.id, organisation_id=org.id,
                                  start_date=org.created_at.date()))
        db.session.commit()
    return {"org": org, "admin": admin, "staff": staff}


def test_an_organisation_applies_staff_review_ask_and_decide(app, browser, live_server, page,
                                                             axe, people, tmp_path):
    from lms.accreditation import criteria

    org = people["org"]
    sign_in(page, axe, people["admin"].email)
    page.goto(f"/organisations/{org.id}/application")
    page.get_by_role("heading", name="Accreditation application").wait_for()
    check(page, axe)
    page.get_by_role("button", name="Start the application").click()
    page.get_by_text("0 of 8 criteria have a statement.").wait_for()
    check(page, axe)

    policy = tmp_path / "safeguarding-policy.pdf"
    policy.write_bytes(filekit.pdf())
    for number, c in enumerate(criteria.CRITERIA):
        page.get_by_role("link", name=c.title, exact=True).click()
        page.get_by_role("heading", name=c.title, level=1).wait_for()
        if number == 0:
            check(page, axe)
            page.get_by_label("Add a file (optional)").set_input_files(str(policy))
        page.get_by_label("How your organisation meets this criterion").fill(
            f"{c.title}: what we do, who is responsible, and how we know it works.")
        page.get_by_role("button", name="Save and go back to the list").click()
        page.get_by_text(f"{number + 1} of 8 criteria have a statement.").wait_for()
    page.get_by_role("button", name="Submit the application").click()
    page.get_by_text("Application submitted.").wait_for()
    check(page, axe)

    staff = browser.new_context(base_url=live_server).new_page()
    try:
        sign_in(staff, axe, people["staff"].email)
        staff.goto("/staff/organisations/applications")
        check(staff, axe)
        staff.get_by_role("link", name=org.name).click()
        staff.get_by_role("heading", name="The criteria").wait_for()
        check(staff, axe)
        assert staff.get_by_role("link", name="safeguarding-policy.pdf").is_visible()
        for c in criteria.CRITERIA:
            section = staff.locator(f"#criterion-{c.key}")
            section.get_by_label("Met", exact=True).check()
            section.get_by_role("button", name="Save the review").click()
            staff.get_by_text(f"Review saved: {c.title}").wait_for()
        staff.get_by_label("About (optional)").select_option(label="Supervision arrangements "
                                                                   "for advocates")
        staff.get_by_label("Your question").fill("Who supervises the advocate when the "
                                                 "manager is away?")
        staff.get_by_role("button", name="Send the question").click()
        staff.get_by_text("Question sent.").wait_for()
        check(staff, axe)
        assert outbox(app)[-1].recipient == people["admin"].email

        page.goto(f"/organisations/{org.id}/application")
        page.get_by_text("Who supervises the advocate when the manager is away?").wait_for()
        page.get_by_label("Your message").fill("Our deputy manager, Sam Patel, who is trained "
                                               "in advocacy supervision.")
        page.get_by_role("button", name="Send the message").click()
        page.get_by_text("Message sent.").wait_for()
        check(page, axe)
        assert outbox(app)[-1].recipient == people["staff"].email

        staff.reload()
        staff.get_by_text("Our deputy manager, Sam Patel").wait_for()
        staff.get_by_label("Accredited", exact=True).check()
        staff.get_by_label("Reasons").fill("Every criterion is met; supervision cover is clear.")
        staff.get_by_role("button", name="Record the decision").click()
        staff.get_by_text("Decision recorded: accredited.").wait_for()
        check(staff, axe)
    finally:
        staff.context.close()

    page.goto(f"/organisations/{org.id}/application")
    page.get_by_role("heading", name="Decision: Accredited").wait_for()
    check(page, axe)
    assert "Every criterion is met" in outbox(app)[-1].body
