"""Issue 8: extensions within a policy, setting that refuses mistakes, changing and withdrawing
a set assessment, release on confirmation, second marking as promised, overdue work shown."""

import re
from datetime import timedelta

from markupsafe import escape
from sqlalchemy import func, select

from lms.assessments.models import Allocation, Assessment, Extension, Submission
from lms.audit.models import AuditEvent
from lms.extensions import db
from tests.clock import as_shown, noon_in
from tests.conftest import outbox, sign_in
from tests.integration.assessments.test_marking import (
    mark_as,
    release_all,
    staff,
    submit_work,
    work_of,
)
from tests.integration.assessments.test_taking import play_to_the_end, post, text

ASK = "Ask for an extension"


def trainee_client(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def day(instant, days=0):
    return (instant + timedelta(days=days)).date().isoformat()


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)).where(*where))


def audit(app, action):
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# --- extensions -----------------------------------------------------------------------------

def test_one_request_at_a_time_within_the_policy_and_moderators_are_told(
        app, setting, enrolled, create_user):
    aid = setting()
    deadline = noon_in(60)
    lead = create_user("moderator", name="Programme Lead", email="lead@example.org")
    create_user("moderator", name="Second Moderator", email="mod2@example.org")
    create_user("marker", name="Just A Marker", email="marker@example.org")
    trainee = enrolled(setting.cohort, name="Eve Extension")
    client = trainee_client(app, trainee)
    assert ASK in text(client.get(f"/assessments/{aid}"))

    # Years away: refused at the field, with the reason kept, and nothing recorded.
    years = post(client, f"/assessments/{aid}/extension",
                 {"until": day(deadline, 3 * 365), "reason": "A long illness."})
    assert years.status_code == 422
    page = text(years)
    assert "no more than 28 days beyond your current deadline" in page
    assert f"{as_shown(deadline + timedelta(days=28)).split(',')[0]} at the latest" in page
    assert 'href="#until"' in page and "A long illness." in page
    assert count(app, Extension) == 0 and outbox(app) == []

    ok = post(client, f"/assessments/{aid}/extension",
              {"until": day(deadline, 14), "reason": "A long illness."})
    assert ok.status_code == 302
    mails = outbox(app)
    assert sorted(m.recipient for m in mails) == ["lead@example.org", "mod2@example.org"]
    assert all("Eve Extension" in m.body and f"/moderation/{aid}/extensions" in m.body
               and "A long illness" not in m.body for m in mails)  # the reason stays on site

    # A second request while one is open: no link, a reason instead, and a POST is refused.
    page = text(client.get(f"/assessments/{aid}"))
    assert ASK not in page and "already have a request waiting for a decision" in page
    again = post(client, f"/assessments/{aid}/extension",
                 {"until": day(deadline, 7), "reason": "Another go."})
    assert again.status_code == 409 and "already have a request waiting" in text(again)
    assert count(app, Extension) == 1

    # The decision reaches the trainee by email; then they may ask again.
    with app.app_context():
        request_id = db.session.scalar(select(Extension.id))
    moderator = app.test_client()
    sign_in(moderator, lead)
    # A note over the limit: nothing is decided, and the form comes back as typed.
    refused = post(moderator, f"/moderation/{aid}/extensions",
                   {"extension": request_id, "decision": "grant", "until": day(deadline, 10),
                    "note": "n" * 501, "mitigating": "y"})
    page = text(refused)
    assert refused.status_code == 422 and "must be 500 characters or fewer" in page
    assert f'value="{day(deadline, 10)}"' in page and "n" * 501 in page
    assert f'href="#note-{request_id}"' in page
    assert not [m for m in outbox(app) if m.recipient == trainee.email]
    post(moderator, f"/moderation/{aid}/extensions",
         {"extension": request_id, "decision": "grant", "until": day(deadline, 10),
          "note": "Take the time you need."})
    decided = [m for m in outbox(app) if m.recipient == trainee.email]
    assert len(decided) == 1 and decided[0].subject.startswith("Extension granted")
    assert "Take the time you need." in decided[0].body
    assert as_shown(noon_in(70)) in decided[0].body
    page = text(client.get(f"/assessments/{aid}"))
    assert ASK in page
    # The new request is measured from the extended deadline.
    assert "no more than 28 days" in text(post(client, f"/assessments/{aid}/extension", {
        "until": day(deadline, 10 + 29), "reason": "More."}))
    assert post(client, f"/assessments/{aid}/extension", {
        "until": day(deadline, 10 + 28), "reason": "More."}).status_code == 302


