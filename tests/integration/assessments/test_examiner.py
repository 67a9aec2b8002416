"""The external examiner reads the work in the sample and writes a report; nothing else."""

import io
import re

from sqlalchemy import func, select

from lms.access import PUBLIC, SIGNED_IN, declared_access
from lms.assessments.models import Assessment, Attachment, ExaminerReport, Mark, Submission
from lms.audit.models import AuditEvent
from lms.auth.models import RoleGrant, User
from lms.courses.models import CheckAttempt
from lms.extensions import db
from lms.limits import EXAMINER_REPORT
from tests import filekit
from tests.conftest import outbox, sign_in
from tests.integration.assessments.test_marking import staff, work_of
from tests.integration.assessments.test_taking import post, text

JUSTIFICATION = "Independence first: Ana decides what happens next."
ANSWER = "## Plan\n\nMeet weekly and **go together** to the solicitor."
FILE_NAME = "ana-support-plan-final.pdf"
VERSION = re.compile(r'name="version" value="(\d+)"')


def hand_in(app, setting, enrolled, aid, name, *, attach=True):
    """A trainee works through the scenario, justifying the decision and attaching a file."""
    trainee = enrolled(setting.cohort, name=name)
    client = app.test_client()
    sign_in(client, trainee)
    post(client, f"/assessments/{aid}/scenario")
    post(client, f"/assessments/{aid}/scenario/decide",
         {"stage": "meet", "option": "a", "justification": JUSTIFICATION})
    data = {"stage": "plan", "answer": ANSWER, "action": "continue"}
    if attach:
        data["attachment"] = (io.BytesIO(filekit.pdf(text="Weekly plan")), FILE_NAME)
    post(client, f"/assessments/{aid}/scenario/answer", data, content_type="multipart/form-data")
    post(client, f"/assessments/{aid}/submit", {"declaration": "y"})
    return trainee


def mark(client, submission_id, role, value, feedback, overall):
    return post(client, f"/marking/{submission_id}/{role}", {
        "mark-C1": value, "feedback-C1": feedback, "overall": overall, "action": "complete"})


def attachment_of(app, submission_id):
    with app.app_context():
        return db.session.scalar(select(Attachment.id).where(
            Attachment.submission_id == submission_id))


def marked_twice_and_agreed(app, setting, enrolled, create_user, aid, name="Sam Example"):
    trainee = hand_in(app, setting, enrolled, aid, name)
    alpha, a = staff(app, create_user, "marker", name="Dr Alpha Marker")
    beta, b = staff(app, create_user, "marker", name="Dr Beta Marker")
    _lead, lead = staff(app, create_user, "moderator", name="Programme Lead")
    post(lead, f"/moderation/{aid}/allocate", {"markers": [alpha.id], "role": "first"})
    work = work_of(app, trainee)
    mark(a, work.id, "first", "64", "Alpha: independence explained well.",
         "Alpha overall: a careful plan.")
    post(lead, f"/moderation/{aid}/allocate", {"markers": [beta.id], "role": "second"})
    mark(b, work.id, "second", "66", "Beta: say more about the NRM.",
         "Beta overall: sound, needs the law.")
    post(lead, f"/moderation/{aid}/agree/{work.id}",
         {"mark": "79", "reason": "Markers agreed after discussion"})
    return trainee, work, lead


