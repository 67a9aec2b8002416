"""Trainee pages: assessments, the scenario player, submission with receipt, extensions."""

from datetime import timedelta

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.utils import secure_filename

from assessments.anonymity import shows_name
from assessments.deadlines import LONDON, effective_deadline, london_deadline
from assessments.scenario import PathError, finished, recommended_path, stages_by_id, walk
from lms.access import allow
from lms.assessments import bp
from lms.assessments.feedback import PART_LABELS, released_feedback
from lms.assessments.forms import DeclarationForm, ExtensionForm
from lms.assessments.marking import in_sample
from lms.assessments.models import Allocation, Assessment, Attachment, Extension, Submission
from lms.assessments.permissions import can_download, can_see_submission, can_take
from lms.assessments.services import (
    WorkError,
    decide,
    go_back,
    granted_until,
    request_extension,
    save_answer,
    store_attachment,
    submission_for,
    submit,
    utc_now,
)
from lms.cohorts.models import Enrolment
from lms.extensions import db
from lms.uploads import EXTENSIONS, Refused, prepare, room_for


def _enrolled() -> dict[int, set[str]]:
    cohorts: dict[int, set[str]] = {}
    for cohort_id, specialism in db.session.execute(
            select(Enrolment.cohort_id, Enrolment.specialism).where(
                Enrolment.user_id == current_user.id, Enrolment.status == "active")):
        cohorts.setdefault(cohort_id, set()).add(specialism)
    return cohorts


def _load(assessment_id: int) -> Assessment:
    assessment = db.get_or_404(Assessment, assessment_id)
    if not can_take(current_user, assessment, _enrolled()):
        abort(403)
    return assessment


@bp.route("/assessments")
@allow("trainee")
def index():
    enrolled = _enrolled()
    rows = db.session.scalars(select(Assessment).where(Assessment.cohort_id.in_(enrolled))
                              .options(selectinload(Assessment.version))
                              .order_by(Assessment.deadline)).all()
    rows = [a for a in rows if can_take(current_user, a, enrolled)]
    mine = {s.assessment_id: s for s in db.session.scalars(select(Submission).where(
        Submission.user_id == current_user.id).order_by(Submission.attempt))}
    extensions = dict(db.session.execute(select(Extension.assessment_id, Extension.granted_until)
                                         .where(Extension.user_id == current_user.id,
                                                Extension.status == "granted")).all())
    return render_template("assessments/index.html", rows=rows, mine=mine,
                           deadlines={a.id: effective_deadline(a.deadline, extensions.get(a.id))
                                      for a in rows}, extended=extensions)


@bp.route("/assessments/<int:assessment_id>")
@allow("trainee")
def overview(assessment_id: int):
    assessment = _load(assessment_id)
    submission = submission_for(assessment, current_user)
    extension_until = granted_until(assessment, current_user)
    requests = db.session.scalars(select(Extension).where(
        Extension.assessment_id == assessment.id, Extension.user_id == current_user.id)
        .order_by(Extension.requested_at.desc())).all()
    result = released_feedback(assessment, current_user, extension_until)  # None before release
    data = assessment.scenario or {}
    return render_template("assessments/overview.html", assessment=assessment,
                           submission=submission, scenario=assessment.scenario,
                           feedback=result and result.mark, data=data,
                           released=result and result.submission,
                           breakdown=result and result.breakdown, part_labels=PART_LABELS,
                           stages=stages_by_id(data),
                           recommended=recommended_path(data),
                           deadline=effective_deadline(assessment.deadline, extension_until),
                           extension_until=extension_until, requests=requests)


def _player(assessment_id: int):
    assessment = _load(assessment_id)
    if assessment.scenario is None:
        abort(404)
    return assessment, assessment.scenario


@bp.route("/assessments/<int:assessment_id>/scenario", methods=["GET", "POST"])
@allow("trainee")
def scenario(assessment_id: int):
    assessment, data = _player(assessment_id)
    submission = submission_for(assessment, current_user, create=request.method == "POST")
    if request.method == "POST":  # "Start": creates the draft, then shows the first stage
        db.session.commit()
        return redirect(url_for("assessments.scenario", assessment_id=assessment.id))
    if submission is None:
        return redirect(url_for("assessments.overview", assessment_id=assessment.id))
    if submission.state != "draft":
        return redirect(url_for("assessments.receipt", submission_id=submission.id))
    return _show_stage(assessment, data, submission)


