"""The external examiner opens a script in the sample and writes a report, in a real browser."""

import pytest
from sqlalchemy import select

from lms.assessments.models import Assessment
from lms.cohorts.models import Enrolment
from lms.courses.content import load_programme
from lms.courses.models import Module
from lms.courses.services import sync_programme
from lms.extensions import db
from tests.browser.test_accounts_in_browser import sign_in
from tests.clock import noon_in
from tests.coursekit import SMALL, write_programme

pytestmark = pytest.mark.browser
JUSTIFICATION = "Independence first: Ana decides what happens next."


@pytest.fixture
def sampled(app, tmp_path, create_user, create_cohort):
    """One piece of work marked by two markers and agreed: the whole sample."""
    from lms.assessments.marking import agree, allocate, save_mark
    from lms.assessments.services import decide, save_answer, submission_for, submit, utc_now
    from lms.auth.models import User

    cohort = create_cohort()
    trainee = create_user("trainee", name="Tamsin Reade")
    alpha = create_user("marker", name="Dr Alpha Marker")
    beta = create_user("marker", name="Dr Beta Marker")
    lead = create_user("moderator", name="Programme Lead")
    create_user("examiner", email="examiner@example.org", name="Professor Eilidh Munro")
    with app.test_request_context():
        sync_programme(load_programme(write_programme(tmp_path / "courses"), SMALL))
        module = db.session.scalar(select(Module).where(Module.slug == "foundations"))
        assessment = Assessment(cohort_id=cohort.id, module_id=module.id,
                                version_id=module.current_version_id, component_id="scenario",
                                title="First meeting scenario", kind="scenario",
                                scenario_slug="first-meeting", deadline=noon_in(30))
        db.session.add_all([assessment, Enrolment(
            cohort_id=cohort.id, user_id=trainee.id, specialism="modern_slavery",
            jurisdiction="england_wales")])
        db.session.flush()
        data = assessment.scenario
        work = submission_for(assessment, db.session.get(User, trainee.id), create=True)
        decide(work, data, "meet", "a", JUSTIFICATION)
        save_answer(work, data, "plan", "## Plan\n\nMeet weekly and go together.", True)
        submit(work, data, now=utc_now())
        people = {p.id: db.session.get(User, p.id) for p in (alpha, beta, lead)}
        for marker, role, value, words in ((alpha, "first", 64, "Alpha: clear on independence."),
                                           (beta, "second", 66, "Beta: say more on the NRM.")):
            allocate(work, marker.id, role, actor=people[lead.id])
            save_mark(work, people[marker.id], role, {"C1": value}, {"C1": words},
                      f"{words} Overall.", complete=True)
        agree(work, people[lead.id], 79, "Markers agreed after discussion", now=utc_now())
        db.session.commit()
        return work.candidate_number


def test_the_examiner_reads_a_sample_script_and_writes_a_report(page, axe, sampled):
    sign_in(page, axe, "examiner@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Moderation").click()
    page.get_by_role("link", name="First meeting scenario: moderation sample").click()
    page.get_by_role("heading", name="Moderation sample: First meeting scenario").wait_for()
    axe.check(page)

    page.get_by_role("link", name=f"Read the work of {sampled}").click()
    page.get_by_role("heading", name=f"First meeting scenario: {sampled}").wait_for()
    axe.check(page)
    assert page.get_by_text(JUSTIFICATION).is_visible()
    assert page.get_by_role("columnheader", name="Second marker: Dr Beta Marker").is_visible()
    assert page.get_by_text("Beta: say more on the NRM.", exact=True).is_visible()
    assert page.get_by_text("Tamsin").count() == 0  # anonymous marking
    fits_a_phone(page)

    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Moderation sample").click()
    page.get_by_role("button", name="Submit the report").click()
    page.get_by_role("alert").get_by_text("Write your report before you submit it.").wait_for()
    axe.check(page)  # the error state too
    page.get_by_label("Your report").fill("## Overview\n\nMarking was consistent and fair.")
    page.get_by_role("button", name="Submit the report").click()
    page.get_by_text("Your report is submitted (version 1)").wait_for()
    assert page.get_by_text("Marking was consistent and fair.").first.is_visible()
    axe.check(page)
    fits_a_phone(page)


def fits_a_phone(page):
    """At 375 px wide the page does not scroll sideways (wide tables scroll in their box)."""
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 800})
