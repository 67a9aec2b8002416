"""In real Chromium: the home page's CPD reminder is accessible and fits a 375 px phone."""

import pytest

from lms.cpd.models import CpdProfile
from lms.extensions import db
from tests.browser.test_accounts_in_browser import sign_in
from tests.browser.test_cpd_advocate_in_browser import no_sideways_scroll
from tests.integration.cpd.test_reminders import accredited_for_year_ending_in

pytestmark = pytest.mark.browser


def test_the_home_page_reminds_an_advocate_whose_year_ends_soon(page, axe, app, create_user):
    user = create_user("advocate", name="Amira Haddad")
    with app.app_context():
        db.session.add(CpdProfile(user_id=user.id, accredited_on=accredited_for_year_ending_in(30)))
        db.session.commit()
    sign_in(page, axe, user.email)
    page.get_by_role("link", name="Sign out").or_(
        page.get_by_role("button", name="Sign out")).first.wait_for()
    page.goto("/")
    page.get_by_role("heading", name="Welcome, Amira Haddad").wait_for()
    notice = page.locator("#cpd-reminder")
    assert "Your CPD year ends in 30 days" in notice.inner_text()
    assert "Supervision: 0 of 6 hours" in notice.inner_text()
    axe.check(page)
    page.set_viewport_size({"width": 375, "height": 800})
    no_sideways_scroll(page)
    axe.check(page)
