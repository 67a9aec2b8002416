"""Course staff set the CPD scheme and run the yearly audit in a real browser: the repeat draw
matches, axe finds nothing, and no page scrolls sideways on a 375 px phone."""

from datetime import date, timedelta

import pytest

from lms.cpd.models import CpdEntry, CpdProfile
from lms.extensions import db
from tests.browser.test_accounts_in_browser import sign_in
from tests.browser.test_every_page_in_browser import sideways_scroll

pytestmark = pytest.mark.browser


def check(page, axe):
    axe.check(page)
    assert sideways_scroll(page) is None, sideways_scroll(page)


@pytest.fixture
def advocates(app, create_user):
    """Three qualified advocates accredited over two years ago, one with a logged entry."""
    people = [create_user("advocate", name=name) for name in
              ("Amara Okafor", "Bríd Ní Mhaoláin", "Callum MacLeod")]
    with app.app_context():
        for person in people:
            db.session.add(CpdProfile(user_id=person.id,
                                      accredited_on=date.today() - timedelta(days=800)))
            db.session.add(CpdEntry(
                user_id=person.id, status="logged", start=date.today() - timedelta(days=200),
                title="Multi-agency training on the National Referral Mechanism and the "
                      "Single Competent Authority's reasonable grounds decisions",
                minutes=195, activity="multi_agency_training", participatory=True,
                topics=["law_and_policy", "multi_agency_working"],
                what_happened="A day with police and the local authority.",
                what_i_learned="How reasonable grounds decisions are reached.",
                how_practice_changes="I explain the next steps to survivors sooner."))
        db.session.commit()
    return people


def test_staff_run_an_audit_and_the_repeat_draw_matches(page, axe, advocates, create_user):
    create_user("moderator", email="lead@example.org", name="Morag Lead")
    sign_in(page, axe, "lead@example.org")

    page.goto("/staff/cpd/scheme")
    page.get_by_role("heading", name="CPD scheme", exact=True).wait_for()
    check(page, axe)
    page.get_by_label("Takes effect on").fill((date.today() - timedelta(days=3)).isoformat())
    page.get_by_label("Hours a year", exact=True).fill("twenty")
    page.get_by_role("button", name="Add this version").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.get_by_label("Hours a year", exact=True).input_value() == "twenty"
    check(page, axe)
    page.get_by_label("Takes effect on").fill((date.today() + timedelta(days=30)).isoformat())
    page.get_by_label("Hours a year", exact=True).fill("24.5")
    page.get_by_label("Why the scheme changes").fill("Programme board decision.")
    page.get_by_role("button", name="Add this version").click()
    page.get_by_text("The new scheme version takes effect on").wait_for()
    assert page.get_by_text("24.5 hours").is_visible()
    check(page, axe)

    page.goto("/staff/cpd/audits")
    page.get_by_role("heading", name="CPD audits").wait_for()
    check(page, axe)
    page.get_by_label("Deadline for profiles").fill(
        (date.today() + timedelta(days=42)).isoformat())
    page.get_by_role("button", name="Run the yearly audit").click()
    page.get_by_text("1 advocate drawn and emailed").wait_for()
    check(page, axe)
    page.get_by_role("button", name="Repeat the draw").click()
    page.get_by_text("The repeat draw matches:").wait_for()
    assert page.get_by_text("the same 1 advocate as the audit holds").is_visible()
    check(page, axe)

    case_link = page.get_by_role("region", name="Advocates drawn").get_by_role("link")
    drawn = next(p for p in advocates if p.name == case_link.inner_text())
    case_url = case_link.get_attribute("href")

    # The advocate drawn reads their notice and submits their profile.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, axe, drawn.email)
    page.goto("/cpd/audit")
    page.get_by_role("heading", name=f"CPD audit {date.today().year}").wait_for()
    check(page, axe)
    page.get_by_role("button", name="Submit my profile").click()
    page.get_by_text("Your CPD profile is submitted.").wait_for()
    assert page.get_by_text("being assessed").is_visible()
    check(page, axe)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, axe, "lead@example.org")

    page.goto(case_url)
    page.get_by_role("heading", name="CPD for the audited year").wait_for()
    assert page.get_by_text("3.25 hours ·").is_visible()
    check(page, axe)
    page.get_by_role("button", name="Record the assessment").click()  # nothing chosen
    page.get_by_role("heading", name="There is a problem").wait_for()
    check(page, axe)
    page.get_by_label("Not met").check()
    page.get_by_label("Your assessment").fill("No supervision and one reflection missing.")
    page.get_by_role("button", name="Record the assessment").click()
    page.get_by_text("a different member of staff must make the second").wait_for()
    check(page, axe)