def test_a_refusal_is_emailed_to_the_trainee(app, setting, enrolled, create_user):
    aid = setting()
    lead, moderator = staff(app, create_user, "moderator", name="Lead")
    trainee = enrolled(setting.cohort, name="Rhys Refused")
    post(trainee_client(app, trainee), f"/assessments/{aid}/extension",
         {"until": day(noon_in(60), 5), "reason": "Work is busy."})
    with app.app_context():
        request_id = db.session.scalar(select(Extension.id))
    post(moderator, f"/moderation/{aid}/extensions",
         {"extension": request_id, "decision": "refuse", "note": "Not a reason for more time."})
    mail = next(m for m in outbox(app) if m.recipient == trainee.email)
    assert mail.subject.startswith("Extension refused")
    assert f"Your deadline stays {as_shown(noon_in(60))}" in mail.body


def test_no_request_after_submitting_or_after_release_unless_a_resit_is_open(
        app, setting, enrolled, create_user):
    aid = setting()
    submitter, submitter_client = submit_work(app, setting, enrolled, aid, "Sol Submitted")
    page = text(submitter_client.get(f"/assessments/{aid}"))
    assert ASK not in page and "You have submitted this work" in page
    refused = post(submitter_client, f"/assessments/{aid}/extension",
                   {"until": day(noon_in(60), 7), "reason": "Let me improve it."})
    assert refused.status_code == 409 and count(app, Extension) == 0

    # Release the cohort's marks: the trainee who never submitted can no longer ask either.
    late = enrolled(setting.cohort, name="Nia Nothing-yet")
    late_client = trainee_client(app, late)
    assert ASK in text(late_client.get(f"/assessments/{aid}"))
    marker, m = staff(app, create_user, "marker", name="Marker")
    _lead, moderator = staff(app, create_user, "moderator", name="Lead")
    post(moderator, f"/moderation/{aid}/allocate", {"markers": [marker.id], "role": "first"})
    work = work_of(app, submitter)
    mark_as(m, work.id, "first", "20")
    post(moderator, f"/moderation/{aid}/agree/{work.id}", {"mark": "45", "reason": "Below."})
    post(moderator, f"/moderation/{aid}/approve")
    release_all(moderator, aid)
    page = text(late_client.get(f"/assessments/{aid}"))
    assert ASK not in page and "have been released" in page
    page = text(late_client.get(f"/assessments/{aid}/extension"))  # a bookmark says why
    assert "have been released" in page and 'name="reason"' not in page

    # A resit is new work: its trainee may ask for time for it.
    post(moderator, f"/moderation/{aid}/resit/{work.id}", {"reason": "Failed first attempt"})
    assert ASK in text(submitter_client.get(f"/assessments/{aid}"))
    assert post(submitter_client, f"/assessments/{aid}/extension",
                {"until": day(noon_in(60), 7), "reason": "Caring duties."}).status_code == 302


def test_requests_close_a_set_number_of_days_after_the_deadline(
        app, setting, enrolled, monkeypatch):
    recent, long_ago = setting(deadline=noon_in(-2)), setting(deadline=noon_in(-6),
                                                              module="stalking")
    client = trainee_client(app, enrolled(setting.cohort, specialism="stalking"))
    assert ASK in text(client.get(f"/assessments/{recent}"))
    page = text(client.get(f"/assessments/{long_ago}"))
    assert ASK not in page and "The deadline passed more than 5 days ago" in page
    assert post(client, f"/assessments/{long_ago}/extension", {
        "until": day(noon_in(0), 7), "reason": "Flu."}).status_code == 409
    monkeypatch.setitem(app.config, "EXTENSION_REQUEST_GRACE_DAYS", 10)  # the policy is config
    assert ASK in text(client.get(f"/assessments/{long_ago}"))


# --- setting, changing the deadline, withdrawing ----------------------------------------------

