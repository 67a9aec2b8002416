
import pytest
from sqlalchemy import select

from lms.assessments.models import Assessment
from lms.cohorts.models import Enrolment
from lms.courses.content import load_programme
from lms.courses.models import Module
from lms.courses.services import sync_programme
from lms.extensions import db
from tests.browser.test_accounts_in_browser import sign_in
from tests.clock import as_shown, noon_in
from tests.coursekit import SMALL, write_programme

pytestmark = pytest.mark.browser
DEADLINE = noon_in(60)


@pytest.fixture
def assessment(app, tmp_path, create_user, create_cohort):
    cohort = create_cohort()
    with app.app_context():
        sync_programme(load_programme(write_programme(tmp_path / "courses"), SMALL))
        module = db.session.scalar(select(Module).where(Module.slug == "foundations"))
        made = Assessment(cohort_id=cohort.id, module_id=module.id,
                          version_id=module.current_version_id, component_id="scenario",
                          title="First meeting scenario", kind="scenario",
                          scenario_slug="first-meeting",
                          deadline=DEADLINE)
        db.session.add(made)
        db.session.commit()
        trainee_assessment_id = made.id
    trainee = create_user("trainee", email="tamsin@example.org")
    with app.app_context():
        db.session.add(Enrolment(cohort_id=cohort.id, user_id=trainee.id,
                                 specialism="modern_slavery", jurisdiction="england_wales"))
        db.session.commit()
    trainee.assessment_id = trainee_assessment_id  # ids differ by database: never assume 1
    return trainee


def test_trainee_takes_a_branching_scenario_and_submits(page, axe, assessment):
    sign_in(page, axe, "tamsin@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Assessments").click()
    axe.check(page)
    page.get_by_role("link", name="First meeting scenario").click()
    page.get_by_text(as_shown(DEADLINE)).wait_for()
    axe.check(page)
    page.get_by_role("button", name="Start the scenario").click()
    page.get_by_role("heading", name="Meeting").wait_for()
    axe.check(page)
    page.get_by_label("Explain your independence").check()
    page.get_by_role("button", name="Confirm decision").click()
    page.get_by_role("heading", name="Plan").wait_for()
    axe.check(page)
    page.get_by_label("Write a support plan.").fill("## Plan\n\n- Meet weekly\n- Go together")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_text("You have reached the end of the scenario").wait_for()
    axe.check(page)
    page.get_by_role("link", name="Check your work and submit").click()
    axe.check(page)
    page.get_by_role("button", name="Submit my work").click()
    page.get_by_text("Confirm the declaration to submit.").first.wait_for()
    axe.check(page)
    page.get_by_label("I confirm this work is my own").check()
    page.get_by_role("button", name="Submit my work").click()
    page.get_by_role("heading", name="Your work has been submitted").wait_for()
    axe.check(page)
    page.goto(page.url.replace("/receipt", "/receipt"))
    page.get_by_role("link", name="Back to your assessments").click()
    page.get_by_text("Submitted").first.wait_for()
    axe.check(page)
    page.get_by_role("link", name="First meeting scenario").click()
    page.get_by_role("link", name="Ask for an extension").click()
    axe.check(page)


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You have signed out.").wait_for()


