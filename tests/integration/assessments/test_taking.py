import io
import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from lms.assessments.models import Extension, Submission
from lms.extensions import db
from tests import filekit
from tests.clock import freeze_submission_clock, noon_in
from tests.conftest import csrf_token, outbox, sign_in


def text(response):
    return response.get_data(as_text=True)


def at_stage(client, aid):
    """The page of the stage the trainee is at (each stage has its own address)."""
    return client.get(f"/assessments/{aid}/scenario", follow_redirects=True)


def post(client, url, data=None, **kwargs):
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client, "/programme")},
                       **kwargs)


def submission(app, user):
    with app.app_context():
        return db.session.scalar(select(Submission).where(Submission.user_id == user.id))


def play_to_the_end(client, aid):
    post(client, f"/assessments/{aid}/scenario")
    post(client, f"/assessments/{aid}/scenario/decide", {"stage": "meet", "option": "a"})
    post(client, f"/assessments/{aid}/scenario/answer",
         {"stage": "plan", "answer": "## Plan\n\nMeet weekly.", "action": "continue"})


def test_a_trainee_works_through_a_branching_scenario_and_submits(app, client, setting,
                                                                  enrolled):
    aid = setting()
    trainee = enrolled(setting.cohort, name="Tamsin Reade")
    sign_in(client, trainee)
    assert "Scenario assessment (foundations)" in text(client.get("/assessments"))
    page = text(client.get(f"/assessments/{aid}"))
    assert "decisions are final once made" in page and "Start the scenario" in page
    post(client, f"/assessments/{aid}/scenario")
    page = text(at_stage(client, aid))
    assert "You meet Ana" in page and "What first?" in page

    post(client, f"/assessments/{aid}/scenario/decide", {"stage": "meet", "option": "a"})
    # Decisions are final: trying the other option at the same stage changes nothing.
    response = post(client, f"/assessments/{aid}/scenario/decide",
                    {"stage": "meet", "option": "b", "justification": "Safety first"})
    assert response.status_code == 409
    assert "a stage you have already left" in text(response)
    assert "Safety first</textarea>" in text(response)  # given back, attached to nothing
    assert submission(app, trainee).path == [{"stage": "meet", "option": "a",
                                              "justification": ""}]

    # A draft saved on one device is there on another.
    post(client, f"/assessments/{aid}/scenario/answer",
         {"stage": "plan", "answer": "First draft", "action": "save"})
    phone = app.test_client()
    sign_in(phone, trainee)
    assert "First draft" in text(at_stage(phone, aid))
    post(phone, f"/assessments/{aid}/scenario/answer",
         {"stage": "plan", "answer": "## My plan\n\nMeet weekly. <script>x()</script>",
          "action": "continue"})
    page = text(client.get(f"/assessments/{aid}/submit"))
    assert "<h4>My plan</h4>" in page and "<script>" not in page
    assert "Submit my work" in page

    response = post(client, f"/assessments/{aid}/submit", {})
    assert "Confirm the declaration" in text(response)
    response = post(client, f"/assessments/{aid}/submit", {"declaration": "y"})
    receipt = text(client.get(response.headers["Location"]))
    work = submission(app, trainee)
    assert work.state == "submitted" and work.days_late == 0
    assert work.reference in receipt and work.content_hash in receipt
    assert re.fullmatch(r"[0-9a-f]{64}", work.content_hash)
    [mail] = outbox(app)
    assert mail.recipient == trainee.email and work.content_hash in mail.body

    # Submitted work cannot change, and a second submit (another tab) makes nothing new.
    post(client, f"/assessments/{aid}/scenario/answer",
         {"stage": "plan", "answer": "changed", "action": "save"})
    post(phone, f"/assessments/{aid}/submit", {"declaration": "y"})
    with app.app_context():
        assert db.session.scalar(select(func.count(Submission.id))) == 1
    assert submission(app, trainee).answers["plan"].startswith("## My plan")
    assert len(outbox(app)) == 1