def _set_form(client, setting, deadline_date, **changes):
    page = text(client.get("/staff/assessments/new"))
    key = re.search(r'<option value="(\d+:scenario)">T7010', page).group(1)
    return post(client, "/staff/assessments/new", {
        "cohort_id": setting.cohort.id, "component": key, "deadline_date": deadline_date,
        "deadline_time": "12:00", "anonymous": "y", "second_marking": "sample", **changes})


def test_setting_refuses_a_past_deadline_and_a_duplicate_at_the_field(
        app, client, setting, create_user):
    setting.cohort  # noqa: B018  (content synced, cohort made; nothing set yet)
    sign_in(client, create_user("moderator"))
    past = _set_form(client, setting, day(noon_in(-1)))
    assert past.status_code == 422
    page = text(past)
    assert "The deadline must be in the future." in page and 'href="#deadline_date"' in page
    assert f'value="{day(noon_in(-1))}"' in page  # what was typed is kept
    assert count(app, Assessment) == 0

    assert _set_form(client, setting, day(noon_in(30))).status_code == 302
    twice = _set_form(client, setting, day(noon_in(40)))
    assert twice.status_code == 422
    page = text(twice)
    assert "is already set for this cohort" in page and 'href="#component"' in page
    assert count(app, Assessment) == 1

    # Once the first is withdrawn, the component can be set again.
    with app.app_context():
        first = db.session.scalar(select(Assessment.id))
    post(client, f"/staff/assessments/{first}/withdraw", {"reason": "Set with the wrong brief."})
    assert _set_form(client, setting, day(noon_in(40))).status_code == 302
    assert count(app, Assessment) == 2


def test_the_deadline_can_be_changed_audited_and_starters_told(
        app, setting, enrolled, create_user):
    aid = setting()
    starter = enrolled(setting.cohort, name="Sam Starter")
    post(trainee_client(app, starter), f"/assessments/{aid}/scenario")
    enrolled(setting.cohort, name="Nat Not-started")
    _lead, moderator = staff(app, create_user, "moderator", name="Lead")
    page = text(moderator.get("/staff/assessments"))
    assert "Change deadline or withdraw" in page
    page = text(moderator.get(f"/staff/assessments/{aid}"))
    assert f'value="{day(noon_in(60))}"' in page and "1 trainee who has started" in page

    past = post(moderator, f"/staff/assessments/{aid}/deadline",
                {"deadline_date": day(noon_in(-1)), "deadline_time": "12:00",
                 "change_reason": "Typo"})
    assert past.status_code == 422 and "Choose a deadline in the future." in text(past)
    assert 'href="#deadline_date"' in text(past) and "Typo" in text(past)
    assert audit(app, "assessment_deadline_changed") == [] and outbox(app) == []

    moved = post(moderator, f"/staff/assessments/{aid}/deadline",
                 {"deadline_date": day(noon_in(74)), "deadline_time": "12:00",
                  "change_reason": "Placement weeks moved."})
    assert moved.status_code == 302
    assert "The 1 trainee who had started was emailed." in text(moderator.get(
        moved.headers["Location"]))
    with app.app_context():
        assert db.session.get(Assessment, aid).deadline == noon_in(74)
    [event] = audit(app, "assessment_deadline_changed")
    assert event.before == {"deadline": noon_in(60).isoformat()}
    assert event.after == {"deadline": noon_in(74).isoformat()}
    assert event.reason == "Placement weeks moved."
    [mail] = outbox(app)
    assert mail.recipient == starter.email and as_shown(noon_in(74)) in mail.body
    assert as_shown(noon_in(60)) in mail.body


