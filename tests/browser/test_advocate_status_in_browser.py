"""In real Chromium: an advocate reads her accreditation status with its reasons, asks for her
entry to be withheld (the refusal and the success are accessible), and course staff read and
decide on the same advocate; axe is clean and nothing scrolls sideways on a 375 px phone."""

import pytest

from tests.browser.test_accounts_in_browser import sign_in
from tests.browser.test_cpd_advocate_in_browser import no_sideways_scroll
from tests.integration.accreditation.advocate_kit import (
    accredited_employer,
    award,
    days,
    decide,
    employ,
)

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def advocate(app, create_user, create_organisation):
    """Amira: accredited, with conditions due in 60 days."""
    user = create_user("advocate", name="Amira Haddad")
    employ(app, user, accredited_employer(app, create_organisation))
    award(app, user)
    decide(app, user, "accredit", on=days(-150), reason="References received.")
    decide(app, user, "conditions", on=days(-3), reason="Supervision lapsed in the summer.",
           conditions="Arrange monthly pastoral supervision and send the dates.",
           due_on=days(60))
    return user


def test_an_advocate_reads_her_status_and_its_reasons(page, axe, advocate, create_user):
    create_user("moderator", name="Priya Lead")
    sign_in(page, axe, advocate.email)
    page.get_by_role("heading", name="Welcome, Amira Haddad").wait_for()
    page.get_by_role("navigation").get_by_role("link", name="Accreditation").first.click()
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Accredited with conditions"
    reasons = page.locator("#status-reasons li").all_inner_texts()
    assert any("Employed by Northbridge Survivor Support" in r for r in reasons)
    assert any(r.startswith("Conditions set on") for r in reasons)
    assert "Meet the conditions and tell course staff." in page.locator("#next-steps").inner_text()
    assert "IMSA-7K3Q-9XFD" in page.locator("#check-heading + p").inner_text()
    assert page.locator("#status-history tbody tr").count() >= 2
    axe.check(page)
    page.set_viewport_size(PHONE)
    no_sideways_scroll(page)

    page.get_by_role("button", name="Ask for my entry to be withheld").click()
    page.get_by_role("alert").wait_for()
    assert "Say why you are asking" in page.get_by_role("alert").inner_text()
    axe.check(page)
    no_sideways_scroll(page)
    page.get_by_label("Why you are asking").fill("Someone is trying to find my office.")
    page.get_by_role("button", name="Ask for my entry to be withheld").click()
    page.locator("#withhold-pending").wait_for()
    axe.check(page)
    no_sideways_scroll(page)


def test_staff_read_the_register_and_an_advocate_and_decide(page, axe, advocate, create_user):
    lead = create_user("moderator", name="Priya Lead")
    sign_in(page, axe, lead.email)
    page.get_by_role("heading", name="Welcome, Priya Lead").wait_for()
    page.get_by_role("navigation").get_by_role("link", name="Advocates").first.click()
    page.get_by_role("link", name="Amira Haddad").click()
    page.get_by_role("heading", name="Amira Haddad: Accredited with conditions").wait_for()
    axe.check(page)
    page.set_viewport_size(PHONE)
    no_sideways_scroll(page)
    suspend = page.locator("details#suspend")
    assert suspend.get_attribute("open") is None  # closed until staff choose it
    suspend.locator("summary").click()
    suspend.get_by_role("button", name="Suspend").click()
    page.get_by_role("alert").first.wait_for()
    assert page.locator("details#suspend").get_attribute("open") is not None
    axe.check(page)
    no_sideways_scroll(page)
    suspend = page.locator("details#suspend")
    suspend.get_by_label("Reason").fill("A complaint is being looked into.")
    suspend.get_by_role("button", name="Suspend").click()
    page.get_by_role("heading", name="Amira Haddad: Accreditation suspended").wait_for()
    axe.check(page)
    page.get_by_role("link", name="Advocates and trainees").click()
    axe.check(page)
    no_sideways_scroll(page)
