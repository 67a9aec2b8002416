"""The marking form in real Chromium: every typed word survives bad input and a second tab,
the work sits beside the rubric on a wide screen and stacks on a phone, charts pass axe."""

import pytest
from sqlalchemy import select

from lms.assessments.models import Assessment, Submission
from lms.cohorts.models import Enrolment
from lms.courses.content import load_programme
from lms.courses.models import Module
from lms.courses.services import sync_programme
from lms.extensions import db
from tests.browser.test_accounts_in_browser import sign_in
from tests.clock import noon_in
from tests.conftest import sign_in as sign_in_client
from tests.coursekit import SMALL, write_programme
from tests.integration.assessments.test_marking_form import CRITERIA, four_criteria
from tests.integration.assessments.test_taking import play_to_the_end, post

pytestmark = pytest.mark.browser
TYPED = {
    "mark-C1": "64", "mark-C2": "101", "mark-C3": "58", "mark-C4": "70",
    "feedback-C1": "Explains independence from the police and the support provider clearly.",
    "feedback-C2": "Weighs the risk of going home against Ana's own wishes; cites the guidance.",
    "feedback-C3": "The plan follows what Ana asked for, in her words, with dates.",
    "feedback-C4": "Names the NRM, legal aid and the CICA route; misses the time limit.",
    "overall": "A careful, person-led piece of work.\n\nSecond paragraph: keep this too.",
}


@pytest.fixture
def work(app, tmp_path, create_user, create_cohort):
    """Submitted work on a four-criterion rubric, allocated to marker@example.org."""
    cohort = create_cohort()
    with app.app_context():
        sync_programme(load_programme(write_programme(tmp_path / "courses"), SMALL))
        module = db.session.scalar(select(Module).where(Module.slug == "foundations"))
        assessment = Assessment(cohort_id=cohort.id, module_id=module.id,
                                version_id=module.current_version_id, component_id="scenario",
                                title="First meeting scenario", kind="scenario",
                                scenario_slug="first-meeting", deadline=noon_in(60))
        db.session.add(assessment)
        db.session.commit()
        aid = assessment.id
    four_criteria(app, aid)
    trainee = create_user("trainee", name="Tamsin Reade")
    with app.app_context():
        db.session.add(Enrolment(cohort_id=cohort.id, user_id=trainee.id,
                                 specialism="modern_slavery", jurisdiction="england_wales"))
        db.session.commit()
    client = app.test_client()
    sign_in_client(client, trainee)
    play_to_the_end(client, aid)
    post(client, f"/assessments/{aid}/submit", {"declaration": "y"})
    marker = create_user("marker", email="marker@example.org", name="Morgan Marker")
    moderator = create_user("moderator", email="lead@example.org", name="Rhiannon Pryce")
    lead = app.test_client()
    sign_in_client(lead, moderator)
    post(lead, f"/moderation/{aid}/allocate", {"markers": [marker.id], "role": "first"})
    with app.app_context():
        work_id = db.session.scalar(select(Submission.id).where(
            Submission.user_id == trainee.id))
    return {"url": f"/marking/{work_id}/first", "aid": aid}


def type_everything(page, typed):
    for name, value in typed.items():
        page.locator(f"#{name}").fill(value)


def assert_everything_kept(page, typed):
    assert {name: page.locator(f"#{name}").input_value() for name in typed} == typed