def test_withdrawing_keeps_the_work_tells_starters_and_stops_new_work(
        app, setting, enrolled, create_user):
    aid = setting()
    starter = enrolled(setting.cohort, name="Sam Starter")
    starter_client = trainee_client(app, starter)
    post(starter_client, f"/assessments/{aid}/scenario")
    post(starter_client, f"/assessments/{aid}/scenario/decide", {"stage": "meet", "option": "a"})
    other = enrolled(setting.cohort, name="Nat Not-started")
    other_client = trainee_client(app, other)
    lead, moderator = staff(app, create_user, "moderator", name="Lead")

    no_reason = post(moderator, f"/staff/assessments/{aid}/withdraw", {"reason": ""})
    assert no_reason.status_code == 422 and "Say why" in text(no_reason)
    with app.app_context():
        assert db.session.get(Assessment, aid).withdrawn_at is None

    done = post(moderator, f"/staff/assessments/{aid}/withdraw",
                {"reason": "The case study is being rewritten."})
    assert "Nothing has been deleted" in text(moderator.get(done.headers["Location"]))
    with app.app_context():
        kept = db.session.get(Assessment, aid)
        assert kept.withdrawn_by_id == lead.id and kept.withdraw_reason.startswith("The case")
        assert db.session.scalar(select(Submission.path).where(
            Submission.user_id == starter.id))  # the work is kept
    [event] = audit(app, "assessment_withdrawn")
    assert event.actor_id == lead.id and event.reason == "The case study is being rewritten."
    [mail] = outbox(app)
    assert mail.recipient == starter.email and "withdrawn" in mail.body
    assert "The case study is being rewritten." in mail.body

    # Staff see it marked; trainees who had started are told; others no longer see it.
    assert "Withdrawn" in text(moderator.get("/staff/assessments"))
    assert "Withdrawn" in text(moderator.get(f"/moderation/{aid}"))
    page = text(starter_client.get("/assessments"))
    assert "Withdrawn" in page and "Not started" not in page
    assert "was withdrawn by the programme team" in text(starter_client.get(f"/assessments/{aid}"))
    assert "Scenario assessment" not in text(other_client.get("/assessments"))
    page = text(other_client.get(f"/assessments/{aid}"))
    assert "Start the scenario" not in page and ASK not in page

    # No new work, no change, no submission.
    refused = post(other_client, f"/assessments/{aid}/scenario")
    assert refused.headers["Location"].endswith(f"/assessments/{aid}")
    assert "has been withdrawn" in text(other_client.get(refused.headers["Location"]))
    assert count(app, Submission, Submission.user_id == other.id) == 0
    post(starter_client, f"/assessments/{aid}/scenario/answer",
         {"stage": "plan", "answer": "More", "action": "continue"})
    post(starter_client, f"/assessments/{aid}/submit", {"declaration": "y"})
    with app.app_context():
        work = db.session.scalar(select(Submission).where(Submission.user_id == starter.id))
        assert work.state == "draft" and len(work.path) == 1
    # A withdrawn assessment cannot be re-dated or withdrawn twice.
    again = post(moderator, f"/staff/assessments/{aid}/deadline",
                 {"deadline_date": day(noon_in(90)), "deadline_time": "12:00"})
    assert again.status_code == 422 and "withdrawn" in text(again)


def test_only_moderators_change_or_withdraw(app, setting, enrolled, create_user):
    aid = setting()
    for roles in (("marker",), ("examiner",), ("admin",)):
        _user, client = staff(app, create_user, *roles, name="Someone")
        assert client.get(f"/staff/assessments/{aid}").status_code == 403
        for action in ("deadline", "withdraw"):
            assert post(client, f"/staff/assessments/{aid}/{action}",
                        {"reason": "x"}).status_code == 403
    client = trainee_client(app, enrolled(setting.cohort))
    assert client.get(f"/staff/assessments/{aid}").status_code == 403
    assert client.get(f"/moderation/{aid}/release").status_code == 403
    with app.app_context():
        assert db.session.get(Assessment, aid).withdrawn_at is None


# --- release on confirmation ----------------------------------------------------------------

def _ready(app, setting, enrolled, create_user, names, anonymous=True):
    aid = setting()
    with app.app_context():
        db.session.get(Assessment, aid).anonymous = anonymous
        db.session.commit()
    trainees = [submit_work(app, setting, enrolled, aid, name)[0] for name in names]
    marker, m = staff(app, create_user, "marker", name="Marker")
    lead, moderator = staff(app, create_user, "moderator", name="Lead")
    post(moderator, f"/moderation/{aid}/allocate", {"markers": [marker.id], "role": "first"})
    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        assessment.second_marking = "none"
        db.session.commit()
    for trainee in trainees:
        work = work_of(app, trainee)
        mark_as(m, work.id, "first", "64")
        post(moderator, f"/moderation/{aid}/agree/{work.id}", {"mark": "78", "reason": ""})
    post(moderator, f"/moderation/{aid}/approve")
    return aid, trainees, lead, moderator


