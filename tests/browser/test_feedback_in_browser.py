"""Released feedback and the submitted work read on a 375 px phone: nothing scrolls sideways."""

import pytest

from tests.browser.test_accounts_in_browser import sign_in
from tests.browser.test_assessments_in_browser import assessment  # noqa: F401 (a fixture)
from tests.browser.test_every_page_in_browser import demo  # noqa: F401 (a fixture)
from tests.conftest import sign_in as sign_in_client
from tests.integration.assessments.test_marking import release_all
from tests.integration.assessments.test_taking import post

pytestmark = pytest.mark.browser

LONG_FEEDBACK = ("You explained independence from the police and from the support provider "
                 "clearly, and checked consent at each step. See "
                 "https://www.gov.uk/government/publications/modern-slavery-how-to-identify-"
                 "and-support-victims for the statutory guidance on first meetings. ") * 3

SIDEWAYS = """() => {
  const wide = el => el.scrollWidth > el.clientWidth + 1;
  const page = document.documentElement.scrollWidth > window.innerWidth;
  const box = document.querySelector(arguments_selector);
  const edge = box.getBoundingClientRect().right;
  const out = [...box.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > edge + 1)
    .map(el => el.tagName + '.' + el.className);
  const scrolling = [...box.querySelectorAll('.table-scroll')].filter(wide).length;
  return {page, box: wide(box), out, scrolling};
}"""


def sideways(page, selector):
    return page.evaluate(SIDEWAYS.replace("arguments_selector", repr(selector)))


def test_feedback_and_submitted_work_fit_a_375px_phone(app, page, axe, assessment,  # noqa: F811
                                                       create_user):
    aid = assessment.assessment_id
    trainee = app.test_client()
    sign_in_client(trainee, assessment)
    post(trainee, f"/assessments/{aid}/scenario")
    post(trainee, f"/assessments/{aid}/scenario/decide",
         {"stage": "meet", "option": "a",
          "justification": "Independence first, so the person can trust what follows."})
    post(trainee, f"/assessments/{aid}/scenario/answer",
         {"stage": "plan", "answer": "## Plan\n\n- Meet weekly\n- Go together to the GP",
          "action": "continue"})
    post(trainee, f"/assessments/{aid}/submit", {"declaration": "y"})
    marker, lead = create_user("marker"), create_user("moderator")
    marking, moderation = app.test_client(), app.test_client()
    sign_in_client(marking, marker)
    sign_in_client(moderation, lead)
    post(moderation, f"/moderation/{aid}/allocate", {"markers": [marker.id], "role": "first"})
    from sqlalchemy import select

    from lms.assessments.models import Submission
    from lms.extensions import db

    with app.app_context():
        work = db.session.scalar(select(Submission).where(Submission.assessment_id == aid))
    post(marking, f"/marking/{work.id}/first", {"mark-C1": "64", "feedback-C1": LONG_FEEDBACK,
                                                "overall": LONG_FEEDBACK, "action": "complete"})
    post(moderation, f"/moderation/{aid}/agree/{work.id}", {"mark": "78", "reason": ""})
    post(moderation, f"/moderation/{aid}/approve")
    release_all(moderation, aid)

    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, axe, "tamsin@example.org")
    page.goto(f"/assessments/{aid}")
    page.get_by_role("heading", name="How your mark is made").wait_for()
    assert sideways(page, ".feedback") == {"page": False, "box": False, "out": [],
                                           "scrolling": 0}
    # The feedback on a criterion has the panel's width, not a column narrower than a word.
    widths = page.evaluate("""() => [document.querySelector('.feedback').clientWidth,
        document.querySelector('.criterion-feedback .answer').clientWidth]""")
    assert widths[1] > widths[0] * 0.8
    axe.check(page)

    page.get_by_role("link", name="Read the work you submitted").click()
    page.get_by_role("heading", name="What you submitted").wait_for()
    assert page.get_by_text("Independence first, so the person can trust").is_visible()
    assert sideways(page, "main")["page"] is False and sideways(page, "main")["out"] == []
    axe.check(page)



def test_released_feedback_on_real_course_content_fits_a_phone(app, page, axe,
                                                               demo):  # noqa: F811
    """The demo trainee's released work: real rubric titles, several criteria, real paths."""
    from sqlalchemy import select

    from lms.assessments.models import Submission
    from lms.auth.models import User
    from lms.demo import DEMO_PASSWORD
    from lms.extensions import db

    with app.app_context():
        work = db.session.scalar(select(Submission).join(User).where(
            User.email == "trainee@example.org", Submission.state == "released"))
        aid, work_id = work.assessment_id, work.id
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, axe, "trainee@example.org", DEMO_PASSWORD)
    page.wait_for_url(lambda url: "/sign-in" not in url)
    page.goto(f"/assessments/{aid}")
    page.get_by_role("heading", name="Feedback on each criterion").wait_for()
    assert sideways(page, ".feedback") == {"page": False, "box": False, "out": [],
                                           "scrolling": 0}
    assert page.locator(".criterion-feedback li").count() >= 2
    axe.check(page)
    page.goto(f"/submissions/{work_id}/receipt")
    page.get_by_role("heading", name="What you submitted").wait_for()
    assert sideways(page, "main")["page"] is False and sideways(page, "main")["out"] == []
    axe.check(page)
