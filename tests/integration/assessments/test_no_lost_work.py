"""Work is never lost or put against the wrong stage: Back, two tabs, long answers, autosave."""

import re

from lms import limits
from lms.assessments.models import Submission
from lms.extensions import db
from tests.integration.assessments.test_marking import work_of
from tests.integration.assessments.test_taking import at_stage, post, text


def version_in(page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def test_each_stage_has_its_own_address_and_an_earlier_one_says_it_is_done(
        app, client, setting, enrolled):
    aid = setting()
    trainee = enrolled(setting.cohort)
    sign_in_and_start(client, trainee, aid)
    first = at_stage(client, aid)
    assert first.request.path == f"/assessments/{aid}/scenario/step/1"
    post(client, f"/assessments/{aid}/scenario/decide", {"stage": "meet", "option": "a",
                                                         "version": version_in(text(first))})
    assert at_stage(client, aid).request.path == f"/assessments/{aid}/scenario/step/2"
    # Back to stage 1's address: the server says it is done and offers no form to fill.
    back = client.get(f"/assessments/{aid}/scenario/step/1")
    page = text(back)
    assert "You have moved on from this stage" in page and 'name="option"' not in page
    assert f'href="/assessments/{aid}/scenario/step/2"' in page
    # A stage not reached yet is not shown either.
    ahead = client.get(f"/assessments/{aid}/scenario/step/9")
    assert ahead.headers["Location"].endswith(f"/assessments/{aid}/scenario/step/2")


def sign_in_and_start(client, trainee, aid):
    from tests.conftest import sign_in

    sign_in(client, trainee)
    post(client, f"/assessments/{aid}/scenario")


def at_the_plan(client, trainee, aid):
    """Start, and take the first decision: the trainee is at the written task."""
    sign_in_and_start(client, trainee, aid)
    post(client, f"/assessments/{aid}/scenario/decide", {"stage": "meet", "option": "a"})


def test_an_answer_posted_for_a_stage_left_behind_is_refused_and_handed_back(
        app, client, setting, enrolled):
    aid = setting()
    trainee = enrolled(setting.cohort)
    at_the_plan(client, trainee, aid)
    post(client, f"/assessments/{aid}/scenario/answer",
         {"stage": "plan", "answer": "The real plan.", "action": "continue"})
    # A form restored from an earlier page posts the plan again, and a decision again.
    late = post(client, f"/assessments/{aid}/scenario/answer",
                {"stage": "plan", "answer": "Old words from Back.", "action": "save"})
    assert late.status_code == 409 and "Nothing was saved" in text(late)
    assert "Old words from Back.</textarea>" in text(late)
    decision = post(client, f"/assessments/{aid}/scenario/decide",
                    {"stage": "meet", "option": "b", "justification": "Restored text"})
    assert decision.status_code == 409
    work = work_of(app, trainee)
    assert work.answers == {"plan": "The real plan."}
    assert [step["stage"] for step in work.path] == ["meet", "plan"]


def test_a_stale_tab_cannot_save_over_newer_text_and_is_shown_both(
        app, client, setting, enrolled):
    aid = setting()
    trainee = enrolled(setting.cohort)
    at_the_plan(client, trainee, aid)
    tab_a = text(at_stage(client, aid))
    tab_b = text(at_stage(client, aid))  # the same page open in a second tab
    saved = post(client, f"/assessments/{aid}/scenario/answer",
                 {"stage": "plan", "answer": "Written in tab A.", "action": "save",
                  "version": version_in(tab_a)})
    assert saved.status_code == 303
    stale = post(client, f"/assessments/{aid}/scenario/answer",
                 {"stage": "plan", "answer": "Written in tab B.", "action": "save",
                  "version": version_in(tab_b)})
    page = text(stale)
    assert stale.status_code == 409 and "Nothing was overwritten" in page
    assert "Written in tab A." in page and "Written in tab B.</textarea>" in page
    assert work_of(app, trainee).answers["plan"] == "Written in tab A."
    # Saving again from the conflict page is a choice made knowing both: it keeps tab B's.
    again = post(client, f"/assessments/{aid}/scenario/answer",
                 {"stage": "plan", "answer": "Written in tab B.", "action": "save",
                  "version": version_in(page)})
    assert again.status_code == 303
    assert work_of(app, trainee).answers["plan"] == "Written in tab B."


def test_an_answer_over_the_limit_is_refused_whole_and_kept_in_the_box(
        app, client, setting, enrolled):
    aid = setting()
    trainee = enrolled(setting.cohort)
    at_the_plan(client, trainee, aid)
    post(client, f"/assessments/{aid}/scenario/answer",
         {"stage": "plan", "answer": "A short first draft.", "action": "save"})
    huge = "word " * 86_400  # 432,000 characters
    refused = post(client, f"/assessments/{aid}/scenario/answer",
                   {"stage": "plan", "answer": huge, "action": "save"})
    page = text(refused)
    assert refused.status_code == 422
    assert f"the limit is {limits.ANSWER:,}" in page and "Nothing was saved" in page
    assert "Draft saved" not in page
    assert huge.strip() in page  # every word is still in the box
    assert 'aria-invalid="true"' in page and 'href="#answer"' in page
    assert "86,400 words." in page  # the count by the field
    assert work_of(app, trainee).answers["plan"] == "A short first draft."


def test_a_justification_over_the_limit_is_refused_with_the_choice_kept(
        app, client, setting, enrolled):
    aid = setting(justify=True)
    trainee = enrolled(setting.cohort)
    sign_in_and_start(client, trainee, aid)
    long = "because " * 1_500
    refused = post(client, f"/assessments/{aid}/scenario/decide",
                   {"stage": "meet", "option": "b", "justification": long})
    page = text(refused)
    assert refused.status_code == 422 and f"the limit is {limits.JUSTIFICATION:,}" in page
    assert long.strip() in page and 'value="b" required autocomplete="off" checked' in page
    missing = post(client, f"/assessments/{aid}/scenario/decide",
                   {"stage": "meet", "option": "a", "justification": "  "})
    assert missing.status_code == 422 and "needs a justification" in text(missing)
    assert work_of(app, trainee).path == []


def test_every_option_of_a_justified_decision_asks_for_reasons_and_none_is_labelled(
        client, setting, enrolled):
    aid = setting(justify=True)
    sign_in_and_start(client, enrolled(setting.cohort), aid)
    page = text(at_stage(client, aid))
    assert "justify this choice" not in page
    assert '<textarea id="justification" name="justification" rows="6" required' in page


def test_drafts_save_automatically_with_the_same_rules(app, client, setting, enrolled):
    aid = setting()
    trainee = enrolled(setting.cohort)
    at_the_plan(client, trainee, aid)
    page = text(at_stage(client, aid))
    assert 'src="/static/js/drafts.js"' in page and "data-autosave" in page
    # Without the script the page says what is true: saving is by the buttons.
    assert "saved when you press “Save draft”" in page and "saved automatically" not in page
    first = post(client, f"/assessments/{aid}/scenario/answer",
                 {"stage": "plan", "answer": "Typed so far", "action": "autosave",
                  "version": version_in(page)})
    assert first.status_code == 200 and first.json["saved"] and first.json["words"] == 3
    assert work_of(app, trainee).answers["plan"] == "Typed so far"
    stale = post(client, f"/assessments/{aid}/scenario/answer",
                 {"stage": "plan", "answer": "From an old tab", "action": "autosave",
                  "version": version_in(page)})
    assert stale.status_code == 409 and stale.json["conflict"]
    newer = post(client, f"/assessments/{aid}/scenario/answer",
                 {"stage": "plan", "answer": "Typed more", "action": "autosave",
                  "version": str(first.json["version"])})
    assert newer.json["saved"]
    assert work_of(app, trainee).answers["plan"] == "Typed more"


def test_the_review_page_warns_of_short_answers_without_blocking(
        app, client, setting, enrolled):
    aid = setting()
    trainee = enrolled(setting.cohort)
    at_the_plan(client, trainee, aid)
    post(client, f"/assessments/{aid}/scenario/answer",
         {"stage": "plan", "answer": "Meet weekly.", "action": "continue"})
    page = text(client.get(f"/assessments/{aid}/submit"))
    assert "Before you submit" in page
    assert "Your answer to “Plan” is 2 words; the suggested length is about 400." in page
    assert "Submit my work" in page


def test_a_trainee_gets_the_scenario_for_their_own_jurisdiction(
        app, client, setting, enrolled):
    aid = setting()
    with app.app_context():
        from lms.assessments.models import Assessment

        assessment = db.session.get(Assessment, aid)
        scenarios = dict(assessment.version.scenarios)
        scot = {**scenarios["first-meeting"], "slug": "first-meeting-scotland",
                "stages": [{**scenarios["first-meeting"]["stages"][0],
                            "narrative_html": "<p>You meet Ana in Glasgow.</p>"},
                           *scenarios["first-meeting"]["stages"][1:]]}
        assessment.version.scenarios = {**scenarios, "first-meeting-scotland": scot}
        assessment.scenario_variants = {"scotland": "first-meeting-scotland"}
        db.session.commit()
    scottish = enrolled(setting.cohort, jurisdiction="scotland")
    english = enrolled(setting.cohort)
    sign_in_and_start(client, scottish, aid)
    assert "You meet Ana in Glasgow." in text(at_stage(client, aid))
    other = app.test_client()
    sign_in_and_start(other, english, aid)
    assert "Glasgow" not in text(at_stage(other, aid))
    with app.app_context():
        from sqlalchemy import select

        slugs = dict(db.session.execute(
            select(Submission.user_id, Submission.scenario_slug)).all())
    assert slugs == {scottish.id: "first-meeting-scotland", english.id: None}