def test_the_examiner_reads_a_sample_script_with_both_markers_feedback(
        app, setting, enrolled, create_user):
    aid = setting()
    trainee, work, _lead = marked_twice_and_agreed(app, setting, enrolled, create_user, aid)
    _examiner, examiner = staff(app, create_user, "examiner", name="Professor External")

    sample = text(examiner.get(f"/moderation/{aid}/sample"))
    script_url = f"/moderation/{aid}/sample/{work.id}"
    assert f'href="{script_url}"' in sample
    assert "Dr Alpha Marker" in sample and "Dr Beta Marker" in sample
    page = text(examiner.get(script_url))
    # The work: path with the choice and its justification, the answer under its task.
    assert "Explain your independence" in page and JUSTIFICATION in page
    assert "Write a support plan." in page and "<strong>go together</strong>" in page
    # Both markers by name with their marks and feedback, per criterion and overall.
    for words in ("First marker: Dr Alpha Marker", "Second marker: Dr Beta Marker",
                  "Alpha: independence explained well.", "Beta: say more about the NRM.",
                  "Alpha overall: a careful plan.", "Beta overall: sound, needs the law.",
                  "First marker, Dr Alpha Marker: 64", "Second marker, Dr Beta Marker: 66"):
        assert words in page, words
    # Component marks (decisions 100 at 40%, written work at 60%) and the agreed mark.
    assert re.search(r"Component mark.*?<td>78.*?<td>80.*?<strong>79</strong>", page, re.S)
    assert "Agreed mark: <strong>79</strong>, recorded by Programme Lead." in page
    assert "Reason: Markers agreed after discussion" in page
    # The history in words.
    for words in ("submitted by the candidate",
                  "allocated to Dr Alpha Marker for first marking by Programme Lead",
                  "moved from submitted to in marking",
                  "first mark completed by Dr Alpha Marker: 78",
                  "allocated to Dr Beta Marker for second marking by Programme Lead",
                  "second mark completed by Dr Beta Marker: 80",
                  "mark agreed at 79 by Programme Lead (reason: Markers agreed after "
                  "discussion); moved from marked to moderated"):
        assert words in page, words
    # Anonymous: the candidate number, never the name, email or the file's own name.
    assert work.candidate_number in page
    for secret in ("Sam Example", trainee.email, FILE_NAME, "ana-support-plan"):
        assert secret not in page and secret not in sample, secret
    # The attached file: the cleaned copy, under a neutral name.
    attachment = attachment_of(app, work.id)
    assert f'href="/attachments/{attachment}"' in page and "File 1 (PDF," in page
    download = examiner.get(f"/attachments/{attachment}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    assert work.candidate_number in download.headers["Content-Disposition"]

    # Named marking shows the name (still never the email).
    with app.app_context():
        db.session.get(Assessment, aid).anonymous = False
        db.session.commit()
    page = text(examiner.get(script_url))
    assert "Sam Example" in page and trainee.email not in page and FILE_NAME not in page


def test_the_examiner_cannot_open_work_or_files_outside_the_sample(
        app, setting, enrolled, create_user):
    aid = setting()
    sampled = hand_in(app, setting, enrolled, aid, "In Sample")
    unmarked = hand_in(app, setting, enrolled, aid, "Not Yet Marked")
    marker, m = staff(app, create_user, "marker", name="Marker")
    _lead, lead = staff(app, create_user, "moderator", name="Lead")
    post(lead, f"/moderation/{aid}/allocate", {"markers": [marker.id], "role": "first"})
    inside, outside = work_of(app, sampled), work_of(app, unmarked)
    mark(m, inside.id, "first", "64", "Fine.", "Fine overall.")  # the other waits: no sample
    _examiner, examiner = staff(app, create_user, "examiner", name="External")

    assert examiner.get(f"/moderation/{aid}/sample/{inside.id}").status_code == 200
    assert examiner.get(f"/attachments/{attachment_of(app, inside.id)}").status_code == 200
    assert outside.candidate_number not in text(examiner.get(f"/moderation/{aid}/sample"))
    assert examiner.get(f"/moderation/{aid}/sample/{outside.id}").status_code == 404
    assert examiner.get(f"/attachments/{attachment_of(app, outside.id)}").status_code == 404
    # A piece is read under its own assessment only.
    other = setting(module="law")
    assert examiner.get(f"/moderation/{other}/sample/{inside.id}").status_code == 404
    # Moderators read any submitted work; a draft is nobody's to read here.
    assert lead.get(f"/moderation/{aid}/sample/{outside.id}").status_code == 200
    draft_owner = enrolled(setting.cohort, name="Drafting")
    drafting = app.test_client()
    sign_in(drafting, draft_owner)
    post(drafting, f"/assessments/{aid}/scenario")
    assert lead.get(f"/moderation/{aid}/sample/{work_of(app, draft_owner).id}").status_code == 404
    # Markers and trainees do not read the sample at all.
    assert m.get(f"/moderation/{aid}/sample/{inside.id}").status_code == 403
    assert drafting.get(f"/moderation/{aid}/sample/{inside.id}").status_code == 403


def reports(app):
    with app.app_context():
        return [(r.version, r.text) for r in db.session.scalars(
            select(ExaminerReport).order_by(ExaminerReport.version))]


def report_page_version(page: str) -> str:
    return VERSION.search(page).group(1)


def test_the_examiner_writes_a_report_that_moderators_read(app, setting, enrolled,
                                                           create_user):
    aid = setting()
    marked_twice_and_agreed(app, setting, enrolled, create_user, aid)
    examiner_user, examiner = staff(app, create_user, "examiner", name="Professor External")
    _second_lead, second_lead = staff(app, create_user, "moderator", name="Second Lead")
    url = f"/moderation/{aid}/report"
    page = text(examiner.get(f"/moderation/{aid}/sample"))
    assert "You have not submitted a report" in page and "Submit the report" in page
    assert "Up to 30,000 characters." in page

    empty = post(examiner, url, {"text": "   ", "version": "0"})
    assert empty.status_code == 422
    assert "Write your report before you submit it." in text(empty)
    too_long = "Sampling was fair. " + "x" * EXAMINER_REPORT
    refused = post(examiner, url, {"text": too_long, "version": "0"})
    body = text(refused)
    assert refused.status_code == 422 and "30,000 characters or fewer" in body
    assert too_long in body  # what was typed comes back
    assert reports(app) == []

    report = ("## Overview\n\nMarking was consistent. Candidate feedback named the law "
              "clearly.\n\n- Second marking agreed within tolerance")
    done = post(examiner, url, {"text": report, "version": "0"})
    assert done.status_code == 302 and done.headers["Location"].endswith("#reports")
    page = text(examiner.get(done.headers["Location"]))
    assert "Your report is submitted (version 1)" in page
    assert "Marking was consistent." in page and "Submit a revised report" in page
    assert reports(app) == [(1, report)]

    # Every moderator is told, with a link; the report itself stays on the platform.
    mail = [m for m in outbox(app) if m.subject.startswith("Examiner's report")]
    with app.app_context():
        moderators = set(db.session.scalars(select(User.email).join(
            RoleGrant, RoleGrant.user_id == User.id).where(RoleGrant.role == "moderator")))
    assert {m.recipient for m in mail} == moderators and len(mail) == len(moderators) == 2
    lead_mail = next(m for m in mail if m.recipient != _second_lead.email)
    assert lead_mail.subject == "Examiner's report: Scenario assessment (foundations)"
    site = app.config["EXTERNAL_URL"].rstrip("/")  # a browser test may have set its own
    assert lead_mail.body == (
        "Dear Programme Lead,\n\nProfessor External, external examiner, has submitted a report "
        "on Scenario assessment (foundations) for 2026/27 September intake.\n\nSign in to read "
        f"it with the moderation sample:\n{site}/moderation/{aid}/sample#reports\n\n"
        "The course team")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "examiner_report_submitted"))
        assert event.actor_id == examiner_user.id and event.after["version"] == 1

    # Moderators read it: a short section on the moderation page links to it.
    moderation = text(second_lead.get(f"/moderation/{aid}"))
    assert "Report by Professor External" in moderation and "version 1" in moderation
    assert f'href="/moderation/{aid}/sample#report-{examiner_user.id}"' in moderation
    sample = text(second_lead.get(f"/moderation/{aid}/sample"))
    assert "Marking was consistent." in sample and "Professor External" in sample
    assert "Submit the report" not in sample and "Submit a revised report" not in sample

    # Only examiners write reports.
    assert post(second_lead, url, {"text": "Mine", "version": "1"}).status_code == 403
    _marker, marker = staff(app, create_user, "marker", name="Some Marker")
    assert post(marker, url, {"text": "Mine", "version": "1"}).status_code == 403
    assert marker.get(f"/moderation/{aid}/sample").status_code == 403
    assert reports(app) == [(1, report)]


