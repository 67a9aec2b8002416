"""Staff security: the audit log, self-granted roles, examiner downloads, allocation, marks, CSV."""

import csv
import hashlib
import io
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from lms.assessments.models import Allocation, Assessment, Attachment, Mark, Submission
from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.extensions import db
from tests import filekit
from tests.conftest import outbox, post_form, sign_in
from tests.integration.assessments.conftest import enrolled, setting
from tests.integration.assessments.test_marking import mark_as, staff, submit_work, work_of
from tests.integration.assessments.test_taking import post, text

SHARED_FIXTURES = (enrolled, setting)  # the assessment kit, shared with this file


# --- helpers -------------------------------------------------------------------------------


def make_work(app, aid, author_id, *, state="submitted"):
    """Add a piece of submitted work straight to the database; return its id."""
    with app.app_context():
        work = Submission(assessment_id=aid, user_id=author_id, path=[], answers={},
                          candidate_number=f"C{author_id:07d}", state=state,
                          submitted_at=datetime(2027, 1, 10, tzinfo=UTC), reference="R",
                          content_hash="0" * 64)
        db.session.add(work)
        db.session.commit()
        return work.id


def attach(app, work_id, owner_id):
    with app.app_context():
        data = filekit.pdf()
        found = Attachment(owner_id=owner_id, submission_id=work_id, filename="plan.pdf",
                           content_type="application/pdf", size=len(data),
                           sha256=hashlib.sha256(data).hexdigest(), data=data)
        db.session.add(found)
        db.session.commit()
        return found.id


def complete_first_mark(app, work_id, marker_id, mark):
    with app.app_context():
        db.session.add(Mark(submission_id=work_id, marker_id=marker_id, role="first",
                            status="complete", mark=mark, written_mark=mark,
                            criterion_marks={"C1": mark}, criterion_feedback={}))
        db.session.get(Submission, work_id).state = "marked"
        db.session.commit()


def audit_events(app, action):
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                       .order_by(AuditEvent.id)))


def roles_of(app, user_id):
    with app.app_context():
        return set(db.session.get(User, user_id).roles)


# --- 1. the audit log: marking events are for moderators -----------------------------------

@pytest.fixture
def mixed_events(app, create_user):
    """One event of each kind: accounts, organisations, cohorts, security, and marking."""
    trainee = create_user("trainee", name="Tamsin Trainee")
    rows = [
        ("roles_changed", "User", trainee.id, {"after": {"roles": ["trainee"]}}),
        ("sign_in_failed", None, None, {"detail": "nobody@example.org"}),
        ("organisation_created", "HostOrganisation", 1, {"after": {"name": "Northbridge"}}),
        ("cohort_created", "Cohort", 1, {"after": {"name": "2026/27 intake"}}),
        ("mark_saved", "Submission", 41, {"after": {"mark": 64}, "detail": "first"}),
        ("submission_submitted", "Submission", 41, {"after": {"reference": "REF-TAMSIN"}}),
        ("extension_decided", "Extension", 42, {"reason": "Mitigating: a hospital stay"}),
        ("resit_granted", "Submission", 43, {"after": {"mitigating": True}}),
    ]
    with app.app_context():
        db.session.add_all([AuditEvent(action=action, subject_type=kind, subject_id=sid, **more)
                            for action, kind, sid, more in rows])
        db.session.commit()
    return trainee


MARKING_TEXT = ("mark saved", "REF-TAMSIN", "a hospital stay", "submission submitted",
                "resit granted")
ACCOUNT_TEXT = ("roles changed", "sign in failed", "organisation created", "cohort created")


def test_an_admin_who_is_not_a_moderator_sees_only_account_events(app, create_user,
                                                                 mixed_events):
    _admin, client = staff(app, create_user, "admin", name="Ada Admin")
    page = text(client.get("/admin/audit"))
    for shown in ACCOUNT_TEXT:
        assert shown in page
    for hidden in MARKING_TEXT:
        assert hidden not in page
    # The filter lists only what the viewer may see, and asking for more gets nothing.
    assert 'value="mark_saved"' not in page and 'value="roles_changed"' in page
    page = text(client.get("/admin/audit?action=extension_decided"))
    assert "a hospital stay" not in page and "No events match." in page


