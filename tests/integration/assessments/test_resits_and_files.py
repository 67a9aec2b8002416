import io
import zipfile

from sqlalchemy import select

from lms.assessments.models import Assessment, Attachment, Mark, Submission
from lms.extensions import db
from tests import filekit
from tests.conftest import outbox, sign_in
from tests.integration.assessments.test_marking import (
    mark_as,
    release_all,
    staff,
    submit_work,
    work_of,
)
from tests.integration.assessments.test_taking import post, text

AUTHOR = "Tamsin Author-Trainee"
PDF = filekit.pdf(author=AUTHOR)


def test_written_tasks_take_attachments_checked_by_content(app, client, setting, enrolled,
                                                            create_user):
    aid = setting()
    trainee = enrolled(setting.cohort)
    sign_in(client, trainee)
    post(client, f"/assessments/{aid}/scenario")
    post(client, f"/assessments/{aid}/scenario/decide", {"stage": "meet", "option": "a"})
    bad = post(client, f"/assessments/{aid}/scenario/answer",
               {"stage": "plan", "answer": "text", "action": "save",
                "attachment": (io.BytesIO(b"<html>not a pdf</html>"), "plan.pdf")},
               content_type="multipart/form-data")
    page = text(client.get(bad.headers["Location"]))
    assert "Its content is not one of these" in page
    assert "markers get a copy without the author" in page  # told before uploading
    with app.app_context():
        assert db.session.scalar(select(Attachment.id)) is None
    post(client, f"/assessments/{aid}/scenario/answer",
         {"stage": "plan", "answer": "See the attached plan.", "action": "continue",
          "attachment": (io.BytesIO(PDF), "plan.pdf")}, content_type="multipart/form-data")
    assert "plan.pdf" in text(client.get(f"/assessments/{aid}/submit"))
    with app.app_context():
        attachment = db.session.scalar(select(Attachment))
    assert client.get(f"/attachments/{attachment.id}").data == PDF
    # Other trainees and unallocated markers cannot fetch it; drafts are for the author only.
    other = app.test_client()
    sign_in(other, enrolled(setting.cohort))
    assert other.get(f"/attachments/{attachment.id}").status_code == 404
    _marker, marker_client = staff(app, create_user, "marker", name="Unallocated")
    assert marker_client.get(f"/attachments/{attachment.id}").status_code == 404
    post(client, f"/assessments/{aid}/submit", {"declaration": "y"})
    lead, moderator = staff(app, create_user, "moderator", name="Lead")
    download = moderator.get(f"/attachments/{attachment.id}")
    assert download.status_code == 200 and "plan.pdf" not in download.headers[
        "Content-Disposition"]  # a neutral name: a file name can carry the author's name
    # Anonymous marking: the PDF's own properties lose the author too; the text stays.
    assert AUTHOR.encode() not in download.data and download.data.startswith(b"%PDF-")
    assert client.get(f"/attachments/{attachment.id}").data == PDF  # the original is kept
    hashed = work_of(app, trainee).content_hash
    with app.app_context():
        stored = db.session.get(Attachment, attachment.id)
        assert stored.sha256 and stored.submission_id == work_of(app, trainee).id
    assert hashed  # the receipt's hash covers the attachment's hash too


def test_files_markers_could_not_open_are_refused_at_upload(app, client, setting, enrolled):
    aid = setting()
    sign_in(client, enrolled(setting.cohort))
    post(client, f"/assessments/{aid}/scenario")
    post(client, f"/assessments/{aid}/scenario/decide", {"stage": "meet", "option": "a"})
    refused = post(client, f"/assessments/{aid}/scenario/answer",
                   {"stage": "plan", "answer": "Plan attached.", "action": "save",
                    "attachment": (io.BytesIO(filekit.pdf(password="pw")), "plan.pdf")},
                   content_type="multipart/form-data")
    assert "protected with a password" in text(client.get(refused.headers["Location"]))
    with app.app_context():
        assert db.session.scalar(select(Attachment.id)) is None