def test_submitting_needs_an_ending(client, setting, enrolled):
    aid = setting()
    sign_in(client, enrolled(setting.cohort))
    post(client, f"/assessments/{aid}/scenario")
    page = text(client.get(f"/assessments/{aid}/submit"))
    assert "You have not reached an ending yet" in page and "Submit my work" not in page
    response = post(client, f"/assessments/{aid}/submit", {"declaration": "y"})
    assert "Finish the scenario" in text(client.get(response.headers["Location"]))


def test_late_work_is_accepted_and_flagged(app, client, setting, enrolled, monkeypatch):
    deadline = datetime(2026, 10, 30, 12, tzinfo=UTC)  # a Friday
    aid = setting(deadline=deadline)
    freeze_submission_clock(monkeypatch, deadline + timedelta(days=14))  # 10 working days
    trainee = enrolled(setting.cohort)
    sign_in(client, trainee)
    play_to_the_end(client, aid)
    response = post(client, f"/assessments/{aid}/submit", {"declaration": "y"})
    assert "working days after your deadline" in text(client.get(response.headers["Location"]))
    assert submission(app, trainee).days_late == 10


def test_going_back_only_where_the_scenario_allows_it(app, client, setting, enrolled):
    aid = setting(allow_back=True)
    trainee = enrolled(setting.cohort)
    sign_in(client, trainee)
    post(client, f"/assessments/{aid}/scenario")
    post(client, f"/assessments/{aid}/scenario/decide", {"stage": "meet", "option": "b"})
    page = text(at_stage(client, aid))
    # Feedback would say which choice was weak; where going back is allowed, it waits.
    assert "Call the police" in page and "Not without consent." not in page
    post(client, f"/assessments/{aid}/scenario/back")
    post(client, f"/assessments/{aid}/scenario/decide", {"stage": "meet", "option": "a"})
    assert submission(app, trainee).path[0]["option"] == "a"


def test_work_is_private_to_its_author_and_to_the_right_trainees(app, client, setting,
                                                                 enrolled):
    aid = setting()
    specialism_aid = setting(module="stalking")
    author = enrolled(setting.cohort)
    sign_in(client, author)
    play_to_the_end(client, aid)
    post(client, f"/assessments/{aid}/submit", {"declaration": "y"})
    work = submission(app, author)
    other = app.test_client()
    sign_in(other, enrolled(setting.cohort, specialism="modern_slavery"))
    assert other.get(f"/submissions/{work.id}/receipt").status_code == 404
    assert other.get(f"/assessments/{specialism_aid}").status_code == 403
    assert "Scenario assessment (stalking)" not in text(other.get("/assessments"))