def test_release_shows_what_and_to_whom_and_waits_for_confirmation(
        app, setting, enrolled, create_user):
    aid, trainees, lead, moderator = _ready(app, setting, enrolled, create_user,
                                            ["Ana Named", "Ben Named"], anonymous=False)
    page = text(moderator.get(f"/moderation/{aid}"))
    assert f'href="/moderation/{aid}/release"' in page  # a link to the check, not a button
    confirm = moderator.get(f"/moderation/{aid}/release")
    page = text(confirm)
    assert "Releasing will send <strong>2 marks</strong>" in page
    assert "Ana Named" in page and "Ben Named" in page and "Release 2 marks now" in page
    # Looking is not releasing.
    assert count(app, Submission, Submission.state == "released") == 0
    assert not [m for m in outbox(app) if m.subject.startswith("Feedback released")]

    # A POST without the confirmed list (a one-click form) releases nothing.
    assert post(moderator, f"/moderation/{aid}/release").status_code == 409
    assert count(app, Submission, Submission.state == "released") == 0

    release_all(moderator, aid)
    assert count(app, Submission, Submission.state == "released") == 2
    assert len([m for m in outbox(app) if m.subject.startswith("Feedback released")]) == 2
    [event] = audit(app, "marks_released")
    assert event.actor_id == lead.id and event.after["count"] == 2


def test_anonymous_release_lists_candidate_numbers_and_refuses_a_changed_list(
        app, setting, enrolled, create_user):
    aid, trainees, _lead, moderator = _ready(app, setting, enrolled, create_user,
                                             ["Cara Hidden", "Dev Hidden"])
    page = text(moderator.get(f"/moderation/{aid}/release"))
    numbers = [work_of(app, t).candidate_number for t in trainees]
    assert all(n in page for n in numbers) and "Hidden" not in page.split("<main")[-1]
    shown = re.search(r'name="confirmed" value="([\d,]*)"', page).group(1)
    # A third piece becomes ready after the page was opened: the stale confirmation fails.
    late = enrolled(setting.cohort, name="Eli Late")
    late_client = trainee_client(app, late)
    play_to_the_end(late_client, aid)
    post(late_client, f"/assessments/{aid}/submit", {"declaration": "y"})
    stale = post(moderator, f"/moderation/{aid}/release", {"confirmed": shown})
    assert stale.status_code == 409 and "1 piece of work is not ready" in text(stale)
    assert count(app, Submission, Submission.state == "released") == 0


# --- second marking as promised ---------------------------------------------------------------

def _promised(page):
    return int(re.search(r"Second marking of the sample: (\d+) piece", page).group(1))


def test_second_marking_allocates_what_the_page_promised_and_never_agreed_work(
        app, setting, enrolled, create_user):
    aid = setting()
    trainees = [submit_work(app, setting, enrolled, aid, f"Trainee {n}")[0] for n in range(4)]
    first_marker, m1 = staff(app, create_user, "marker", name="First Marker")
    second_marker, _m2 = staff(app, create_user, "marker", name="Second Marker")
    _lead, moderator = staff(app, create_user, "moderator", name="Lead")
    post(moderator, f"/moderation/{aid}/allocate",
         {"markers": [first_marker.id], "role": "first"})
    works = [work_of(app, t) for t in trainees]
    for work in works[:3]:
        mark_as(m1, work.id, "first", "64")
    agreed = works[0]  # agreed before anyone second-marked it
    post(moderator, f"/moderation/{aid}/agree/{agreed.id}", {"mark": "78", "reason": ""})

    page = text(moderator.get(f"/moderation/{aid}"))
    assert _promised(page) == 2  # three first-marked, one of them already agreed
    promise = re.search(r'name="promised-second" value="([\d,]*)"', page).group(1)

    # The fourth first mark lands after the page was loaded: the old promise is refused.
    mark_as(m1, works[3].id, "first", "64")
    stale = post(moderator, f"/moderation/{aid}/allocate",
                 {"markers": [second_marker.id], "role": "second", "promised-second": promise})
    assert "has changed since the page was loaded: 3 pieces of work are waiting" in text(
        moderator.get(stale.headers["Location"]))
    assert count(app, Allocation, Allocation.role == "second") == 0

    page = text(moderator.get(f"/moderation/{aid}"))
    assert _promised(page) == 3
    promise = re.search(r'name="promised-second" value="([\d,]*)"', page).group(1)
    done = post(moderator, f"/moderation/{aid}/allocate",
                {"markers": [second_marker.id], "role": "second", "promised-second": promise})
    assert "3 pieces of work allocated." in text(moderator.get(done.headers["Location"]))
    with app.app_context():
        seconds = set(db.session.scalars(select(Allocation.submission_id).where(
            Allocation.role == "second")))
    assert seconds == {w.id for w in works[1:]} and agreed.id not in seconds
    assert _promised(text(moderator.get(f"/moderation/{aid}"))) == 0

    # Agreed work cannot be given out by hand either.
    by_hand = post(moderator, f"/moderation/{aid}/allocate/{agreed.id}",
                   {"marker": second_marker.id, "role": "second"})
    assert "has been agreed; it is not allocated again" in text(
        moderator.get(by_hand.headers["Location"]))
    assert count(app, Allocation, Allocation.submission_id == agreed.id) == 1  # first only