def test_a_mark_out_of_range_keeps_every_word_and_says_where(page, axe, work):
    sign_in(page, axe, "marker@example.org")
    page.goto(work["url"])
    axe.check(page)
    type_everything(page, TYPED)
    page.get_by_role("button", name="Mark as complete").click()
    summary = page.get_by_role("alert")
    summary.get_by_text("There is a problem").wait_for()
    message = "The mark for Weighing risk must be a whole number from 0 to 100."
    assert summary.get_by_role("link", name=message).get_attribute("href") == "#mark-C2"
    assert_everything_kept(page, TYPED)  # every mark, every word, the line breaks too
    field = page.locator("#mark-C2")
    assert field.get_attribute("aria-invalid") == "true"
    assert " ".join(page.locator("#mark-C2-error").text_content().split()) == (
        "Error: " + message)
    assert "Error: " + message in field.evaluate(  # read out with the field
        "el => el.getAttribute('aria-describedby').split(' ')"
        ".map(id => document.getElementById(id).textContent.trim()).join(' ')")
    axe.check(page)

    page.locator("#mark-C2").fill("62")
    page.get_by_role("button", name="Mark as complete").click()
    page.get_by_text("Marking complete.").wait_for()
    assert page.get_by_text("You have marked this as complete").is_visible()
    assert page.locator("#feedback-C4").input_value() == TYPED["feedback-C4"]
    axe.check(page)


def test_a_second_tab_is_shown_both_versions_and_overwrites_nothing(page, axe, work):
    sign_in(page, axe, "marker@example.org")
    page.goto(work["url"])
    other_tab = page.context.new_page()
    other_tab.goto(work["url"])
    type_everything(page, {**TYPED, "mark-C2": "62"})
    page.get_by_role("button", name="Save provisional marks").click()
    page.get_by_text("Marking saved.").wait_for()

    theirs = {**TYPED, "mark-C2": "55", "feedback-C1": "Second thoughts from the other tab."}
    type_everything(other_tab, theirs)
    other_tab.get_by_role("button", name="Save provisional marks").click()
    conflict = other_tab.locator("#conflict")
    conflict.get_by_text("nothing has been overwritten").wait_for()
    assert_everything_kept(other_tab, theirs)
    table = conflict.get_by_role("table", name="The saved marks beside yours")
    row = table.get_by_role("row", name="Independence: feedback")
    assert TYPED["feedback-C1"] in row.inner_text()
    assert theirs["feedback-C1"] in row.inner_text()
    axe.check(other_tab)
    page.reload()
    assert page.locator("#feedback-C1").input_value() == TYPED["feedback-C1"]  # kept
    other_tab.close()


def boxes(page):
    return (page.locator(".marking-work").bounding_box(),
            page.locator(".marking-rubric").bounding_box())


def test_the_answer_sits_beside_the_rubric_on_a_wide_screen_and_stacks_on_a_phone(page, axe,
                                                                                  work):
    sign_in(page, axe, "marker@example.org")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(work["url"])
    work_box, rubric_box = boxes(page)
    assert rubric_box["x"] >= work_box["x"] + work_box["width"]  # side by side
    assert abs(rubric_box["y"] - work_box["y"]) < 5
    assert page.get_by_role("heading", name="Written answers").is_visible()
    assert page.get_by_role("group", name=CRITERIA[0][1]).is_visible()  # both in view at once
    axe.check(page)

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(work["url"])
    work_box, rubric_box = boxes(page)
    assert rubric_box["y"] >= work_box["y"] + work_box["height"]  # stacked
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    type_everything(page, TYPED)
    page.get_by_role("button", name="Save provisional marks").click()
    page.get_by_role("alert").wait_for()
    assert_everything_kept(page, TYPED)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe.check(page)


def test_moderators_chart_shrinks_to_a_phone_and_passes_axe(page, axe, work):
    sign_in(page, axe, "marker@example.org")
    page.goto(work["url"])
    type_everything(page, {**TYPED, "mark-C2": "62"})
    page.get_by_role("button", name="Mark as complete").click()
    page.get_by_text("Marking complete.").wait_for()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, axe, "lead@example.org")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/moderation/{work['aid']}")
    chart = page.get_by_role("img", name="Marks given by Morgan Marker")
    chart.wait_for()
    assert chart.bounding_box()["width"] <= 375 - 32
    assert "1 mark; mean" in page.locator("figcaption").first.inner_text()
    assert page.get_by_role("table", name="Morgan Marker: marks in bands of ten").is_visible()
    axe.check(page)