def _show_stage(assessment, data, submission, justification: str = "", status: int = 200):
    """The stage the trainee is at; `justification` refills the form after a refusal."""
    try:
        current, path = walk(data, submission.path)
    except PathError:
        abort(409)
    stages = stages_by_id(data)
    return render_template("assessments/scenario.html", assessment=assessment, data=data,
                           submission=submission, stage=stages.get(current), stages=stages,
                           path=path, attachments=_attachments(submission),
                           retry_justification=justification), status


def _attachments(submission: Submission) -> list:
    return db.session.execute(select(Attachment.id, Attachment.filename, Attachment.size)
                              .where(Attachment.submission_id == submission.id)
                              .order_by(Attachment.id)).all()


def _act(assessment_id: int, action):
    assessment, data = _player(assessment_id)
    submission = submission_for(assessment, current_user)
    if submission is None:
        abort(404)
    try:
        action(submission, data)
    except WorkError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
    return redirect(url_for("assessments.scenario", assessment_id=assessment.id))


@bp.route("/assessments/<int:assessment_id>/scenario/decide", methods=["POST"])
@allow("trainee")
def scenario_decide(assessment_id: int):
    form = request.form
    justification = form.get("justification", "")[:10_000]
    assessment, data = _player(assessment_id)
    submission = submission_for(assessment, current_user)
    if submission is not None and submission.state == "draft" and _shows_own_name(
            submission, justification):
        # No decision is made; the page comes back with the typed justification in the form
        # (not parked in the session cookie, which the trainee's browser holds).
        flash(NAME_IN_WORK.format(what="justification"), "error")
        return _show_stage(assessment, data, submission, justification, status=422)
    return _act(assessment_id, lambda s, d: decide(s, d, form.get("stage", ""),
                                                   form.get("option", ""), justification))


FILE_SHOWS_NAME = ("This file shows your name, and marking is anonymous: markers see your "
                   "candidate number only. Remove your name (check headers, footers and "
                   "comments too) and upload the file again.")


def _prepared(submission: Submission, content: bytes):
    """Check and clean an attachment for this work, or raise Refused saying why not."""
    config = current_app.config
    sizes = list(db.session.scalars(select(Attachment.size).where(
        Attachment.submission_id == submission.id)))
    if full := room_for(sizes, len(content), max_files=config["MAX_FILES_PER_SUBMISSION"],
                        max_total_bytes=config["MAX_FILES_TOTAL_BYTES"]):
        raise Refused(full)
    prepared = prepare(content)
    if _shows_own_name(submission, prepared.text):
        raise Refused(FILE_SHOWS_NAME)
    return prepared


NAME_IN_WORK = ("Your {what} includes your name, and marking is anonymous: markers see your "
                "candidate number only. Remove your name (write 'the advocate' where you would "
                "sign) and try again.")


def _shows_own_name(submission: Submission, text: str) -> bool:
    return submission.assessment.anonymous and shows_name(text, current_user.name)


@bp.route("/assessments/<int:assessment_id>/scenario/answer", methods=["POST"])
@allow("trainee")
def scenario_answer(assessment_id: int):
    form = request.form
    advance = form.get("action") == "continue"
    upload = request.files.get("attachment")

    def act(submission, data):
        answer, problems, attach = form.get("answer", "")[:50_000], [], None
        if upload and upload.filename:
            content = upload.read()
            try:
                attach = (upload.filename, content, _prepared(submission, content))
            except Refused as refused:
                problems.append(refused.reason + " The file was not attached.")
        if _shows_own_name(submission, answer):
            problems.append(NAME_IN_WORK.format(what="answer"))
        # Bad input never costs the trainee their text: it is kept as a draft.
        save_answer(submission, data, form.get("stage", ""), answer, advance and not problems)
        if attach:
            store_attachment(current_user, *attach, submission)
        for problem in problems:
            flash(f"{problem} Your answer is saved as a draft.", "error")
        if not advance and not problems:
            flash("Draft saved. You can come back to it from any device.", "success")

    return _act(assessment_id, act)


