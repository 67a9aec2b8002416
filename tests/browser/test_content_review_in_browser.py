"""Course staff run the review cycle in a real browser: axe on each page, nothing scrolls
sideways on a 375 px phone."""

from datetime import date, timedelta

import pytest

from lms.courses.content import load_programme
from lms.courses.services import sync_programme
from lms.extensions import db
from tests.browser.test_accounts_in_browser import sign_in
from tests.browser.test_every_page_in_browser import sideways_scroll
from tests.coursekit import SMALL, write_programme

pytestmark = pytest.mark.browser
NOTES = ("For staff: (1) Check whether the Crime and Policing Bill has been enacted and "
         "commenced; if so, rewrite the England and Wales block. (2) Confirm the date of the "
         "current Modern Slavery statutory guidance (England and Wales) under section 49.")


@pytest.fixture
def two_versions(app, tmp_path):
    """The small programme; foundations' first lesson is overdue, flags facts, and changes."""
    root = write_programme(tmp_path / "courses")
    lesson = root / "shared_core/foundations/lessons/01-lesson-1.md"
    old = (date.today() - timedelta(days=400)).isoformat()
    lesson.write_text(lesson.read_text().replace("last_reviewed = 2026-11-20",
                                                 f"last_reviewed = {old}")
                      .replace("minutes = 20", f'minutes = 20\nreview_notes = "{NOTES}"'))
    with app.app_context():
        sync_programme(load_programme(root, SMALL))
        db.session.commit()
    long_line = "A long sentence about section 45 of the Modern Slavery Act 2015 " * 6
    lesson.write_text(lesson.read_text().replace("## What this lesson covers",
                                                 f"## What this lesson covers\n\n{long_line}"))
    with app.app_context():
        sync_programme(load_programme(root, SMALL))
        db.session.commit()


def check_phone(page):
    assert sideways_scroll(page) is None, sideways_scroll(page)


def test_staff_review_a_lesson_and_compare_two_versions(page, axe, two_versions, create_user):
    create_user("moderator", email="lead@example.org", name="Lead Reviewer")
    sign_in(page, axe, "lead@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Course content").click()
    page.get_by_role("link", name="Open the content review").click()
    page.get_by_role("heading", name="Content review").wait_for()
    axe.check(page)
    check_phone(page)
    page.get_by_label("Show").select_option("flagged")
    page.get_by_role("button", name="Filter").click()
    page.get_by_text("Showing 1 of 12").wait_for()
    page.get_by_text("2 facts to check").click()  # the facts open without JavaScript too
    assert page.get_by_text("Crime and Policing Bill").is_visible()
    axe.check(page)

    page.get_by_role("link", name="Lesson 1 of T7001").click()
    page.get_by_role("heading", name="Review: Lesson 1 of T7001").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Record the review").click()  # nothing typed
    page.get_by_role("heading", name="There is a problem").wait_for()
    axe.check(page)
    page.get_by_role("link", name="Say what you checked").click()
    assert page.evaluate("document.activeElement.id") == "checked"
    page.get_by_label("What did you check?").fill("The Crime and Policing Bill's progress.")
    page.get_by_label("Text changed").check()
    page.get_by_role("button", name="Record the review").click()
    page.get_by_text("The new text takes effect when the content files are edited").wait_for()
    assert page.get_by_role("cell", name="Lead Reviewer").is_visible()
    axe.check(page)
    check_phone(page)

    page.get_by_role("link", name="T7001").first.click()
    page.get_by_role("link", name="What changed between versions").click()
    page.get_by_role("heading", name="what changed from version 1 to version 2").wait_for()
    assert page.get_by_text("Lessons: 0 added, 0 removed, 1 changed").is_visible()
    axe.check(page)
    check_phone(page)
    page.get_by_label("From version").select_option("2")
    page.get_by_role("button", name="Compare").click()
    page.get_by_text("Choose two different versions to compare.").wait_for()
    axe.check(page)