def test_moderators_see_every_event_in_the_audit_log(app, create_user, mixed_events):
    for roles in (("moderator",), ("admin", "moderator")):
        _lead, client = staff(app, create_user, *roles, name="Programme Lead")
        page = text(client.get("/admin/audit"))
        for shown in MARKING_TEXT + ACCOUNT_TEXT:
            assert shown in page, (roles, shown)
        assert 'value="mark_saved"' in page


def test_the_audit_query_and_the_named_rule_agree(app, create_user, mixed_events):
    from lms.audit.visibility import visible_to

    _admin, client = staff(app, create_user, "admin", name="Ada Admin")
    with app.app_context():
        events = db.session.scalars(select(AuditEvent)).all()
    page = text(client.get("/admin/audit"))
    for event in events:
        if event.action in ("signed_in",):  # the admin's own sign-in
            continue
        label = event.action.replace("_", " ")
        assert (label in page) is visible_to({"admin"}, event.subject_type, event.action), label


# --- 2. nobody grants roles to themselves ---------------------------------------------------

@pytest.mark.parametrize(("own", "wanted"), [
    (("admin",), ["admin", "moderator"]),
    (("admin",), ["admin", "marker"]),
    (("admin", "marker"), ["admin"]),
    (("moderator",), ["moderator", "examiner"]),
])
def test_nobody_changes_their_own_roles(app, client, create_user, own, wanted):
    me = create_user(*own)
    sign_in(client, me)
    response = post_form(client, f"/admin/users/{me.id}/roles",
                         {"roles": wanted, "reason": "I need to see the marking"})
    assert response.status_code == 403
    page = text(response)
    assert "There is a problem" in page and "You cannot change your own roles" in page
    assert roles_of(app, me.id) == set(own)
    assert audit_events(app, "roles_changed") == []


def test_a_refused_grant_says_why_and_keeps_the_reason_typed(app, client, create_user):
    target = create_user("trainee")
    sign_in(client, create_user("moderator"))
    response = post_form(client, f"/admin/users/{target.id}/roles",
                         {"roles": ["trainee", "admin"], "reason": "runs the platform now"})
    assert response.status_code == 403
    page = text(response)
    assert "You cannot grant or remove these roles: Platform admin." in page
    assert 'value="runs the platform now"' in page
    assert roles_of(app, target.id) == {"trainee"}


def test_the_roles_form_is_closed_on_your_own_page(client, create_user):
    me = create_user("admin")
    sign_in(client, me)
    page = text(client.get(f"/admin/users/{me.id}"))
    assert "You cannot change your own roles" in page
    boxes = re.findall(r'<input[^>]*name="roles"[^>]*>', page)
    assert boxes and all("disabled" in box for box in boxes)


def test_granting_a_marking_role_tells_every_moderator_and_is_audited(app, client,
                                                                      create_user):
    lead_one = create_user("moderator", email="lead.one@example.org")
    lead_two = create_user("moderator", "admin", email="lead.two@example.org")
    create_user("moderator", email="former.lead@example.org", active=False)
    target = create_user("trainee", name="Nia Newmarker")
    admin = create_user("admin", name="Ada Admin")
    sign_in(client, admin)
    response = post_form(client, f"/admin/users/{target.id}/roles",
                         {"roles": ["trainee", "marker"], "reason": "joins the marking team"})
    assert response.status_code == 302
    mails = [m for m in outbox(app) if "role" in m.subject.lower()]
    assert sorted(m.recipient for m in mails) == [lead_one.email, lead_two.email]
    assert all("Nia Newmarker" in m.body and "Marker" in m.body and "Ada Admin" in m.body
               and "joins the marking team" in m.body for m in mails)
    [event] = audit_events(app, "roles_changed")
    assert event.before == {"roles": ["trainee"]}
    assert event.after == {"roles": ["marker", "trainee"]}
    assert event.actor_id == admin.id and event.reason == "joins the marking team"

    # Taking a role away, or granting one that opens no marking, tells no one.
    post_form(client, f"/admin/users/{target.id}/roles", {"roles": ["trainee", "org_admin"]})
    assert len([m for m in outbox(app) if "role" in m.subject.lower()]) == 2


