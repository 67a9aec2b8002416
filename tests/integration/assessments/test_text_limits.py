from datetime import timedelta
from html import escape

from sqlalchemy import func, select

from lms import limits
from lms.assessments.models import Extension, Mark
from lms.extensions import db
from tests.clock import noon_in
from tests.conftest import sign_in
from tests.integration.assessments.test_marking import staff, submit_work, work_of
from tests.integration.assessments.test_taking import at_stage, post, text


def test_feedback_over_its_limit_is_refused_whole_and_comes_back_as_typed(
        app, setting, enrolled, create_user):
    aid = setting()
    trainee, _ = submit_work(app, setting, enrolled, aid, "Ana Pereira")
    marker, m = staff(app, create_user, "marker", name="Marker Alpha")
    _lead, moderator = staff(app, create_user, "moderator", name="Programme Lead")
    post(moderator, f"/moderation/{aid}/allocate", {"markers": [marker.id], "role": "first"})
    work = work_of(app, trainee)
    assert limits.CRITERION_FEEDBACK == 5_000
    page = text(m.get(f"/marking/{work.id}/first"))
    assert "Up to 5,000 characters." in page
    assert "Up to 10,000 characters." in page

    feedback = ("Independence explained well; <the law> & the plan. " * 120)[:6_000]
    response = post(m, f"/marking/{work.id}/first", {
        "mark-C1": "64", "feedback-C1": feedback, "overall": "Clear and careful.",
        "action": "complete"})
    assert response.status_code == 422
    page = text(response)
    error = page.split('id="feedback-C1-error"')[1].split("</p>")[0]
    assert "Feedback on Independence must be 5,000 characters or fewer. It is 6,000" in error
    assert '<a href="#feedback-C1">' in page.split('class="error-summary"')[1]
    assert escape(feedback) in page and 'value="64"' in page  # nothing cut, nothing lost
    assert "Clear and careful." in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Mark.id)).where(
            Mark.submission_id == work.id)) == 0

    # At the limit it saves. A line break counts once, as in the browser, though sent as two.
    at_limit = ("a" * 99 + "\r\n") * 50
    response = post(m, f"/marking/{work.id}/first", {
        "mark-C1": "64", "feedback-C1": at_limit, "overall": "Clear.", "action": "save"})
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.scalar(select(Mark).where(Mark.submission_id == work.id))
        assert saved.criterion_feedback["C1"] == at_limit.strip()


def test_a_trainees_reason_over_its_limit_comes_back_with_the_text(app, client, setting,
                                                                    enrolled):
    aid = setting()
    sign_in(client, enrolled(setting.cohort))
    page = text(client.get(f"/assessments/{aid}/extension"))
    assert "Up to 4,000 characters." in page
    reason = "I was in hospital. " * 220  # 4,180 characters
    until = (noon_in(60) + timedelta(days=7)).date().isoformat()
    page = text(post(client, f"/assessments/{aid}/extension", {"until": until, "reason": reason}))
    assert "Reason must be 4,000 characters or fewer. It is 4,180" in page
    assert escape(reason) in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Extension.id))) == 0


def test_moderators_reasons_have_a_stated_limit_and_nothing_is_cut(
        app, setting, enrolled, create_user):
    aid = setting()
    trainee, _ = submit_work(app, setting, enrolled, aid, "Bea Limits")
    _lead, moderator = staff(app, create_user, "moderator", name="Programme Lead")
    work = work_of(app, trainee)
    assert "maxlength" not in text(moderator.get(f"/moderation/{aid}"))  # a paste is never cut
    refused = post(moderator, f"/moderation/{aid}/agree/{work.id}",
                   {"mark": "60", "reason": "x" * 501})
    assert refused.status_code == 422 and "must be 500 characters or fewer" in text(refused)
    with app.app_context():
        assert db.session.scalar(select(func.count(Mark.id))) == 0  # nothing saved, nothing cut


def test_a_refused_agreed_mark_comes_back_with_what_the_moderator_typed(
        app, setting, enrolled, create_user):
    from tests.integration.assessments.test_marking import mark_as

    aid = setting()
    trainee, _ = submit_work(app, setting, enrolled, aid, "Cai Typed")
    marker, a = staff(app, create_user, "marker", name="First Marker")
    _lead, moderator = staff(app, create_user, "moderator", name="Programme Lead")
    work = work_of(app, trainee)
    post(moderator, f"/moderation/{aid}/allocate", {"markers": [marker.id], "role": "first"})
    mark_as(a, work.id, "first", "64")
    refused = post(moderator, f"/moderation/{aid}/agree/{work.id}",
                   {"mark": "sixty", "reason": "Second marker's view weighed"})
    page = text(refused)
    assert refused.status_code == 422 and "whole number from 0 to 100" in page
    assert 'value="sixty"' in page and 'value="Second marker&#39;s view weighed"' in page
    assert f'href="#agree-{work.id}"' in page and 'aria-invalid="true"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Mark.id)).where(Mark.role == "agreed")) == 0


def test_a_trainee_is_told_the_limit_of_an_answer_and_a_justification(
        app, client, setting, enrolled):
    aid = setting(justify=True)
    sign_in(client, enrolled(setting.cohort))
    post(client, f"/assessments/{aid}/scenario")
    assert "Up to 10,000 characters." in text(at_stage(client, aid))
    post(client, f"/assessments/{aid}/scenario/decide",
         {"stage": "meet", "option": "a", "justification": "Consent."})
    assert "Up to 50,000 characters." in text(at_stage(client, aid))
