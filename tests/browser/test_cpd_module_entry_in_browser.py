"""In real Chromium: a trainee finishes a module's last lesson and finds it in their CPD, with
its dates and hours from the platform; axe is clean and nothing scrolls sideways on a phone."""

import pytest

from tests.browser.test_accounts_in_browser import sign_in
from tests.browser.test_courses_in_browser import courses, trainee  # noqa: F401 (fixtures)
from tests.browser.test_cpd_advocate_in_browser import no_sideways_scroll
from tests.browser.test_every_page_in_browser import PHONE

pytestmark = pytest.mark.browser


def test_a_completed_module_appears_in_cpd_from_the_platform(page, axe, courses,  # noqa: F811
                                                             trainee):  # noqa: F811
    sign_in(page, axe, trainee.email)
    page.get_by_role("link", name="CPD", exact=True).wait_for()  # signed in
    page.goto("/modules/foundations/lesson-1")
    page.get_by_role("button", name="Mark as done and continue").click()
    page.get_by_role("button", name="Continue to the lesson").click()  # lesson 2's content note
    page.get_by_role("heading", name="Lesson 2 of T7001").wait_for()
    page.get_by_role("button", name="Mark as done", exact=True).click()
    page.get_by_text("It is in your CPD as 0.75 hours of self-directed study.").wait_for()
    axe.check(page)

    page.get_by_role("link", name="CPD", exact=True).click()
    page.get_by_text("From a module on this platform.").wait_for()
    page.get_by_role("link", name="Completed the module: Module T7001").click()
    page.get_by_role("heading", name="Dates and hours: from the platform").wait_for()
    assert page.locator("#hours").count() == 0 and page.locator("#start").count() == 0
    axe.check(page)
    page.set_viewport_size(PHONE)
    no_sideways_scroll(page)
    page.get_by_label("What I learned").fill("How the NRM decides.")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Activity logged.").wait_for()
    axe.check(page)