@bp.route("/attachments/<int:attachment_id>")
@allow("trainee", "marker", "moderator", "examiner")
def attachment(attachment_id: int):
    found = db.get_or_404(Attachment, attachment_id)
    submission = db.session.get(Submission, found.submission_id) if found.submission_id else None
    allocated = submission is not None and db.session.scalar(select(Allocation.id).where(
        Allocation.submission_id == submission.id, Allocation.marker_id == current_user.id))
    sampled = current_user.has_role("examiner") and in_sample(submission)  # examiner: sample
    if not can_download(current_user, found, submission, bool(allocated), in_sample=sampled):
        abort(404)
    extension = EXTENSIONS.get(found.content_type, "bin")
    if found.owner_id == current_user.id:
        # The owner gets back exactly what they gave (the receipt's hash covers it), under the
        # extension of the type we checked: a PDF named "plan.html" comes back as a PDF.
        stem = secure_filename(found.filename.rsplit(".", 1)[0]) or "upload"
        name, data = f"{stem}.{extension}", found.data
    else:
        # Everyone else gets the copy cleaned at upload, under a name that says nothing of who
        # wrote it. A file stored before cleaning existed has no copy: it is withheld.
        data = found.clean_data
        if data is None:
            return render_template("assessments/unscrubbable.html"), 409
        stem = submission.candidate_number if submission else "evidence"
        name = f"{stem}-file-{found.id}.{extension}"
    return Response(data, mimetype=found.content_type, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "private, no-store"})


@bp.route("/assessments/<int:assessment_id>/scenario/back", methods=["POST"])
@allow("trainee")
def scenario_back(assessment_id: int):
    return _act(assessment_id, go_back)


@bp.route("/assessments/<int:assessment_id>/submit", methods=["GET", "POST"])
@allow("trainee")
def review(assessment_id: int):
    assessment, data = _player(assessment_id)
    submission = submission_for(assessment, current_user)
    if submission is None:
        abort(404)
    if submission.state != "draft":
        return redirect(url_for("assessments.receipt", submission_id=submission.id))
    form = DeclarationForm()
    if form.validate_on_submit():
        try:
            submit(submission, data, now=utc_now())
        except WorkError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(url_for("assessments.scenario", assessment_id=assessment.id))
        db.session.commit()  # a second tab's submit changed nothing and shows the same receipt
        return redirect(url_for("assessments.receipt", submission_id=submission.id))
    return render_template("assessments/review.html", assessment=assessment, data=data,
                           submission=submission, stages=stages_by_id(data), form=form,
                           attachments=_attachments(submission),
                           finished=finished(data, submission.path))


@bp.route("/submissions/<int:submission_id>/receipt")
@allow("trainee")
def receipt(submission_id: int):
    submission = db.get_or_404(Submission, submission_id)
    if not can_see_submission(current_user, submission) or submission.state == "draft":
        abort(404)  # not yours, or not submitted: do not confirm that it exists
    data = submission.assessment.scenario or {}
    # What was submitted, exactly; feedback on choices waits for release where the trainee
    # could go back (as in the player), and the recommended route and scores wait for all.
    return render_template("assessments/receipt.html", submission=submission,
                           assessment=submission.assessment, data=data,
                           stages=stages_by_id(data), attachments=_attachments(submission),
                           choice_feedback=submission.state == "released"
                           or not data.get("allow_back"))


@bp.route("/assessments/<int:assessment_id>/extension", methods=["GET", "POST"])
@allow("trainee")
def extension(assessment_id: int):
    assessment = _load(assessment_id)
    form = ExtensionForm()
    problem = None
    if form.validate_on_submit():
        # The same UK time of day as the original deadline, on the day asked for.
        until = london_deadline(form.until.data, assessment.deadline.astimezone(LONDON).time())
        evidence, upload = None, form.evidence.data
        if upload and upload.filename:
            data = upload.read()
            try:
                evidence = store_attachment(current_user, upload.filename, data, prepare(data))
            except Refused as refused:
                problem = refused.reason
        if until <= assessment.deadline:
            problem = "Ask for a date after the current deadline."
        if problem is None:
            request_extension(assessment, current_user, form.reason.data, until, evidence)
            db.session.commit()
            flash("Your request has been sent to the programme team. You will see the decision "
                  "on the assessment page.", "success")
            return redirect(url_for("assessments.overview", assessment_id=assessment.id))
        db.session.rollback()
    elif request.method == "GET":
        form.until.data = (assessment.deadline + timedelta(days=7)).date()
    return render_template("assessments/extension.html", assessment=assessment, form=form,
                           problem=problem)