def test_a_new_account_with_a_marking_role_tells_every_moderator(app, client, create_user):
    lead = create_user("moderator", email="lead@example.org")
    sign_in(client, create_user("admin"))
    response = post_form(client, "/admin/users/new", {
        "name": "Erin Examiner", "email": "erin@example.org", "roles": ["examiner"]})
    assert response.status_code == 302
    [mail] = [m for m in outbox(app) if m.recipient == lead.email]
    assert "Erin Examiner" in mail.body and "External examiner" in mail.body


# --- 3. examiners download only the moderation sample ---------------------------------------

def test_the_examiner_downloads_only_attachments_in_the_sample(app, setting, create_user):
    aid = setting()
    marker = create_user("marker")
    sampled, unsampled = create_user("trainee"), create_user("trainee")
    in_sample = make_work(app, aid, sampled.id)
    not_marked = make_work(app, aid, unsampled.id)
    complete_first_mark(app, in_sample, marker.id, 35)
    sampled_file, other_file = attach(app, in_sample, sampled.id), attach(app, not_marked,
                                                                          unsampled.id)
    _examiner, examiner = staff(app, create_user, "examiner", name="External")
    # 404 is "not for you"; a file for you is served, or withheld (409) if it has no clean copy.
    assert examiner.get(f"/attachments/{sampled_file}").status_code != 404
    assert examiner.get(f"/attachments/{other_file}").status_code == 404
    _lead, lead = staff(app, create_user, "moderator", name="Lead")
    assert lead.get(f"/attachments/{other_file}").status_code != 404  # moderators see all

    with app.app_context():  # no second marking: no sample, nothing for the examiner
        db.session.get(Assessment, aid).second_marking = "none"
        db.session.commit()
    assert examiner.get(f"/attachments/{sampled_file}").status_code == 404


# --- 4. allocation only to markers, never the author ----------------------------------------

@pytest.fixture
def allocation_setting(app, setting, create_user):
    aid = setting()
    author = create_user("trainee", "marker", name="Marker Who Also Trains")
    work_id = make_work(app, aid, author.id)
    _lead, lead = staff(app, create_user, "moderator", name="Lead")
    return aid, work_id, author, lead


@pytest.mark.parametrize("who", ["author", "examiner", "trainee", "inactive", "nobody",
                                 "letters", "blank", "huge"])
def test_work_is_allocated_only_to_active_markers_other_than_the_author(
        app, create_user, allocation_setting, who):
    aid, work_id, author, lead = allocation_setting
    people = {"author": author.id, "examiner": create_user("examiner").id,
              "trainee": create_user("trainee").id,
              "inactive": create_user("marker", active=False).id, "nobody": 999_999,
              "letters": "abc", "blank": "", "huge": "99999999999999999999"}
    for url, data in ((f"/moderation/{aid}/allocate/{work_id}", {"marker": people[who]}),
                      (f"/moderation/{aid}/allocate", {"markers": [people[who]]})):
        response = post(lead, url, data)
        assert response.status_code == 302, (url, response.status_code)
        page = text(lead.get(response.headers["Location"]))
        assert "Choose a marker" in page or "cannot mark this work" in page, url
    with app.app_context():
        assert db.session.scalar(select(func.count(Allocation.id))) == 0
        assert db.session.get(Submission, work_id).state == "submitted"


def test_sharing_work_never_gives_markers_their_own(app, create_user, allocation_setting):
    aid, work_id, author, lead = allocation_setting
    colleague = create_user("marker", name="Colleague")
    response = post(lead, f"/moderation/{aid}/allocate", {"markers": [author.id, colleague.id]})
    assert "1 piece of work allocated." in text(lead.get(response.headers["Location"]))
    with app.app_context():
        assert db.session.scalar(select(Allocation.marker_id)) == colleague.id


