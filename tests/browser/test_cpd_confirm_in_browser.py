"""A confirmer opens the emailed link in Chromium, confirms, and the link then no longer works;
the host organisation's CPD page too. Axe on each page, nothing scrolls sideways at 375 px."""

import re
from datetime import date, timedelta

import pytest

from lms.extensions import db
from tests.browser.test_accounts_in_browser import sign_in
from tests.browser.test_every_page_in_browser import sideways_scroll
from tests.conftest import outbox

pytestmark = pytest.mark.browser
LINK_RE = re.compile(r"(http://127\.0\.0\.1:\d+/cpd/confirm/[A-Za-z0-9_-]+)")
TODAY = date.today()


def check_phone(page):
    assert sideways_scroll(page) is None, sideways_scroll(page)


@pytest.fixture
def advocate_with_entry(app, create_user, create_organisation):
    from lms.cpd.models import CpdEntry, CpdProfile
    from lms.organisations.models import Employment

    org = create_organisation("Northbridge Survivor Support")
    advocate = create_user("advocate", email="ada@example.org", name="Ada Advocate")
    org_admin = create_user("org_admin", email="manager@northbridge.example.org",
                            name="Morgan Manager")
    with app.app_context():
        entry = CpdEntry(user_id=advocate.id, status="logged",
                         title="Multi-agency safeguarding workshop with a very long title "
                               "that has to wrap on a narrow phone screen",
                         start=TODAY - timedelta(days=12), end=TODAY - timedelta(days=11),
                         minutes=6 * 60 + 30, activity="multi_agency_training",
                         participatory=True, topics=["safeguarding", "multi_agency_working"],
                         what_happened="Private notes", what_i_learned="Private",
                         how_practice_changes="Private")
        db.session.add_all([
            entry, CpdProfile(user_id=advocate.id, accredited_on=TODAY - timedelta(days=300)),
            Employment(user_id=advocate.id, organisation_id=org.id, job_title="IMSA",
                       start_date=TODAY - timedelta(days=400)),
            Employment(user_id=org_admin.id, organisation_id=org.id,
                       start_date=TODAY - timedelta(days=400))])
        db.session.commit()
        return {"entry_id": entry.id, "org_id": org.id}


def test_a_confirmer_confirms_through_the_emailed_link_once(app, page, browser, live_server,
                                                            axe, advocate_with_entry):
    sign_in(page, axe, "ada@example.org")
    page.goto(f"/cpd/entries/{advocate_with_entry['entry_id']}/confirmation")
    page.get_by_role("heading", name="Ask someone to confirm this activity").wait_for()
    axe.check(page)
    check_phone(page)
    page.get_by_label("Confirmer's full name").fill("Sam Jones")
    page.get_by_role("button", name="Send the request").click()  # the rest left empty
    page.get_by_role("heading", name="There is a problem").wait_for()
    axe.check(page)
    assert page.get_by_label("Confirmer's full name").input_value() == "Sam Jones"
    page.get_by_label("Their job title or role").fill("Service manager")
    page.get_by_label("Their organisation").fill("Northbridge Survivor Support")
    page.get_by_label("Their work email address").fill("sam.jones@northbridge.example.org")
    page.get_by_role("button", name="Send the request").click()
    page.get_by_text("We have emailed Sam Jones a link").wait_for()
    assert page.get_by_text("Waiting for an answer").is_visible()
    axe.check(page)
    check_phone(page)

    link = LINK_RE.search(outbox(app)[-1].body).group(1)
    confirmer = browser.new_context(base_url=live_server).new_page()  # no account, no session
    try:
        assert confirmer.goto(link).status == 200
        confirmer.get_by_role("heading", name="Confirm a CPD activity").wait_for()
        assert confirmer.get_by_text("6.5 hours").is_visible()
        assert confirmer.get_by_text("Private notes").count() == 0
        axe.check(confirmer)
        check_phone(confirmer)
        confirmer.get_by_label("Confirm: it took place as described").check()
        confirmer.get_by_label("Your job title or role").fill("Head of services")
        confirmer.get_by_role("button", name="Send my answer").click()
        confirmer.get_by_role("heading", name="Activity confirmed").wait_for()
        axe.check(confirmer)
        check_phone(confirmer)
        again = confirmer.goto(link)
        assert again.status == 410
        assert confirmer.get_by_role("heading", name="This link no longer works").is_visible()
        assert confirmer.get_by_role("button", name="Send my answer").count() == 0
        axe.check(confirmer)
    finally:
        confirmer.context.close()

    page.reload()
    assert page.get_by_text("Confirmed by Sam Jones (Head of services").is_visible()


def test_the_host_organisation_sees_its_advocates_totals(app, page, axe, advocate_with_entry):
    sign_in(page, axe, "manager@northbridge.example.org")
    page.goto(f"/organisations/{advocate_with_entry['org_id']}/cpd")
    page.get_by_role("heading", name="This year's totals").wait_for()
    assert page.get_by_role("row", name=re.compile("Ada Advocate")).is_visible()
    assert page.get_by_text("6.5 hours of 20 hours").is_visible()
    assert page.get_by_text("Private notes").count() == 0
    axe.check(page)
    check_phone(page)
