"""Trainee pages: assessments, the scenario player, submission with receipt, extensions."""

from datetime import timedelta

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.utils import secure_filename

from assessments.anonymity import shows_name
from assessments.deadlines import LONDON, effective_deadline, london_deadline
from assessments.extensions import latest_date
from assessments.scenario import PathError, finished, recommended_path, stages_by_id, walk
from assessments.written import before_submitting, word_count
from lms.access import allow
from lms.assessments import bp
from lms.assessments.feedback import PART_LABELS, released_feedback
from lms.assessments.forms import DeclarationForm, ExtensionForm
from lms.assessments.marking import in_sample
from lms.assessments.models import Allocation, Assessment, Attachment, Extension, Submission
from lms.assessments.permissions import can_download, can_see_submission, can_take
from lms.assessments.services import (
    StaleWork,
    WorkError,
    decide,
    extension_policy,
    extension_problem,
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
    mine = {s.assessment_id: s for s in db.session.scalars(select(Submission).where(
        Submission.user_id == current_user.id).order_by(Submission.attempt))}
    # A withdrawn assessment is no longer asked for; those who had started are told it went.
    rows = [a for a in rows if can_take(current_user, a, enrolled)
            and (a.withdrawn_at is None or a.id in mine)]
    extensions = dict(db.session.execute(select(Extension.assessment_id, Extension.granted_until)
                                         .where(Extension.user_id == current_user.id,
                                                Extension.status == "granted")).all())
    return render_template("assessments/index.html", rows=rows, mine=mine,
                           deadlines={a.id: effective_deadline(a.deadline, extensions.get(a.id))
                                      for a in rows}, extended=extensions, now=utc_now())


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
    shown = result.submission if result else submission  # the work whose path is on the page
    if shown is not None:
        scenario = shown.scenario
    else:  # not started: the scenario this trainee's nation takes
        slug = assessment.scenario_slug_for(_jurisdiction(assessment))
        scenario = assessment.version.scenarios.get(slug) if slug else assessment.scenario
    data = scenario or {}
    return render_template("assessments/overview.html", assessment=assessment,
                           submission=submission, scenario=scenario,
                           feedback=result and result.mark, data=data,
                           released=result and result.submission,
                           breakdown=result and result.breakdown, part_labels=PART_LABELS,
                           stages=stages_by_id(data),
                           recommended=recommended_path(data),
                           deadline=effective_deadline(assessment.deadline, extension_until),
                           extension_until=extension_until, requests=requests, now=utc_now(),
                           cannot_extend=extension_problem(assessment, current_user,
                                                           now=utc_now()))


def _jurisdiction(assessment: Assessment) -> str | None:
    return db.session.scalar(select(Enrolment.jurisdiction).where(
        Enrolment.user_id == current_user.id, Enrolment.cohort_id == assessment.cohort_id,
        Enrolment.status == "active"))


def _work(assessment_id: int, *, create: bool = False):
    """The assessment, the trainee's work on it and the scenario that work is on."""
    assessment = _load(assessment_id)
    if assessment.scenario is None:
        abort(404)
    if assessment.withdrawn_at is not None:  # kept, but not to be started or worked on
        flash("This assessment has been withdrawn: work on it can no longer be started, "
              "changed or submitted.", "error")
        abort(redirect(url_for("assessments.overview", assessment_id=assessment.id)))
    submission = submission_for(assessment, current_user, create=create,
                                jurisdiction=_jurisdiction(assessment) if create else None)
    data = submission.scenario if submission is not None else assessment.scenario
    return assessment, submission, data


def _step(submission: Submission) -> int:
    """The position of the stage the trainee is at: its page's address."""
    return len(submission.path) + 1


def _to_current(assessment: Assessment, submission: Submission):
    return redirect(url_for("assessments.scenario_step", assessment_id=assessment.id,
                            step=_step(submission)), code=303)


@bp.route("/assessments/<int:assessment_id>/scenario", methods=["GET", "POST"])
@allow("trainee")
def scenario(assessment_id: int):
    assessment, submission, _data = _work(assessment_id, create=request.method == "POST")
    if request.method == "POST":  # "Start": creates the draft, then shows the first stage
        db.session.commit()
    if submission is None:
        return redirect(url_for("assessments.overview", assessment_id=assessment.id))
    if submission.state != "draft":
        return redirect(url_for("assessments.receipt", submission_id=submission.id))
    return _to_current(assessment, submission)


@bp.route("/assessments/<int:assessment_id>/scenario/step/<int:step>")
@allow("trainee")
def scenario_step(assessment_id: int, step: int):
    """Each stage has its own address, so Back shows the stage it names, not the current one
    refilled with an earlier stage's choices; an earlier stage's page says it is done."""
    assessment, submission, data = _work(assessment_id)
    if submission is None:
        return redirect(url_for("assessments.overview", assessment_id=assessment.id))
    if submission.state != "draft":
        return redirect(url_for("assessments.receipt", submission_id=submission.id))
    if step > _step(submission):
        return _to_current(assessment, submission)
    if step < _step(submission):
        current = stages_by_id(data).get(_current(data, submission), {})
        return render_template("assessments/moved_on.html", assessment=assessment,
                               step=step, current=current, current_step=_step(submission))
    return _show_stage(assessment, data, submission)


def _current(data: dict, submission: Submission) -> str | None:
    try:
        return walk(data, submission.path)[0]
    except PathError:
        abort(409)


def _show_stage(assessment, data, submission, *, typed: str | None = None,
                error: str | None = None, conflict: str | None = None,
                chosen: str | None = None, status: int = 200):
    """The stage the trainee is at. After a refusal, `typed` refills the form with what they
    sent and `error` says why at the field; after a conflict, `conflict` holds the saved text
    shown beside theirs."""
    current = _current(data, submission)
    stages = stages_by_id(data)
    stage = stages.get(current)
    saved = submission.answers.get(current, "") if stage and "task" in stage else ""
    text = saved if typed is None else typed
    return render_template("assessments/scenario.html", assessment=assessment, data=data,
                           submission=submission, stage=stage, stages=stages,
                           path=submission.path, attachments=_attachments(submission),
                           step=_step(submission), text=text, saved=saved, error=error,
                           conflict=conflict, chosen=chosen,
                           words=word_count(text), saved_words=word_count(saved)), status


def _attachments(submission: Submission) -> list:
    return db.session.execute(select(Attachment.id, Attachment.filename, Attachment.size)
                              .where(Attachment.submission_id == submission.id)
                              .order_by(Attachment.id)).all()


def _version() -> int | None:
    """The version of the work the form was made from (absent only from hand-made requests)."""
    value = request.form.get("version", "")
    return int(value) if value.isdigit() else None


def _act(assessment_id: int, action):
    """Run a trainee's action on their draft; on refusal show the current stage with what they
    typed (nothing saved), on success go to the stage they are now at."""
    assessment, submission, data = _work(assessment_id)
    if submission is None:
        abort(404)
    try:
        result = action(submission, data)
        if result is None:
            db.session.commit()
    except StaleDataError:  # another request changed the work between our read and write
        db.session.rollback()
        result = _refused(assessment, submission, data, StaleWork(
            "Your work was changed in another tab or on another device at the same moment. "
            "Nothing was overwritten."))
    except WorkError as error:
        db.session.rollback()
        result = _refused(assessment, submission, data, error)
    return result if result is not None else _to_current(assessment, submission)


def _refused(assessment, submission, data, error: WorkError):
    db.session.refresh(submission)
    if submission.state != "draft":
        flash(str(error), "error")
        return redirect(url_for("assessments.receipt", submission_id=submission.id))
    stale = isinstance(error, StaleWork)
    current = _current(data, submission)
    posted = request.form.get("stage", "")
    typed = request.form.get("answer", request.form.get("justification"))
    if stale and posted != current:
        # A page for another stage: say so, and give back every word typed, attached to nothing.
        return render_template("assessments/moved_on.html", assessment=assessment,
                               message=str(error), typed=typed,
                               current=stages_by_id(data).get(current, {}),
                               current_step=_step(submission)), 409
    if stale and "answer" in request.form:
        return _show_stage(assessment, data, submission, typed=typed, status=409,
                           conflict=str(error))
    return _show_stage(assessment, data, submission, typed=typed, error=str(error),
                       chosen=request.form.get("option"), status=409 if stale else 422)


@bp.route("/assessments/<int:assessment_id>/scenario/decide", methods=["POST"])
@allow("trainee")
def scenario_decide(assessment_id: int):
    form = request.form
    justification = form.get("justification", "")

    def act(submission, data):
        if submission.state == "draft" and _shows_own_name(submission, justification):
            # No decision is made; the page comes back with the typed justification in the
            # form (not parked in the session cookie, which the trainee's browser holds).
            raise WorkError(NAME_IN_WORK.format(what="justification"))
        decide(submission, data, form.get("stage", ""), form.get("option", ""), justification,
               version=_version())

    return _act(assessment_id, act)


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
    action = form.get("action")
    upload = request.files.get("attachment")
    if action == "autosave":
        return _autosave(assessment_id)

    def act(submission, data):
        answer, problems, attach = form.get("answer", ""), [], None
        if upload and upload.filename:
            content = upload.read()
            try:
                attach = (upload.filename, content, _prepared(submission, content))
            except Refused as refused:
                problems.append(refused.reason + " The file was not attached.")
        if _shows_own_name(submission, answer):
            problems.append(NAME_IN_WORK.format(what="answer"))
        # Bad input never costs the trainee their text: it is kept as a draft.
        save_answer(submission, data, form.get("stage", ""), answer,
                    action == "continue" and not problems, version=_version())
        if attach:
            store_attachment(current_user, *attach, submission)
        for problem in problems:
            flash(f"{problem} Your answer is saved as a draft.", "error")
        if action != "continue" and not problems:
            flash(f"Draft saved at {utc_now().astimezone(LONDON):%H:%M}. You can come back to "
                  "it from any device.", "success")

    return _act(assessment_id, act)


def _autosave(assessment_id: int):
    """The page's script saves drafts as the trainee types: same rules, answered in JSON."""
    assessment, submission, data = _work(assessment_id)
    if submission is None:
        abort(404)
    answer = request.form.get("answer", "")
    try:
        save_answer(submission, data, request.form.get("stage", ""), answer, False,
                    version=_version())
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return {"saved": False, "conflict": True, "message": CHANGED_ELSEWHERE}, 409
    except StaleWork as error:
        db.session.rollback()
        return {"saved": False, "conflict": True, "message": str(error)}, 409
    except WorkError as error:
        db.session.rollback()
        return {"saved": False, "message": str(error)}, 422
    return {"saved": True, "version": submission.version, "words": word_count(answer),
            "at": utc_now().astimezone(LONDON).strftime("%H:%M")}


CHANGED_ELSEWHERE = ("Your work was changed in another tab or on another device. Nothing was "
                     "overwritten: save with the button to see both versions.")


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
    return _act(assessment_id, lambda submission, data: go_back(submission, data, _version()))


@bp.route("/assessments/<int:assessment_id>/submit", methods=["GET", "POST"])
@allow("trainee")
def review(assessment_id: int):
    assessment, submission, data = _work(assessment_id)
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
            return _to_current(assessment, submission)
        db.session.commit()  # a second tab's submit changed nothing and shows the same receipt
        return redirect(url_for("assessments.receipt", submission_id=submission.id))
    stages = stages_by_id(data)
    done = finished(data, submission.path)
    trail = [step["stage"] for step in submission.path] + [_current(data, submission)]
    return render_template("assessments/review.html", assessment=assessment, data=data,
                           submission=submission, stages=stages, form=form,
                           attachments=_attachments(submission), finished=done,
                           warnings=before_submitting(stages, trail, submission.answers, done),
                           step=_step(submission))


@bp.route("/submissions/<int:submission_id>/receipt")
@allow("trainee")
def receipt(submission_id: int):
    submission = db.get_or_404(Submission, submission_id)
    if not can_see_submission(current_user, submission) or submission.state == "draft":
        abort(404)  # not yours, or not submitted: do not confirm that it exists
    data = submission.scenario or {}
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
    assessment, now = _load(assessment_id), utc_now()
    deadline = effective_deadline(assessment.deadline, granted_until(assessment, current_user))
    if refused := extension_problem(assessment, current_user, now=now):
        # The link is not offered in this case; a bookmarked or second-tab visit says why.
        return render_template("assessments/extension.html", assessment=assessment,
                               deadline=deadline, refused=refused, form=None), (
            409 if request.method == "POST" else 200)
    form = ExtensionForm()
    if form.validate_on_submit():
        # The same UK time of day as the current deadline, on the day asked for.
        until = london_deadline(form.until.data, deadline.astimezone(LONDON).time())
        if problem := extension_problem(assessment, current_user, now=now,
                                        requested_until=until):
            form.until.errors.append(problem)
        evidence, upload = None, form.evidence.data
        if not form.until.errors and upload and upload.filename:
            data = upload.read()
            try:
                evidence = store_attachment(current_user, upload.filename, data, prepare(data))
            except Refused as refused_file:
                form.evidence.errors = [refused_file.reason]
        if not form.until.errors and not form.evidence.errors:
            request_extension(assessment, current_user, form.reason.data, until, evidence)
            db.session.commit()
            flash("Your request has been sent to the programme team. You will see the decision "
                  "on the assessment page and by email.", "success")
            return redirect(url_for("assessments.overview", assessment_id=assessment.id))
        db.session.rollback()
    elif request.method == "GET":
        form.until.data = (deadline + timedelta(days=7)).astimezone(LONDON).date()
    return render_template("assessments/extension.html", assessment=assessment, form=form,
                           deadline=deadline, refused=None,
                           latest=latest_date(deadline, extension_policy()),
                           policy=extension_policy()), 422 if form.errors else 200
