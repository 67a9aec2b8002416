"""In real Chromium: an advocate logs an activity and a plan, keeps a draft by autosave, records
leave, and sees the progress bars and charts; axe is clean and nothing scrolls sideways."""

from datetime import timedelta

import pytest
from pypdf import PdfReader

from lms.cpd.models import CpdProfile
from lms.extensions import db
from tests.browser.test_accounts_in_browser import sign_in
from tests.browser.test_every_page_in_browser import PHONE, WIDEST
from tests.integration.cpd.conftest import TODAY, anniversary, days_ago

pytestmark = pytest.mark.browser


@pytest.fixture
def advocate(app, create_user):
    user = create_user("advocate", name="Amira Haddad")
    with app.app_context():
        db.session.add(CpdProfile(user_id=user.id, accredited_on=anniversary(120)))
        db.session.commit()
    return user


def no_sideways_scroll(page):
    widest = page.evaluate(WIDEST)
    assert widest is None, f"{page.url} scrolls sideways: {widest}"


def fill_entry(page, title, day, hours, activity):
    page.get_by_label("Title").fill(title)
    page.locator("#start").fill(day.isoformat())
    page.get_by_label("Hours").fill(hours)
    page.get_by_label("Type of activity").select_option(label=activity)


def test_an_advocate_logs_an_activity_and_a_plan_and_sees_progress(page, axe, advocate):
    sign_in(page, axe, advocate.email)
    page.get_by_role("link", name="CPD", exact=True).click()
    page.get_by_role("heading", name="Your CPD").wait_for()
    axe.check(page)

    page.get_by_role("link", name="Log an activity").click()
    page.get_by_role("heading", name="Log an activity").wait_for()
    axe.check(page)
    fill_entry(page, "Multi-agency training on the NRM", days_ago(3), "1.1",
               "Multi-agency training")
    page.get_by_label("Participatory: I took part with other people").check()
    page.get_by_label("Safeguarding").check()
    page.get_by_label("What I learned").fill("How referrals are decided.")
    page.get_by_role("button", name="Log this activity").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    axe.check(page)  # the refused form is accessible too, and keeps what was typed
    assert page.get_by_label("What I learned").input_value() == "How referrals are decided."
    page.get_by_label("Hours").fill("3.5")
    page.get_by_role("button", name="Log this activity").click()
    page.get_by_text("Activity logged.").wait_for()

    page.get_by_role("link", name="Plan an activity").click()
    page.get_by_role("heading", name="Plan an activity").wait_for()
    fill_entry(page, "Regional conference", TODAY + timedelta(days=30), "6",
               "Conference or event")
    page.get_by_role("button", name="Save as a plan").click()
    page.get_by_text("Plan saved.").wait_for()

    assert page.get_by_role("heading", name="Plans (1)").is_visible()
    assert page.locator("#progress-total").get_attribute("value") == "210"
    assert page.get_by_text("3.5 hours of 20 hours").first.is_visible()
    assert page.get_by_role("img", name="Hours by month").is_visible()
    assert page.get_by_role("img", name="Hours by type of activity").is_visible()
    assert page.get_by_role("table", name="Hours by type of activity").is_visible()
    axe.check(page)
    # The record downloads as a PDF that holds the activity just logged, and not the plan.
    with page.expect_download() as pdf:
        page.get_by_role("link", name="PDF", exact=True).click()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf.value.path()).pages)
                    .split())
    assert "Multi-agency training on the NRM" in text and "Regional conference" not in text
    with page.expect_download() as sheet:
        page.get_by_role("link", name="CSV (spreadsheet)").click()
    with open(sheet.value.path(), encoding="utf-8") as downloaded:
        rows = downloaded.read()
    assert "Multi-agency training on the NRM" in rows and "Regional conference" not in rows
    page.set_viewport_size(PHONE)
    no_sideways_scroll(page)
    page.get_by_role("link", name="Log an activity").click()
    page.get_by_role("heading", name="Log an activity").wait_for()
    no_sideways_scroll(page)


def test_a_draft_is_saved_as_it_is_typed_and_leave_is_recorded(page, axe, advocate):
    sign_in(page, axe, advocate.email)
    page.goto("/cpd/entries/new")
    page.get_by_label("Title").fill("Webinar on compensation claims")
    page.get_by_label("What I did").fill("An hour's webinar.")
    page.get_by_text("Draft saved automatically at").wait_for(timeout=15_000)
    page.wait_for_url("**/cpd/entries/*")
    assert not page.url.endswith("/new")
    page.get_by_label("What I learned").fill("The routes to compensation.")
    page.wait_for_timeout(3_000)
    page.reload()  # what was typed is on the server: a timed-out session loses nothing
    assert page.get_by_label("Title").input_value() == "Webinar on compensation claims"
    assert page.get_by_label("What I learned").input_value() == "The routes to compensation."
    axe.check(page)

    page.goto("/cpd/leave/new")
    axe.check(page)
    page.get_by_label("Kind of leave").select_option(label="Parental leave")
    page.get_by_label("First day of leave").fill(days_ago(60).isoformat())
    page.get_by_label("Last day of leave").fill(days_ago(30).isoformat())
    page.get_by_role("button", name="Record leave").click()
    page.get_by_text("Leave recorded.").wait_for()
    assert page.get_by_text("reduced for 31 days of leave").is_visible()
    assert page.get_by_role("heading", name="Drafts (1)").is_visible()
    axe.check(page)
    page.set_viewport_size(PHONE)
    no_sideways_scroll(page)
    page.goto("/cpd/leave/new")
    no_sideways_scroll(page)


def test_a_long_year_pages_through_its_activities_by_keyboard_on_a_phone(page, axe, app,
                                                                          advocate):
    from tests.integration.cpd.test_year_page import add_entries

    add_entries(app, advocate, 75)
    page.set_viewport_size(PHONE)
    sign_in(page, axe, advocate.email)
    page.goto("/cpd")
    page.get_by_role("heading", name="Logged activities (75)").wait_for()
    page.get_by_text("activities 1 to 50 of 75").wait_for()
    axe.check(page)
    no_sideways_scroll(page)
    following = page.get_by_role("link", name="Next page")
    following.focus()
    page.keyboard.press("Enter")
    page.get_by_text("Page 2 of 2").wait_for()
    assert page.get_by_text("activities 51 to 75 of 75").is_visible()
    assert page.get_by_role("link", name="Activity 74", exact=True).is_visible()
    assert page.get_by_role("link", name="Activity 0", exact=True).count() == 0
    axe.check(page)
    no_sideways_scroll(page)