def test_a_stale_version_gives_a_conflict_that_keeps_both_texts(app, setting, enrolled,
                                                                 create_user):
    aid = setting()
    _lead, _lead_client = staff(app, create_user, "moderator", name="Lead")
    _examiner, examiner = staff(app, create_user, "examiner", name="External")
    url = f"/moderation/{aid}/report"
    first_tab = report_page_version(text(examiner.get(f"/moderation/{aid}/sample")))
    second_tab = first_tab
    assert first_tab == "0"
    assert post(examiner, url, {"text": "Text from the first tab.",
                                "version": first_tab}).status_code == 302
    clash = post(examiner, url, {"text": "Text from the second tab.", "version": second_tab})
    page = text(clash)
    assert clash.status_code == 409
    assert "has changed since you opened this page" in page
    assert "Text from the first tab." in page and "Text from the second tab." in page
    assert reports(app) == [(1, "Text from the first tab.")]
    # The page now carries the saved version, so the combined text goes in as version 2.
    assert report_page_version(page) == "1"
    combined = "Text from the first tab. Text from the second tab."
    assert post(examiner, url, {"text": combined, "version": "1"}).status_code == 302
    assert reports(app) == [(1, "Text from the first tab."), (2, combined)]
    revised = [m for m in outbox(app) if m.subject.startswith("Examiner's report revised")]
    assert len(revised) == 1 and "revised their report (version 2)" in revised[0].body
    page = text(examiner.get(f"/moderation/{aid}/sample"))
    assert "Earlier versions (1)" in page and "Version 1, submitted" in page
    # A version that is not a number is stale too, never a crash or a silent overwrite.
    junk = post(examiner, url, {"text": "Junk", "version": "1e9"})
    assert junk.status_code == 409 and len(reports(app)) == 2


