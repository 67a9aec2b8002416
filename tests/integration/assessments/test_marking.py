import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from lms.assessments.models import Allocation, Mark, Submission
from lms.extensions import db
from tests.clock import freeze_submission_clock, noon_in
from tests.conftest import csrf_token, outbox, sign_in
from tests.integration.assessments.test_taking import play_to_the_end, post, text


def submit_work(app, setting, enrolled, aid, name):
    trainee = enrolled(setting.cohort, name=name)
    client = app.test_client()
    sign_in(client, trainee)
    play_to_the_end(client, aid)
    post(client, f"/assessments/{aid}/submit", {"declaration": "y"})
    return trainee, client


def mark_as(client, submission_id, role, marks, complete=True, overall="Clear and careful."):
    data = {"mark-C1": marks, "feedback-C1": "Independence explained well.", "overall": overall,
            "action": "complete" if complete else "save"}
    return post(client, f"/marking/{submission_id}/{role}", data)


def staff(app, create_user, *roles, name):
    user = create_user(*roles, name=name)
    client = app.test_client()
    sign_in(client, user)
    return user, client


def release_all(client, aid):
    """Release as a moderator does: open the confirmation, then confirm what it lists."""
    page = text(client.get(f"/moderation/{aid}/release"))
    confirmed = re.search(r'name="confirmed" value="([\d,]*)"', page)
    assert confirmed, "no release confirmation on the page"
    return post(client, f"/moderation/{aid}/release", {"confirmed": confirmed.group(1)})


def work_of(app, trainee):
    with app.app_context():
        return db.session.scalar(select(Submission).where(Submission.user_id == trainee.id))