def test_a_moderator_may_be_allocated(app, create_user, allocation_setting):
    aid, work_id, _author, lead = allocation_setting
    second_lead = create_user("moderator")
    response = post(lead, f"/moderation/{aid}/allocate/{work_id}", {"marker": second_lead.id})
    assert "Allocation saved." in text(lead.get(response.headers["Location"]))


# --- 5. a mark belongs to whoever made it; a new marker starts blind ------------------------

def test_reallocation_keeps_the_old_mark_and_the_new_marker_starts_blind(
        app, setting, enrolled, create_user):
    aid = setting()
    trainee, _ = submit_work(app, setting, enrolled, aid, "Rhiannon Reallocated")
    work = work_of(app, trainee)
    first, a = staff(app, create_user, "marker", name="Marker Alpha")
    second, b = staff(app, create_user, "marker", name="Marker Beta")
    _lead, lead = staff(app, create_user, "moderator", name="Lead")
    post(lead, f"/moderation/{aid}/allocate/{work.id}", {"marker": first.id, "role": "first"})
    mark_as(a, work.id, "first", "40", complete=False, overall="Alpha's private draft.")

    post(lead, f"/moderation/{aid}/allocate/{work.id}", {"marker": second.id, "role": "first"})
    assert a.get(f"/marking/{work.id}/first").status_code == 403
    page = text(b.get(f"/marking/{work.id}/first"))
    assert "Alpha's private draft." not in page and 'value="40"' not in page
    mark_as(b, work.id, "first", "72", overall="Beta's own feedback.")

    with app.app_context():
        marks = db.session.scalars(select(Mark).where(Mark.submission_id == work.id)
                                   .order_by(Mark.id)).all()
        assert [(m.marker_id, m.overall_feedback, m.superseded_at is not None)
                for m in marks] == [(first.id, "Alpha's private draft.", True),
                                    (second.id, "Beta's own feedback.", False)]
    [event] = audit_events(app, "reallocated")
    assert event.before["marker_id"] == first.id and event.after["marker_id"] == second.id
    assert event.after["role"] == "first"

    moderation = text(lead.get(f"/moderation/{aid}"))
    assert "Marker Beta" in moderation and "Alpha's private draft." not in moderation
    response = post(lead, f"/moderation/{aid}/agree/{work.id}", {"mark": "83", "reason": ""})
    assert "Mark agreed" in text(lead.get(response.headers["Location"]))
    with app.app_context():
        agreed = db.session.scalar(select(Mark).where(Mark.role == "agreed"))
        assert agreed.criterion_marks == {"C1": 72}


def test_the_database_keeps_one_mark_in_force_per_role(app, setting, create_user):
    from sqlalchemy.exc import IntegrityError

    from lms.db import utcnow

    aid = setting()
    one, two = create_user("marker"), create_user("marker")
    work_id = make_work(app, aid, create_user("trainee").id, state="in_marking")
    with app.app_context():
        db.session.add_all([
            Mark(submission_id=work_id, marker_id=one.id, role="first", superseded_at=utcnow()),
            Mark(submission_id=work_id, marker_id=two.id, role="first")])
        db.session.commit()  # a retired mark stays beside the one in force
        db.session.add(Mark(submission_id=work_id, marker_id=one.id, role="first"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


# --- 6. CSV exports cannot carry formulas ---------------------------------------------------

def test_the_marks_export_neutralises_formulas(app, setting, enrolled, create_user):
    aid = setting()
    trainee, _ = submit_work(app, setting, enrolled, aid, '=HYPERLINK("http://x","y")')
    marker, m = staff(app, create_user, "marker", name="Marker")
    _lead, lead = staff(app, create_user, "moderator", name="Lead")
    post(lead, f"/moderation/{aid}/allocate", {"markers": [marker.id], "role": "first"})
    work = work_of(app, trainee)
    mark_as(m, work.id, "first", "72")
    post(lead, f"/moderation/{aid}/agree/{work.id}", {"mark": "90", "reason": "@SUM(1+1)"})
    [row] = csv.DictReader(io.StringIO(text(lead.get(f"/moderation/{aid}/marks.csv"))))
    assert row["name"] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert row["reason"] == "'@SUM(1+1)" and row["agreed_mark"] == "90"
