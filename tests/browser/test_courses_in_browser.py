import pytest

from lms.courses.content import load_programme
from lms.courses.services import sync_programme
from lms.extensions import db
from tests.browser.test_accounts_in_browser import sign_in
from tests.coursekit import SMALL, write_programme

pytestmark = pytest.mark.browser


@pytest.fixture
def courses(app, tmp_path):
    with app.app_context():
        sync_programme(load_programme(write_programme(tmp_path / "courses"), SMALL))
        db.session.commit()


@pytest.fixture
def trainee(app, create_user, create_cohort):
    from lms.cohorts.models import Enrolment

    cohort = create_cohort()
    user = create_user("trainee", name="Tamsin Reade")
    with app.app_context():
        db.session.add(Enrolment(cohort_id=cohort.id, user_id=user.id,
                                 specialism="modern_slavery", jurisdiction="scotland"))
        db.session.commit()
    return user


def test_trainee_follows_programme_lesson_content_note_and_knowledge_check(page, axe, courses,
                                                                          trainee):
    sign_in(page, axe, trainee.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Your programme").click()
    page.get_by_role("heading", name="Your programme").wait_for()
    axe.check(page)
    page.get_by_role("link", name="Start Module T7001").click()
    page.get_by_role("heading", name="Lesson 1 of T7001").wait_for()
    axe.check(page)
    scotland = page.locator('details[data-jurisdiction="scotland"]')
    assert scotland.get_attribute("open") is not None
    england = page.locator('details[data-jurisdiction="england_wales"]')
    assert england.get_attribute("open") is None
    england.locator("summary").click()  # the other nations' law on request
    assert england.get_attribute("open") is not None
    page.get_by_role("button", name="Mark as done and continue").click()

    # Lesson 2 carries a content note: it comes first, with three choices.
    page.get_by_role("heading", name="Before you start: Lesson 2 of T7001").wait_for()
    axe.check(page)
    assert page.get_by_role("link", name="Find support").is_visible()
    assert page.get_by_role("link", name="Come back later").is_visible()
    page.get_by_role("button", name="Continue to the lesson").click()
    page.get_by_role("heading", name="Lesson 2 of T7001").wait_for()
    axe.check(page)

    page.get_by_role("link", name="Take the knowledge check").click()
    axe.check(page)
    page.get_by_label("The first responder").check()
    page.get_by_role("button", name="Check my answers").click()
    page.get_by_text("You answered 0 of 1 correctly").wait_for()
    assert page.get_by_text("Yes: the SCA decides.").is_visible()
    axe.check(page)
    page.get_by_role("link", name="Retake the check").click()
    page.get_by_label("The Single Competent Authority").check()
    page.get_by_role("button", name="Check my answers").click()
    page.get_by_text("You answered 1 of 1 correctly").wait_for()

    page.goto("/programme")
    page.get_by_text("1 of 2 lessons done").first.wait_for()
    page.get_by_role("searchbox", name="Search your lessons").fill("statutory defence")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("lessons found").wait_for()
    axe.check(page)
    page.goto("/support")
    axe.check(page)


def test_staff_member_reads_the_content_report(page, axe, visit, courses, create_user,
                                               create_cohort):
    cohort = create_cohort()
    create_user("moderator", email="lead@example.org")
    sign_in(page, axe, "lead@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Course content").click()
    page.get_by_role("table", name="Content report").wait_for()
    axe.check(page)
    page.get_by_role("link", name="T7010 Module T7010").click()
    axe.check(page)
    page.get_by_label("Cohort").select_option(str(cohort.id))
    page.get_by_role("button", name="Show progress").click()
    page.get_by_role("heading", name=f"{cohort.name}: progress through Module T7010").wait_for()
    axe.check(page)
    visit("/modules/modern-slavery")
    visit("/modules/modern-slavery/lesson-2")  # staff see the content note inline
    visit("/programme")