def test_the_whole_marking_cycle_without_leaks(app, setting, enrolled, create_user):
    aid = setting()
    ana, ana_client = submit_work(app, setting, enrolled, aid, "Ana Pereira")
    ben, ben_client = submit_work(app, setting, enrolled, aid, "Ben Okafor")
    marker_a, a = staff(app, create_user, "marker", name="Marker Alpha")
    marker_b, b = staff(app, create_user, "marker", name="Marker Beta")
    lead, moderator = staff(app, create_user, "moderator", name="Programme Lead")

    post(moderator, f"/moderation/{aid}/allocate",
         {"markers": [marker_a.id, marker_b.id], "role": "first"})
    with app.app_context():
        firsts = dict(db.session.execute(select(Allocation.submission_id, Allocation.marker_id)
                                         .where(Allocation.role == "first")).all())
    assert sorted(firsts.values()) == sorted([marker_a.id, marker_b.id])
    ana_work, ben_work = work_of(app, ana), work_of(app, ben)
    a_sub = next(s for s, m in firsts.items() if m == marker_a.id)
    b_sub = next(s for s, m in firsts.items() if m == marker_b.id)

    # Anonymous marking: candidate numbers, never names or emails, on the marker's pages.
    for page in (text(a.get("/marking")), text(a.get(f"/marking/{a_sub}/first"))):
        assert "Ana Pereira" not in page and "Ben Okafor" not in page
        assert "@example.org" not in page.split("<footer")[0].replace(marker_a.email, "")
    assert a.get(f"/marking/{b_sub}/first").status_code == 403

    assert "Mark as complete" in text(a.get(f"/marking/{a_sub}/first"))
    refused = mark_as(a, a_sub, "first", "", complete=True)
    assert refused.status_code == 422
    assert "Give a mark for Independence to mark this as complete." in text(refused)
    mark_as(a, a_sub, "first", "64", complete=False)
    mark_as(a, a_sub, "first", "64")
    mark_as(b, b_sub, "first", "48")
    assert "You have marked this as complete" in text(a.get(f"/marking/{a_sub}/first"))

    # Nothing reaches the trainees before release: not the page, not the mail.
    for client in (ana_client, ben_client):
        page = text(client.get(f"/assessments/{aid}"))
        assert "Your mark and feedback" not in page and "Clear and careful" not in page
    first_marks = {sid: component(app, sid, "first") for sid in (a_sub, b_sub)}
    # Links are left out: an id in an address may happen to equal a mark.
    bodies = [re.sub(r"https?://\S+", "", m.body) for m in outbox(app)]
    assert not any(re.search(rf"\b({first_marks[a_sub]}|{first_marks[b_sub]})\b", body)
                   for body in bodies)

    # Second marking: with two pieces of work the sample (at least 5) is everything.
    post(moderator, f"/moderation/{aid}/allocate",
         {"markers": [marker_a.id, marker_b.id], "role": "second"})
    with app.app_context():
        seconds = dict(db.session.execute(select(Allocation.submission_id, Allocation.marker_id)
                                          .where(Allocation.role == "second")).all())
    assert seconds[a_sub] == marker_b.id and seconds[b_sub] == marker_a.id
    assert "64" not in text(b.get(f"/marking/{a_sub}/second")).split("Your marks")[1]  # blind
    mark_as(b, a_sub, "second", "66")
    mark_as(a, b_sub, "second", "70")            # differs from 48 by more than 10

    # Component marks combine the decisions (100: the recommended path) and the written work.
    assert (component(app, a_sub, "first"), component(app, a_sub, "second")) == (78, 80)
    assert (component(app, b_sub, "first"), component(app, b_sub, "second")) == (69, 82)
    page = text(moderator.get(f"/moderation/{aid}"))
    assert "Differ by 13" in page
    flagged = post(moderator, f"/moderation/{aid}/agree/{b_sub}", {"mark": "59", "reason": ""})
    assert "Give a reason" in text(moderator.get(flagged.headers["Location"]))
    post(moderator, f"/moderation/{aid}/agree/{b_sub}",
         {"mark": "59", "reason": "Discussed: strong plan, weaker on law."})
    post(moderator, f"/moderation/{aid}/agree/{a_sub}", {"mark": "79", "reason": ""})  # mean

    assert "Waiting: 2 pieces of work." in text(moderator.get(f"/moderation/{aid}"))
    blocked = moderator.get(f"/moderation/{aid}/release")
    assert "2 pieces of work are not ready for release" in text(blocked)
    assert 'name="confirmed"' not in text(blocked)  # nothing to confirm yet
    post(moderator, f"/moderation/{aid}/approve")
    release_all(moderator, aid)
    page = text(moderator.get(f"/moderation/{aid}"))
    assert "Marks were released on" in page and "No submitted work is waiting" in page
    assert "Release marks to the cohort" not in page  # nothing left to release

    marks_by_sub = {a_sub: 79, b_sub: 59}
    for client, work in ((ana_client, ana_work), (ben_client, ben_work)):
        page = text(client.get(f"/assessments/{aid}"))
        mark = marks_by_sub[work.id]
        assert f"Mark: <strong>{mark}</strong>" in page
        assert "Independence explained well." in page and "the path taken beside" in page
    released = [m for m in outbox(app) if m.subject.startswith("Feedback released")]
    # The mark is not in the email (links left out: an id in an address may equal a mark).
    assert len(released) == 2 and not any(
        re.search(r"\b(59|79)\b", re.sub(r"https?://\S+", "", m.body)) for m in released)

    # After release a mark changes only through a recorded amendment with a reason.
    amend = post(moderator, f"/moderation/{aid}/agree/{a_sub}", {"mark": "67", "reason": ""})
    assert "already released" in text(moderator.get(amend.headers["Location"]))
    post(moderator, f"/moderation/{aid}/agree/{a_sub}",
         {"mark": "67", "reason": "Arithmetic error found by the examiner."})
    audit = text(moderator.get("/admin/audit?action=mark_amended"))
    assert "Arithmetic error found by the examiner." in audit
    # Marking events are for moderators: a platform admin's audit log leaves them out.
    audit = text(sign_in_admin(app, create_user).get("/admin/audit?action=mark_amended"))
    assert "Arithmetic error found by the examiner." not in audit


def component(app, submission_id, role):
    with app.app_context():
        return db.session.scalar(select(Mark.mark).where(Mark.submission_id == submission_id,
                                                          Mark.role == role))


def sign_in_admin(app, create_user):
    _user, client = staff(app, create_user, "admin", name="Ada Admin")
    return client


