"""In real Chromium: Back, a second tab and a very long answer never lose or misplace words."""

import copy

import pytest
from sqlalchemy import select

from lms.assessments.models import Assessment, Submission
from lms.extensions import db
from tests.browser.test_accounts_in_browser import sign_in
from tests.browser.test_assessments_in_browser import assessment  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def justified(app, assessment):  # noqa: F811
    """The kit scenario with its first decision asking every option for reasons."""
    with app.app_context():
        version = db.session.get(Assessment, assessment.assessment_id).version
        scenarios = copy.deepcopy(version.scenarios)
        scenarios["first-meeting"]["stages"][0]["decision"]["justification"] = True
        version.scenarios = scenarios
        db.session.commit()
    return assessment


def work(app, trainee):
    with app.app_context():
        return db.session.scalar(select(Submission).where(Submission.user_id == trainee.id))


def start(page, axe, trainee):
    sign_in(page, axe, trainee.email)
    page.goto(f"/assessments/{trainee.assessment_id}")
    page.get_by_role("button", name="Start the scenario").click()
    page.get_by_role("heading", name="Meeting").wait_for()


def at_the_plan(page, axe, trainee):
    start(page, axe, trainee)
    page.get_by_label("Explain your independence").check()
    page.get_by_role("button", name="Confirm decision").click()
    page.get_by_role("heading", name="Plan").wait_for()


def test_back_after_a_decision_attaches_nothing_to_the_next_stage(app, page, axe, justified):
    start(page, axe, justified)
    page.get_by_label("Call the police").check()
    page.get_by_label("Your justification").fill("Her safety came first that day.")
    page.get_by_role("button", name="Confirm decision").click()
    page.get_by_role("heading", name="Looking back").wait_for()
    answer = page.get_by_label("Reflect on what happened")
    assert answer.input_value() == ""  # nothing carried over from the decision's form
    answer.fill("I acted without her consent.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved").wait_for()

    for _ in range(4):  # back through the stage's history entries to the decision's page
        page.go_back()
        if page.url.endswith("/scenario/step/1"):
            break
    assert page.url.endswith("/scenario/step/1")
    page.get_by_role("heading", name="You have moved on from this stage").wait_for()
    assert page.locator("input[name=option]").count() == 0  # no form to refill or resend
    axe.check(page)
    page.go_forward()
    page.get_by_role("heading", name="Looking back").wait_for()
    assert page.get_by_label("Reflect on what happened").input_value() == (
        "I acted without her consent.")
    saved = work(app, justified)
    assert saved.path == [{"stage": "meet", "option": "b",
                           "justification": "Her safety came first that day."}]
    assert saved.answers == {"reflect": "I acted without her consent."}


def test_a_stale_tab_shows_both_texts_and_overwrites_nothing(app, page, axe, assessment):  # noqa: F811
    at_the_plan(page, axe, assessment)
    other = page.context.new_page()
    other.goto(page.url)
    other.get_by_role("heading", name="Plan").wait_for()

    page.get_by_label("Write a support plan.").fill("Plan written in the first tab.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved").wait_for()
    other.get_by_label("Write a support plan.").fill("Plan written in the second tab.")
    other.get_by_role("button", name="Save draft").click()
    other.get_by_role("heading", name="Two versions of this answer").wait_for()
    assert other.get_by_text("Plan written in the first tab.").is_visible()
    assert other.get_by_label("Write a support plan.").input_value() == (
        "Plan written in the second tab.")
    axe.check(other)
    assert work(app, assessment).answers == {"plan": "Plan written in the first tab."}


def test_a_very_long_answer_is_refused_whole_and_stays_in_the_box(app, page, axe, assessment):  # noqa: F811
    at_the_plan(page, axe, assessment)
    page.get_by_label("Write a support plan.").fill("My first short draft.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved").wait_for()
    huge = "word " * 86_400  # 432,000 characters
    page.get_by_label("Write a support plan.").fill(huge)
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.get_by_text("the limit is 50,000").first.is_visible()
    assert page.get_by_text("Draft saved").count() == 0
    assert page.get_by_label("Write a support plan.").input_value() == huge.rstrip("\n")
    axe.check(page)
    assert work(app, assessment).answers == {"plan": "My first short draft."}


def test_typing_saves_a_draft_by_itself_and_says_so(app, page, axe, assessment):  # noqa: F811
    at_the_plan(page, axe, assessment)
    page.get_by_text("saved automatically as you type").wait_for()
    page.get_by_label("Write a support plan.").press_sequentially("Meet weekly")
    page.get_by_text("Draft saved automatically at").wait_for(timeout=15_000)
    assert page.get_by_text("11 words.").count() == 0 and page.get_by_text("2 words.").is_visible()
    assert work(app, assessment).answers == {"plan": "Meet weekly"}