def test_extension_requests_check_evidence_by_content(app, client, setting, enrolled):
    aid = setting()
    until = (noon_in(60) + timedelta(days=7)).date().isoformat()  # a week past the deadline
    trainee = enrolled(setting.cohort)
    sign_in(client, trainee)
    fake = io.BytesIO(b"MZ\x90\x00 this is a program, not a PDF")
    page = text(post(client, f"/assessments/{aid}/extension",
                     {"until": until, "reason": "Illness",
                      "evidence": (fake, "letter.pdf")}, content_type="multipart/form-data"))
    assert "Its content is not one of these" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Extension.id))) == 0
    pdf = io.BytesIO(filekit.pdf())
    response = post(client, f"/assessments/{aid}/extension",
                    {"until": until, "reason": "Illness",
                     "evidence": (pdf, "letter.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert "waiting for a decision" in text(client.get(f"/assessments/{aid}"))


def test_moderators_set_an_assessment_with_a_uk_deadline(app, client, setting, create_user):
    june = datetime(date.today().year + 1, 6, 1, 11, tzinfo=UTC)  # next summer: BST applies
    sign_in(client, create_user("moderator"))
    page = text(client.get("/staff/assessments/new"))
    key = re.search(r'<option value="(\d+:scenario)">T7010', page).group(1)
    response = post(client, "/staff/assessments/new", {
        "cohort_id": setting.cohort.id, "component": key, "deadline_date": f"{june.year}-06-01",
        "deadline_time": "12:00", "anonymous": "y", "second_marking": "sample"})
    assert response.status_code == 302
    page = text(client.get("/staff/assessments"))
    assert f"1 June {june.year}, 12:00" in page and "Anonymous" in page
    from lms.assessments.models import Assessment

    with app.app_context():
        made = db.session.scalar(select(Assessment).order_by(Assessment.id.desc()))
        assert made.deadline == june  # noon in London is 11:00 UTC in summer time


def test_a_written_component_is_set_taken_and_submitted(app, client, setting, enrolled,
                                                        create_user):
    setting()  # syncs content and makes the cohort
    sign_in(client, create_user("moderator"))
    page = text(client.get("/staff/assessments/new"))
    key = re.search(r'<option value="(\d+:essay)">T7001', page).group(1)
    post(client, "/staff/assessments/new", {
        "cohort_id": setting.cohort.id, "component": key,
        "deadline_date": noon_in(60).date().isoformat(),
        "deadline_time": "12:00", "anonymous": "y", "second_marking": "all"})
    from lms.assessments.models import Assessment

    with app.app_context():
        aid = db.session.scalar(select(Assessment.id).where(Assessment.kind == "written"))
    trainee = enrolled(setting.cohort)
    learner = app.test_client()
    sign_in(learner, trainee)
    post(learner, f"/assessments/{aid}/scenario")
    assert "Case analysis" in text(at_stage(learner, aid))
    post(learner, f"/assessments/{aid}/scenario/answer",
         {"stage": "write", "answer": "My analysis.", "action": "continue"})
    response = post(learner, f"/assessments/{aid}/submit", {"declaration": "y"})
    assert "Your work has been submitted" in text(learner.get(response.headers["Location"]))


def test_two_tabs_submitting_at_the_same_moment_make_one_submission(app, setting, enrolled):
    from concurrent.futures import ThreadPoolExecutor

    aid = setting()
    trainee = enrolled(setting.cohort)
    tabs = [app.test_client(), app.test_client()]
    for tab in tabs:
        sign_in(tab, trainee)
    play_to_the_end(tabs[0], aid)
    tokens = [csrf_token(tab, "/programme") for tab in tabs]

    def press_submit(n):
        return tabs[n].post(f"/assessments/{aid}/submit",
                            data={"declaration": "y", "csrf_token": tokens[n]}).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = list(pool.map(press_submit, [0, 1]))
    assert statuses == [302, 302]
    with app.app_context():
        rows = db.session.scalars(select(Submission)).all()
    assert len(rows) == 1 and rows[0].state == "submitted"
    receipts = [m for m in outbox(app) if m.subject.startswith("Receipt")]
    assert len(receipts) == 1


def test_decision_options_are_shown_in_each_candidates_own_order(app, setting, enrolled):
    """Scenario authors put the best option first; candidates must not learn to pick the first."""
    aid = setting()
    orders = set()
    for _ in range(16):
        person = app.test_client()
        trainee = enrolled(setting.cohort)
        sign_in(person, trainee)
        post(person, f"/assessments/{aid}/scenario")
        page = text(at_stage(person, aid))
        order = tuple(re.findall(r'name="option" value="(\w+)"', page))
        assert order == tuple(re.findall(r'name="option" value="(\w+)"', text(
            at_stage(person, aid))))  # the same on every visit
        orders.add(order)
        post(person, f"/assessments/{aid}/scenario/decide", {"stage": "meet", "option": "a"})
        assert submission(app, trainee).path[0]["option"] == "a"  # chosen by id, not place
    assert orders == {("a", "b"), ("b", "a")}