def test_the_whole_cycle_marker_moderator_release_feedback(page, axe, assessment, create_user):
    create_user("marker", email="marker@example.org", name="Morgan Marker")
    create_user("moderator", "marker", email="lead@example.org", name="Rhiannon Pryce")
    aid = assessment.assessment_id
    sign_in(page, axe, "tamsin@example.org")
    page.goto(f"/assessments/{aid}")
    page.get_by_role("button", name="Start the scenario").click()
    page.get_by_label("Explain your independence").check()
    page.get_by_role("button", name="Confirm decision").click()
    page.get_by_label("Write a support plan.").fill("Weekly meetings, going together.")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Check your work and submit").click()
    page.get_by_label("I confirm this work is my own").check()
    page.get_by_role("button", name="Submit my work").click()
    page.get_by_role("heading", name="Your work has been submitted").wait_for()
    sign_out(page)

    sign_in(page, axe, "lead@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Assessments").click()
    axe.check(page)
    page.get_by_role("link", name="First meeting scenario").click()
    axe.check(page)
    page.get_by_label("Morgan Marker").check()
    page.get_by_role("button", name="Allocate").click()
    page.get_by_text("1 piece of work allocated").wait_for()
    axe.check(page)
    sign_out(page)

    sign_in(page, axe, "marker@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Marking").click()
    axe.check(page)
    assert page.get_by_text("Tamsin").count() == 0  # anonymous
    page.get_by_role("table").get_by_role("link").first.click()
    page.get_by_role("table", name="Decisions: the path taken beside the recommended path")\
        .wait_for()
    axe.check(page)
    page.get_by_label("Mark (0 to 100)").fill("64")
    page.get_by_label("Feedback on this criterion").fill("Independence explained clearly.")
    page.get_by_label("Overall feedback").fill("A careful, person-led first meeting.")
    page.get_by_role("button", name="Mark as complete").click()
    page.get_by_text("Marking complete.").wait_for()
    axe.check(page)
    sign_out(page)

    sign_in(page, axe, "lead@example.org")
    page.goto(f"/moderation/{aid}")
    page.get_by_label("Rhiannon Pryce").check()
    page.get_by_label("Second marking of the sample").check()
    page.get_by_role("button", name="Allocate").click()
    page.get_by_text("1 piece of work allocated").wait_for()
    page.goto("/marking")
    page.get_by_role("table").get_by_role("link").first.click()
    page.get_by_label("Mark (0 to 100)").fill("66")
    page.get_by_label("Feedback on this criterion").fill("Agree: clear on independence.")
    page.get_by_label("Overall feedback").fill("Second marker agrees.")
    page.get_by_role("button", name="Mark as complete").click()
    page.get_by_text("Marking complete.").wait_for()
    page.goto(f"/moderation/{aid}")
    axe.check(page)
    page.get_by_role("button", name="Agree mark for").click()
    page.get_by_text("Mark agreed for").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Approve moderated marks for release").click()
    page.get_by_role("button", name="Release marks to the cohort").click()
    page.get_by_text("Released 1 mark;").wait_for()
    axe.check(page)
    page.get_by_role("link", name="Moderation sample").click()
    axe.check(page)
    page.goto(f"/moderation/{aid}/extensions")
    axe.check(page)
    sign_out(page)

    aid = assessment.assessment_id
    sign_in(page, axe, "tamsin@example.org")
    page.goto(f"/assessments/{aid}")
    page.get_by_role("heading", name="Your mark and feedback").wait_for()
    assert page.get_by_text("Mark: 79").is_visible()
    assert page.get_by_text("A careful, person-led first meeting.").is_visible()
    assert page.get_by_role("table", name="Decisions: the path taken beside the recommended "
                                          "path").is_visible()
    axe.check(page)


def test_a_file_that_cannot_be_anonymised_is_explained_accessibly(app, page, axe, visit,
                                                                  assessment, create_user):
    """A stored file whose metadata cannot be removed is withheld with a page that says why."""
    from datetime import UTC, datetime

    from lms.assessments.models import Attachment, Submission

    with app.app_context():
        work = Submission(assessment_id=assessment.assessment_id, user_id=assessment.id,
                          path=[], answers={}, candidate_number="C0000042", state="submitted",
                          submitted_at=datetime.now(UTC), reference="R", content_hash="0" * 64)
        db.session.add(work)
        db.session.flush()
        damaged = Attachment(owner_id=assessment.id, submission_id=work.id, filename="old.pdf",
                             content_type="application/pdf", size=9, sha256="0" * 64,
                             data=b"%PDF-1.4\n")
        db.session.add(damaged)
        db.session.commit()
        damaged_id = damaged.id
    create_user("moderator", email="lead@example.org")
    sign_in(page, axe, "lead@example.org")
    visit(f"/attachments/{damaged_id}", status=409)
    page.get_by_role("heading", name="This file cannot be shown for anonymous marking").wait_for()