def test_the_examiner_may_write_nothing_but_the_report(app, setting, enrolled, create_user):
    # Every POST route open to examiners, by declaration: the report, the account routes
    # every signed-in person has, and trying a lesson's knowledge check (stored for trainees
    # only).
    open_to_examiners = set()
    for rule in app.url_map.iter_rules():
        access = declared_access(app.view_functions[rule.endpoint]) or frozenset()
        if "POST" in rule.methods and access & {"examiner", SIGNED_IN, PUBLIC}:
            open_to_examiners.add(rule.endpoint)
    assert open_to_examiners == {
        "assessments.examiner_report", "courses.check",
        # Public, for whoever holds a single-use CPD confirmation link sent to them by name.
        "cpd.confirm",
        # Public: check one advocate by number and surname (throttled, changes nothing).
        "accreditation.public_check",
        "auth.sign_in", "auth.forgot_password", "auth.set_password", "auth.sign_out",
        "auth.change_own_password", "auth.sign_out_everywhere"}

    aid = setting()
    trainee, work, _lead = marked_twice_and_agreed(app, setting, enrolled, create_user, aid)
    _examiner, examiner = staff(app, create_user, "examiner", name="External")
    before = marks_on_record(app)
    for url, data in ((f"/moderation/{aid}/agree/{work.id}", {"mark": "40", "reason": "x"}),
                      (f"/marking/{work.id}/first", {"mark-C1": "10", "action": "save"}),
                      (f"/marking/{work.id}/second", {"mark-C1": "10", "action": "save"}),
                      (f"/moderation/{aid}/allocate", {"markers": [1], "role": "first"}),
                      (f"/moderation/{aid}/approve", {}),
                      (f"/moderation/{aid}/release", {}),
                      (f"/moderation/{aid}/resit/{work.id}", {"reason": "x"}),
                      (f"/assessments/{aid}/scenario/answer", {"stage": "plan"})):
        assert post(examiner, url, data).status_code == 403, url
    assert marks_on_record(app) == before
    # Trying a knowledge check marks the answers on the page and stores nothing.
    tried = post(examiner, "/modules/foundations/lesson-1/check", {"q0": "1"})
    assert tried.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(CheckAttempt.id))) == 0


def marks_on_record(app):
    with app.app_context():
        return sorted((m.role, m.mark, m.final_mark, m.status) for m in db.session.scalars(
            select(Mark))), [s.state for s in db.session.scalars(select(Submission))]


def test_two_saves_racing_for_one_version_give_a_conflict(app, setting, create_user,
                                                          monkeypatch):
    from lms.assessments import reports as service

    aid = setting()
    _examiner, examiner = staff(app, create_user, "examiner", name="External")
    url = f"/moderation/{aid}/report"
    assert post(examiner, url, {"text": "Saved first.", "version": "0"}).status_code == 302
    # The other save reads the version before this one commits: the unique version refuses it.
    monkeypatch.setattr(service, "current_report", lambda *args: None)
    raced = post(examiner, url, {"text": "Saved second.", "version": "0"})
    assert raced.status_code == 409
    assert "Saved first." in text(raced) and "Saved second." in text(raced)
    assert reports(app) == [(1, "Saved first.")]