def _upload(client, aid, data: bytes, name: str, stage: str = "plan", action: str = "save"):
    return post(client, f"/assessments/{aid}/scenario/answer",
                {"stage": stage, "answer": "See the file.", "action": action,
                 "attachment": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_staff_get_the_copy_cleaned_at_upload_even_for_named_marking(
        app, client, setting, enrolled, create_user):
    aid = setting()
    with app.app_context():
        db.session.get(Assessment, aid).anonymous = False
        db.session.commit()
    sign_in(client, enrolled(setting.cohort))
    post(client, f"/assessments/{aid}/scenario")
    post(client, f"/assessments/{aid}/scenario/decide", {"stage": "meet", "option": "a"})
    _upload(client, aid, filekit.jpeg(AUTHOR), "photo.jpg", action="continue")
    post(client, f"/assessments/{aid}/submit", {"declaration": "y"})
    _lead, moderator = staff(app, create_user, "moderator", name="Lead")
    with app.app_context():
        attachment = db.session.scalar(select(Attachment))
        cleaned = attachment.clean_data  # made once, at upload: a download does no work
    download = moderator.get(f"/attachments/{attachment.id}")
    assert download.data == cleaned and AUTHOR.encode() not in download.data
    assert client.get(f"/attachments/{attachment.id}").data == filekit.jpeg(AUTHOR)


def test_a_pdf_named_html_comes_back_as_a_pdf_download(app, client, setting, enrolled):
    aid = setting()
    sign_in(client, enrolled(setting.cohort))
    post(client, f"/assessments/{aid}/scenario")
    post(client, f"/assessments/{aid}/scenario/decide", {"stage": "meet", "option": "a"})
    polyglot = filekit.pdf() + b"<html><script>alert(document.cookie)</script></html>"
    _upload(client, aid, polyglot, "notes.html")
    with app.app_context():
        attachment = db.session.scalar(select(Attachment))
        cleaned = attachment.clean_data
    download = client.get(f"/attachments/{attachment.id}")
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"] == 'attachment; filename="notes.pdf"'
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert b"<script" not in cleaned  # what staff get is rebuilt from the pages


def test_a_piece_of_work_takes_a_limited_number_of_files(app, client, setting, enrolled):
    app.config["MAX_FILES_PER_SUBMISSION"] = 2
    try:
        aid = setting()
        sign_in(client, enrolled(setting.cohort))
        post(client, f"/assessments/{aid}/scenario")
        post(client, f"/assessments/{aid}/scenario/decide", {"stage": "meet", "option": "a"})
        for n in range(3):
            last = _upload(client, aid, filekit.pdf(text=f"Page {n}"), f"part-{n}.pdf")
        page = text(client.get(last.headers["Location"]))
    finally:
        app.config["MAX_FILES_PER_SUBMISSION"] = 5
    assert "up to 2 files" in page and "Your answer is saved as a draft" in page
    with app.app_context():
        assert len(db.session.scalars(select(Attachment.id)).all()) == 2


def test_a_word_document_that_unpacks_to_gigabytes_is_refused_at_upload(
        app, client, setting, enrolled):
    from tests.unit.test_uploads import _zip_bomb

    aid = setting()
    sign_in(client, enrolled(setting.cohort))
    post(client, f"/assessments/{aid}/scenario")
    post(client, f"/assessments/{aid}/scenario/decide", {"stage": "meet", "option": "a"})
    refused = _upload(client, aid, _zip_bomb(200), "essay.docx")
    assert "unpacks to far more than its size suggests" in text(
        client.get(refused.headers["Location"]))
    with app.app_context():
        assert db.session.scalar(select(Attachment.id)) is None


def test_a_resit_is_capped_unless_mitigating(app, setting, enrolled, create_user):
    aid = setting()
    trainee, trainee_client = submit_work(app, setting, enrolled, aid, "Rosa Resit")
    marker, m = staff(app, create_user, "marker", name="Marker")
    _lead, moderator = staff(app, create_user, "moderator", name="Lead")
    post(moderator, f"/moderation/{aid}/allocate", {"markers": [marker.id], "role": "first"})
    first = work_of(app, trainee)
    mark_as(m, first.id, "first", "20")                  # component 40*1.0 + 60%*20 = 52
    post(moderator, f"/moderation/{aid}/agree/{first.id}",
         {"mark": "45", "reason": "Written work does not meet the pass standard."})
    early = post(moderator, f"/moderation/{aid}/resit/{first.id}", {})
    assert "only once the first mark is released" in text(moderator.get(early.headers["Location"]))
    post(moderator, f"/moderation/{aid}/approve")
    release_all(moderator, aid)
    post(moderator, f"/moderation/{aid}/resit/{first.id}", {"reason": "Failed first attempt"})
    assert any(m.subject.startswith("Resit") and "capped at the pass mark" in m.body
               for m in outbox(app))
    page = text(trainee_client.get(f"/assessments/{aid}"))
    assert "You have been given a resit" in page and "Mark: <strong>45</strong>" in page

    from tests.integration.assessments.test_taking import play_to_the_end

    play_to_the_end(trainee_client, aid)
    post(trainee_client, f"/assessments/{aid}/submit", {"declaration": "y"})
    with app.app_context():
        resit = db.session.scalar(select(Submission).where(Submission.attempt == 2))
    assert resit.state == "submitted"
    post(moderator, f"/moderation/{aid}/allocate", {"markers": [marker.id], "role": "first"})
    mark_as(m, resit.id, "first", "80")                  # component 88
    post(moderator, f"/moderation/{aid}/agree/{resit.id}", {"mark": "88", "reason": ""})
    with app.app_context():
        agreed = db.session.scalar(select(Mark).where(Mark.submission_id == resit.id,
                                                      Mark.role == "agreed"))
    assert (agreed.mark, agreed.final_mark) == (88, 50) and "resit: capped at 50" in agreed.reason
    post(moderator, f"/moderation/{aid}/approve")
    release_all(moderator, aid)       # only the resit is released now
    assert "Mark: <strong>50</strong>" in text(trainee_client.get(f"/assessments/{aid}"))


def test_a_stored_file_that_cannot_be_cleaned_is_withheld_from_anonymous_markers(
        app, setting, enrolled, create_user):
    aid = setting()
    trainee, trainee_client = submit_work(app, setting, enrolled, aid, "Olu Older-Upload")
    damaged = b"%PDF-1.4 written by " + AUTHOR.encode()  # stored before uploads were checked
    with app.app_context():
        legacy = Attachment(owner_id=trainee.id, submission_id=work_of(app, trainee).id,
                            filename="old.pdf", content_type="application/pdf",
                            size=len(damaged), sha256="0" * 64, data=damaged)
        db.session.add(legacy)
        db.session.commit()
        legacy_id = legacy.id
    _lead, moderator = staff(app, create_user, "moderator", name="Lead")
    response = moderator.get(f"/attachments/{legacy_id}")
    assert response.status_code == 409 and AUTHOR.encode() not in response.data
    assert "cannot be shown for anonymous marking" in text(response)
    assert trainee_client.get(f"/attachments/{legacy_id}").data == damaged


def test_anonymous_work_that_names_its_author_is_held_back_without_losing_text(
        app, client, setting, enrolled):
    aid = setting(justify=True)
    trainee = enrolled(setting.cohort, name="Tamsin Reade")
    sign_in(client, trainee)
    post(client, f"/assessments/{aid}/scenario")
    # A justification that signs off with the trainee's name: no decision, text handed back.
    refused = post(client, f"/assessments/{aid}/scenario/decide",
                   {"stage": "meet", "option": "a", "justification": "Because. Tamsin Reade"})
    page = text(refused)
    assert refused.status_code == 422 and "includes your name" in page
    assert "Because. Tamsin Reade</textarea>" in page
    assert "Because" not in str(refused.headers.get("Set-Cookie"))  # not parked client-side
    assert work_of(app, trainee).path == []
    post(client, f"/assessments/{aid}/scenario/decide",
         {"stage": "meet", "option": "a", "justification": "Because. The advocate"})
    # An answer signed with the name, and a file with the name on its page: the answer is
    # kept as a draft, the stage does not move on, the file is not attached.
    signed = "## Plan\n\nMeet weekly.\n\nTamsin\nReade"
    refused = post(client, f"/assessments/{aid}/scenario/answer",
                   {"stage": "plan", "answer": signed, "action": "continue",
                    "attachment": (io.BytesIO(filekit.pdf(text="Plan by Tamsin Reade")),
                                   "plan.pdf")}, content_type="multipart/form-data")
    page = text(client.get(refused.headers["Location"]))
    assert "This file shows your name" in page and "Your answer includes your name" in page
    assert "Your answer is saved as a draft." in page
    assert work_of(app, trainee).answers["plan"] == signed
    assert [step["stage"] for step in work_of(app, trainee).path] == ["meet"]  # not moved on
    assert "Write a support plan." in page  # still on the task
    with app.app_context():
        assert db.session.scalar(select(Attachment.id)) is None
    post(client, f"/assessments/{aid}/scenario/answer",
         {"stage": "plan", "answer": "## Plan\n\nMeet weekly.", "action": "continue",
          "attachment": (io.BytesIO(filekit.pdf(text="Plan by the advocate")), "plan.pdf")},
         content_type="multipart/form-data")
    assert work_of(app, trainee).path[-1] == {"stage": "plan", "answer": True}  # moved on
    with app.app_context():
        assert db.session.scalar(select(Attachment.id)) is not None


def test_named_marking_lets_a_trainee_sign_their_work(app, client, setting, enrolled):
    aid = setting()
    with app.app_context():
        db.session.get(Assessment, aid).anonymous = False
        db.session.commit()
    trainee = enrolled(setting.cohort, name="Tamsin Reade")
    sign_in(client, trainee)
    post(client, f"/assessments/{aid}/scenario")
    post(client, f"/assessments/{aid}/scenario/decide",
         {"stage": "meet", "option": "a", "justification": "Signed, Tamsin Reade"})
    assert work_of(app, trainee).path[0]["justification"] == "Signed, Tamsin Reade"


def _docx_with_comment(comment: str) -> bytes:
    """A Word document whose only mention of anyone is in a comment."""
    original = io.BytesIO(filekit.docx("Someone Else"))
    out = io.BytesIO()
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        target.writestr("word/comments.xml", (
            '<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:comment w:id="0" w:author="A"><w:p><w:r><w:t>{comment}</w:t></w:r></w:p>'
            "</w:comment></w:comments>"))
    return out.getvalue()


def test_a_name_in_a_word_comment_is_caught_in_anonymous_work(app, client, setting, enrolled):
    aid = setting()
    sign_in(client, enrolled(setting.cohort, name="Priya Commentor"))
    post(client, f"/assessments/{aid}/scenario")
    post(client, f"/assessments/{aid}/scenario/decide", {"stage": "meet", "option": "a"})
    refused = _upload(client, aid, _docx_with_comment("Checked by Priya Commentor"), "plan.docx")
    page = text(client.get(refused.headers["Location"]))
    assert "This file shows your name" in page and "comments" in page
    with app.app_context():
        assert db.session.scalar(select(Attachment.id)) is None
    _upload(client, aid, _docx_with_comment("Checked twice"), "plan.docx")
    with app.app_context():
        assert db.session.scalar(select(Attachment.id)) is not None