@pytest.mark.parametrize("late_by, final", [
    (timedelta(days=4), 50),    # Thursday 12:00 to Monday 12:00: 2 working days, capped
    (timedelta(days=11), 0),    # 7 working days: beyond the 5-day window, no extension
])
def test_late_work_is_capped_at_agreement_and_exports_list_agreed_marks(
        app, setting, enrolled, create_user, monkeypatch, late_by, final):
    deadline = datetime(2026, 11, 19, 12, tzinfo=UTC)  # a Thursday
    aid = setting(deadline=deadline)
    freeze_submission_clock(monkeypatch, deadline + late_by)
    trainee, _client = submit_work(app, setting, enrolled, aid, "Late Larkin")
    marker, m = staff(app, create_user, "marker", name="Marker")
    _lead, moderator = staff(app, create_user, "moderator", name="Lead")
    post(moderator, f"/moderation/{aid}/allocate", {"markers": [marker.id], "role": "first"})
    work = work_of(app, trainee)
    mark_as(m, work.id, "first", "72")
    assert component(app, work.id, "first") == 83   # 40% decisions at 100, 60% written at 72
    post(moderator, f"/moderation/{aid}/agree/{work.id}", {"mark": "83", "reason": ""})
    with app.app_context():
        agreed = db.session.scalar(select(Mark).where(Mark.role == "agreed"))
    assert (agreed.mark, agreed.final_mark) == (83, final)
    assert ("capped at 50" if final else "beyond") in agreed.reason
    rows = list(csv.DictReader(io.StringIO(text(moderator.get(f"/moderation/{aid}/marks.csv")))))
    assert rows[0]["name"] == "Late Larkin" and rows[0]["agreed_mark"] == "83"
    assert m.get(f"/moderation/{aid}/marks.csv").status_code == 403


def test_examiners_read_the_sample_but_change_nothing(app, setting, enrolled, create_user):
    aid = setting()
    trainee, _ = submit_work(app, setting, enrolled, aid, "Sam Example")
    marker, m = staff(app, create_user, "marker", name="Marker")
    _lead, moderator = staff(app, create_user, "moderator", name="Lead")
    post(moderator, f"/moderation/{aid}/allocate", {"markers": [marker.id], "role": "first"})
    work = work_of(app, trainee)
    mark_as(m, work.id, "first", "35", overall="Needs more on independence.")
    _examiner, examiner = staff(app, create_user, "examiner", name="External")
    assert work.candidate_number in text(examiner.get(f"/moderation/{aid}/sample"))
    page = text(examiner.get(f"/moderation/{aid}/sample/{work.id}"))  # the script itself
    assert work.candidate_number in page and "Needs more on independence." in page
    assert "mark completed" in page and "Sam Example" not in page
    assert examiner.get(f"/moderation/{aid}").status_code == 403
    response = examiner.post(f"/moderation/{aid}/agree/{work.id}", data={
        "mark": "80", "reason": "x", "csrf_token": csrf_token(examiner, "/")})
    assert response.status_code == 403


def test_a_platform_admin_cannot_read_trainees_work(app, setting, enrolled, create_user):
    """Work is confidential to the trainee, their markers and moderators (DOMAIN.md)."""
    aid = setting()
    trainee = enrolled(setting.cohort, name="Cai Confidential")
    trainee_client = app.test_client()
    sign_in(trainee_client, trainee)
    until = (noon_in(60) + timedelta(days=7)).date().isoformat()  # asked before submitting
    post(trainee_client, f"/assessments/{aid}/extension",
         {"until": until, "reason": "A hospital stay"})
    play_to_the_end(trainee_client, aid)
    post(trainee_client, f"/assessments/{aid}/submit", {"declaration": "y"})
    work = work_of(app, trainee)
    admin = sign_in_admin(app, create_user)
    for path in ("/marking", f"/marking/{work.id}/first", "/staff/assessments",
                 f"/moderation/{aid}", f"/moderation/{aid}/sample",
                 f"/moderation/{aid}/extensions", f"/moderation/{aid}/marks.csv"):
        assert admin.get(path).status_code == 403, path
    home = text(admin.get("/"))
    assert "Marking" not in home and "Cai Confidential" not in home
    # The same person given the moderator role can do the moderator's work.
    _lead, lead = staff(app, create_user, "admin", "moderator", name="Lead and admin")
    assert lead.get(f"/moderation/{aid}").status_code == 200
    assert "A hospital stay" in text(lead.get(f"/moderation/{aid}/extensions"))