def test_one_piece_is_one_piece(app, setting, enrolled, create_user):
    aid = setting()
    submit_work(app, setting, enrolled, aid, "Only One")
    marker, _m = staff(app, create_user, "marker", name="Marker")
    _lead, moderator = staff(app, create_user, "moderator", name="Lead")
    assert "First marking of unallocated work: 1 piece of work" in text(
        moderator.get(f"/moderation/{aid}"))
    done = post(moderator, f"/moderation/{aid}/allocate", {"markers": [marker.id],
                                                           "role": "first"})
    assert "1 piece of work allocated." in text(moderator.get(done.headers["Location"]))


# --- overdue ----------------------------------------------------------------------------------

def test_work_not_started_after_the_deadline_is_shown_overdue(app, setting, enrolled):
    overdue = setting(deadline=noon_in(-3))
    upcoming = setting(deadline=noon_in(20), module="stalking")
    client = trainee_client(app, enrolled(setting.cohort, specialism="stalking"))
    page = text(client.get("/assessments"))
    rows = {title: row for row in page.split("<tr>")[2:]
            for title in ("foundations", "stalking") if f"({title})" in row}
    assert "Not started" in rows["foundations"] and "Overdue" in rows["foundations"]
    assert "Not started" in rows["stalking"] and "Overdue" not in rows["stalking"]
    page = text(client.get(f"/assessments/{overdue}"))
    assert "Overdue" in page and f"The deadline passed on {as_shown(noon_in(-3))}" in page
    assert "Overdue" not in text(client.get(f"/assessments/{upcoming}"))
    assert escape("Late work is still accepted") in page


def test_a_component_is_set_once_with_a_scenario_for_a_nation_marked_alike(
        app, client, setting, create_user):
    import copy

    from lms.courses.models import Module

    setting.cohort  # noqa: B018  (content synced, cohort made; nothing set yet)
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.slug == "modern-slavery"))
        version = module.current_version
        scenarios = copy.deepcopy(version.scenarios)
        scot = {**copy.deepcopy(scenarios["first-meeting"]), "slug": "glasgow",
                "title": "A first meeting in Glasgow"}
        unlike = {**copy.deepcopy(scot), "slug": "unlike", "title": "Weighted otherwise",
                  "weights": {"decisions": 20, "written": 80}}
        version.scenarios = {**scenarios, "glasgow": scot, "unlike": unlike}
        db.session.commit()
        version_id = version.id
    sign_in(client, create_user("moderator"))
    refused = _set_form(client, setting, day(noon_in(30)),
                        scenario_scotland=f"{version_id}:unlike")
    page = text(refused)
    assert refused.status_code == 422 and "is not marked like" in page
    assert "its [weights] differ" in page
    done = _set_form(client, setting, day(noon_in(30)), scenario_scotland=f"{version_id}:glasgow")
    assert done.status_code == 302
    with app.app_context():
        made = db.session.scalar(select(Assessment).order_by(Assessment.id.desc()))
        assert made.scenario_variants == {"scotland": "glasgow"}
        assert made.scenario_slug_for("scotland") == "glasgow"
        assert made.scenario_slug_for("england_wales") == "first-meeting"
