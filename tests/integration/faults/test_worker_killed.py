"""A gunicorn worker killed (SIGKILL) in the middle of a write loses nothing and leaves nothing
half-written: the submission, the mark or the CPD entry is there whole or not at all, the saved
draft survives, and gunicorn's new worker serves the same person again."""

import json
import os
import re
import signal
import threading
import time

import pytest
from sqlalchemy import func, select

from lms.assessments.models import Attachment, Mark, Submission
from lms.assessments.services import content_hash
from lms.audit.models import AuditEvent
from lms.cpd.models import CpdEntry, CpdEvidence
from lms.extensions import db
from lms.mail.models import OutboxMessage
from tests import filekit
from tests.integration.assessments.test_marking import mark_as, staff, submit_work
from tests.integration.assessments.test_taking import play_to_the_end, post
from tests.integration.cpd.conftest import entry_form, post_entry
from tests.serverkit import Browser


def killed_while_posting(server, browser, path, form, *, statement, moment, files=None):
    """Post a form (with `files`, as multipart) and SIGKILL the worker at `moment` of the
    transaction that runs `statement`; check the browser got no answer and a new worker
    serves; return its pid."""
    caught = server.trap / "caught"
    caught.unlink(missing_ok=True)
    (server.trap / "armed").write_text(json.dumps({"statement": statement, "moment": moment}))
    outcome = {}

    def send():
        try:
            outcome["response"] = browser.post(path, form, files)
        except OSError as error:  # the connection dies with the worker
            outcome["error"] = error

    thread = threading.Thread(target=send)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not caught.exists() and time.monotonic() < deadline and thread.is_alive():
            time.sleep(0.02)
        assert caught.exists(), f"the worker never reached the trap: {outcome}"
        killed = int(caught.read_text())
        os.kill(killed, signal.SIGKILL)
    finally:
        thread.join(30)
        (server.trap / "armed").unlink(missing_ok=True)
    assert "error" in outcome, f"the killed request was answered: {outcome}"
    replacement = server.wait_for_worker(not_pid=killed)
    assert replacement != killed
    return replacement


def audited(app, action: str, subject_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == action, AuditEvent.subject_id == subject_id))


def receipts_to(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.recipient == email, OutboxMessage.subject.startswith("Receipt:")))


def work_of(app, trainee) -> Submission:
    with app.app_context():
        work = db.session.scalar(select(Submission).where(Submission.user_id == trainee.id))
        db.session.expunge(work)
        return work


def assert_submitted_whole(app, trainee, draft: Submission) -> None:
    work = work_of(app, trainee)
    assert work.state == "submitted" and work.submitted_at and work.declaration_at
    assert (work.path, work.answers) == (draft.path, draft.answers)
    assert work.reference and work.content_hash == content_hash(draft, [])
    assert audited(app, "submission_submitted", work.id) == 1
    assert receipts_to(app, trainee.email) == 1


@pytest.mark.parametrize("moment", ["before-commit", "after-commit"])
def test_a_submission_cut_off_by_a_killed_worker_is_whole_or_still_the_saved_draft(
        app, server, setting, enrolled, moment):
    aid = setting()
    trainee = enrolled(setting.cohort, name="Tamsin Reade")
    client = app.test_client()
    from tests.conftest import sign_in

    sign_in(client, trainee)
    play_to_the_end(client, aid)  # decisions made, the plan written and saved
    draft = work_of(app, trainee)
    assert draft.state == "draft" and draft.answers == {"plan": "## Plan\n\nMeet weekly."}

    browser = Browser(server.port)
    browser.sign_in(trainee)
    review = f"/assessments/{aid}/submit"
    killed_while_posting(server, browser, review,
                         {"declaration": "y", "csrf_token": browser.token(review)},
                         statement="UPDATE submissions", moment=moment)

    if moment == "before-commit":
        # Not at all: still the draft, every saved word and decision, and no receipt.
        work = work_of(app, trainee)
        assert (work.state, work.submitted_at, work.reference, work.content_hash) == (
            "draft", None, None, None)
        assert (work.path, work.answers, work.version) == (draft.path, draft.answers,
                                                           draft.version)
        assert audited(app, "submission_submitted", work.id) == 0
        assert receipts_to(app, trainee.email) == 0
        # The new worker takes the same submission, from the same browser.
        again = browser.post(review, {"declaration": "y", "csrf_token": browser.token(review)})
        assert again.status == 302
        assert again.headers["Location"].endswith(f"/submissions/{work.id}/receipt")
    # Whole: submitted once, with its receipt; the trainee's review page now shows it.
    assert_submitted_whole(app, trainee, draft)
    shown = browser.get(review)
    assert shown.status == 302 and shown.headers["Location"].endswith("/receipt")
    receipt = browser.get(shown.headers["Location"])
    assert receipt.status == 200 and work_of(app, trainee).reference in receipt.text


@pytest.mark.parametrize("moment", ["before-commit", "after-commit"])
def test_a_mark_cut_off_by_a_killed_worker_is_complete_or_still_the_saved_marks(
        app, server, setting, enrolled, create_user, moment):
    aid = setting()
    trainee, _ = submit_work(app, setting, enrolled, aid, "Ana Pereira")
    marker, marker_client = staff(app, create_user, "marker", name="Marker Alpha")
    _, moderator = staff(app, create_user, "moderator", name="Programme Lead")
    post(moderator, f"/moderation/{aid}/allocate", {"markers": [marker.id], "role": "first"})
    work = work_of(app, trainee)
    mark_as(marker_client, work.id, "first", "64", complete=False, overall="Draft thoughts.")

    def mark_of() -> Mark:
        with app.app_context():
            mark = db.session.scalar(select(Mark).where(Mark.submission_id == work.id))
            db.session.expunge(mark)
            return mark

    saved = mark_of()
    assert (saved.status, saved.criterion_marks) == ("provisional", {"C1": 64})
    browser = Browser(server.port)
    browser.sign_in(marker)
    page = f"/marking/{work.id}/first"
    complete = {"mark-C1": "71", "feedback-C1": "Independence explained well.",
                "overall": "Clear and careful.", "action": "complete",
                "version": _field(browser.get(page).text, "version"),
                "csrf_token": browser.token(page)}
    killed_while_posting(server, browser, page, complete, statement="UPDATE marks",
                         moment=moment)

    if moment == "before-commit":
        # Not at all: the provisional marks and words as saved, the work still in marking.
        mark = mark_of()
        assert (mark.status, mark.criterion_marks, mark.overall_feedback) == (
            "provisional", {"C1": 64}, "Draft thoughts.")
        assert work_of(app, trainee).state == "in_marking"
        assert audited(app, "mark_completed", work.id) == 0
        # Completed again through the new worker, from the page as it now stands.
        done = browser.post(page, {**complete, "version": _field(browser.get(page).text,
                                                                 "version"),
                                   "csrf_token": browser.token(page)})
        assert done.status == 302
    # Whole: the complete mark, the work marked, the audit record.
    mark = mark_of()
    assert (mark.status, mark.criterion_marks, mark.overall_feedback) == (
        "complete", {"C1": 71}, "Clear and careful.")
    assert work_of(app, trainee).state == "marked"
    assert audited(app, "mark_completed", work.id) == 1
    assert "You have marked this as complete" in browser.get(page).text


def _field(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no {name} field"
    return found.group(1)


@pytest.mark.parametrize("moment", ["before-commit", "after-commit"])
def test_a_cpd_entry_logged_as_the_worker_dies_is_logged_whole_or_still_the_draft(
        app, server, advocate, moment):
    from tests.conftest import sign_in

    client = app.test_client()
    sign_in(client, advocate)
    drafted = post_entry(client, "/cpd/entries/new", "draft",
                         what_i_learned="Words I must not lose.")
    entry_id = int(drafted.headers["Location"].rsplit("/", 1)[1])

    def entry() -> CpdEntry:
        with app.app_context():
            found = db.session.get(CpdEntry, entry_id)
            db.session.expunge(found)
            return found

    draft = entry()
    browser = Browser(server.port)
    browser.sign_in(advocate)
    page = f"/cpd/entries/{entry_id}"
    form = {**entry_form(what_i_learned="Words I must not lose."), "action": "log",
            "version": _field(browser.get(page).text, "version"),
            "csrf_token": browser.token(page)}
    killed_while_posting(server, browser, page, form, statement="UPDATE cpd_entries",
                         moment=moment)

    found = entry()
    if moment == "before-commit":
        assert (found.status, found.version) == ("draft", draft.version)
        assert audited(app, "cpd.entry.logged", entry_id) == 0
    else:
        assert (found.status, found.version) == ("logged", draft.version + 1)
        assert audited(app, "cpd.entry.logged", entry_id) == 1
    assert found.what_i_learned == "Words I must not lose."
    assert (found.title, found.minutes) == (draft.title, draft.minutes)
    with app.app_context():
        assert db.session.scalar(select(func.count(CpdEntry.id))) == 1


@pytest.mark.parametrize("moment", ["before-commit", "after-commit"])
def test_a_new_cpd_entry_with_evidence_is_kept_whole_with_its_file_or_not_at_all(
        app, server, advocate, moment):
    """The entry, its file and the link between them are written in one transaction: a
    worker killed before the commit leaves none of them (no file without its entry), after
    it all three, once."""
    certificate = filekit.pdf(text="Certificate of attendance")
    browser = Browser(server.port)
    browser.sign_in(advocate)
    page = "/cpd/entries/new"

    def form() -> dict:
        return {**entry_form(), "action": "log", "version": "",
                "csrf_token": browser.token(page)}

    files = {"attachment": (certificate, "attendance.pdf", "application/pdf")}
    killed_while_posting(server, browser, page, form(), files=files,
                         statement="INSERT INTO cpd_evidence", moment=moment)

    def stored() -> tuple[int, int, int]:
        with app.app_context():
            return tuple(db.session.scalar(select(func.count(model.id)))
                         for model in (CpdEntry, Attachment, CpdEvidence))

    if moment == "before-commit":
        assert stored() == (0, 0, 0)
        with app.app_context():
            assert db.session.scalar(select(func.count(AuditEvent.id)).where(
                AuditEvent.action.startswith("cpd."))) == 0
        again = browser.post(page, form(), files)  # the new worker takes it
        assert again.status == 302
    assert stored() == (1, 1, 1)
    with app.app_context():
        entry = db.session.scalars(select(CpdEntry)).one()
        attachment = db.session.scalars(select(Attachment)).one()
        assert (entry.status, entry.minutes, entry.user_id) == ("logged", 210, advocate.id)
        assert (attachment.filename, attachment.data) == ("attendance.pdf", certificate)
        assert attachment.owner_id == advocate.id
    assert audited(app, "cpd.entry.create", entry.id) == 1
    assert audited(app, "cpd.evidence.add", entry.id) == 1
    shown = browser.get(f"/cpd/entries/{entry.id}")
    assert shown.status == 200 and "attendance.pdf" in shown.text
