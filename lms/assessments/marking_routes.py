"""Staff pages: the marker's queue, marking on the rubric, moderation, release.

The moderation sample and the examiner's report are in examiner_routes."""

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from assessments.deadlines import LONDON, london_deadline
from assessments.marks import band, compare_marks
from assessments.scenario import recommended_path, stages_by_id
from lms import limits
from lms.access import allow
from lms.assessments import bp
from lms.assessments.forms import criterion_marks, feedback_problems
from lms.assessments.marking import (
    MarkConflict,
    agree,
    allocatable_markers,
    allocate,
    allocate_evenly,
    allocation_due,
    approve,
    decide_extension,
    grant_resit,
    mark_version,
    pieces,
    release,
    release_plan,
    sample_ids,
    save_mark,
)
from lms.assessments.models import (
    Allocation,
    Assessment,
    Attachment,
    Extension,
    Mark,
    Submission,
)
from lms.assessments.services import WorkError, utc_now
from lms.auth.models import User
from lms.charts import bins, distribution_chart, spread, spread_words
from lms.cohorts.models import Enrolment
from lms.csvsafe import csv_response
from lms.extensions import db
from lms.formatting import plural
from lms.validators import length_problem

# Trainees' work is confidential to them, their markers and moderators (and the external
# examiner's sample): a platform admin manages accounts, not marking, unless also a moderator.
MARKERS = ("marker", "moderator")
MODERATORS = ("moderator",)


@bp.route("/marking")
@allow(*MARKERS)
def queue():
    per_page = 50
    page = max(request.args.get("page", 1, type=int), 1)
    mine = (Allocation.marker_id == current_user.id,
            Submission.state.in_(("in_marking", "marked", "moderated")))
    total = db.session.scalar(select(func.count(Allocation.id)).join(
        Submission, Submission.id == Allocation.submission_id).where(*mine))
    rows = db.session.execute(
        select(Allocation, Submission, Assessment, Mark.status)
        .join(Submission, Submission.id == Allocation.submission_id)
        .join(Assessment, Assessment.id == Submission.assessment_id)
        .outerjoin(Mark, (Mark.submission_id == Submission.id) & (Mark.role == Allocation.role)
                   & (Mark.marker_id == Allocation.marker_id) & Mark.current())
        # The trainee's name in the same query; their roles are not shown, so not read.
        .where(*mine).options(joinedload(Submission.user).lazyload(User.role_grants))
        .order_by(case((Mark.status.is_(None), 0), (Mark.status == "provisional", 1), else_=2),
                  Assessment.deadline, Submission.candidate_number)
        .limit(per_page).offset((page - 1) * per_page)).all()
    return render_template("assessments/queue.html", rows=rows, page=page, total=total,
                           pages=max(-(-total // per_page), 1))


def _allocated(submission_id: int, role: str) -> Submission:
    submission = db.get_or_404(Submission, submission_id)
    mine = db.session.scalar(select(Allocation.id).where(
        Allocation.submission_id == submission.id, Allocation.role == role,
        Allocation.marker_id == current_user.id))
    if mine is None or role not in ("first", "second"):
        abort(403)
    return submission


def _your_mark(submission: Submission, role: str) -> Mark | None:
    return db.session.scalar(select(Mark).where(  # yours: a new marker starts blind
        Mark.submission_id == submission.id, Mark.role == role, Mark.current(),
        Mark.marker_id == current_user.id))


@bp.route("/marking/<int:submission_id>/<role>", methods=["GET", "POST"])
@allow(*MARKERS)
def mark(submission_id: int, role: str):
    submission = _allocated(submission_id, role)
    if request.method == "GET":
        return _marking_page(submission, role)
    # Bad input is refused whole and the page comes back with every mark and word typed.
    form, rubric = request.form, (submission.scenario or {}).get("rubric", [])
    complete = form.get("action") == "complete"
    marks, problems = criterion_marks(form, rubric, complete=complete)
    problems.update(feedback_problems(form, rubric))
    if problems:
        return _marking_page(submission, role, problems=problems)
    try:
        save_mark(submission, current_user, role, marks,
                  {c["id"]: form.get(f"feedback-{c['id']}", "") for c in rubric},
                  form.get("overall", ""), complete=complete, version=form.get("version"))
        db.session.commit()
    except (MarkConflict, IntegrityError):  # IntegrityError: two first saves at once
        db.session.rollback()
        return _marking_page(submission, role, conflict=True)
    except WorkError as error:
        db.session.rollback()
        return _marking_page(submission, role, errors=[str(error)])
    flash("Marking complete." if complete else "Marking saved.", "success")
    return redirect(url_for("assessments.mark", submission_id=submission.id, role=role))


def _marking_page(submission: Submission, role: str, problems=None, errors=(),
                  conflict=False):
    """Draw the marking page; after a refused save, with everything typed and why (422)."""
    assessment, existing = submission.assessment, _your_mark(submission, role)
    refused = bool(problems or errors or conflict)
    return render_template("assessments/mark.html", submission=submission, role=role,
                           assessment=assessment, data=submission.scenario,
                           rubric=(submission.scenario or {}).get("rubric", []),
                           stages=stages_by_id(submission.scenario or {}), existing=existing,
                           # a refused form keeps the version it was drawn from, so a
                           # stale tab stays stale; after a conflict it takes the saved one
                           version=request.form.get("version", mark_version(existing))
                           if refused and not conflict else mark_version(existing),
                           conflict=conflict,
                           recommended=recommended_path(submission.scenario or {}),
                           attachments=db.session.execute(
                               select(Attachment.id, Attachment.filename).where(
                                   Attachment.submission_id == submission.id)).all(),
                           problems=problems or {}, errors=errors,
                           typed=request.form if refused else None,
                           limits=limits), 409 if conflict else 422 if refused else 200


def _assessment(assessment_id: int) -> Assessment:
    return db.get_or_404(Assessment, assessment_id)


def _overview(assessment: Assessment):
    submissions = db.session.scalars(select(Submission).where(
        Submission.assessment_id == assessment.id, Submission.state != "draft")
        .order_by(Submission.candidate_number)).all()
    ids = [s.id for s in submissions]
    marks: dict[int, dict[str, Mark]] = {}
    for m in db.session.scalars(select(Mark).where(Mark.submission_id.in_(ids), Mark.current())
                                .options(selectinload(Mark.marker).lazyload(User.role_grants))):
        marks.setdefault(m.submission_id, {})[m.role] = m
    allocations: dict[int, dict[str, Allocation]] = {}
    for a in db.session.scalars(select(Allocation).where(Allocation.submission_id.in_(ids))
                                .options(selectinload(Allocation.marker)
                                         .lazyload(User.role_grants))):
        allocations.setdefault(a.submission_id, {})[a.role] = a
    return submissions, marks, allocations, sample_ids(assessment)


@bp.route("/moderation/<int:assessment_id>")
@allow(*MODERATORS)
def moderation(assessment_id: int):
    return _moderation_page(_assessment(assessment_id))


def _moderation_page(assessment: Assessment, refused: dict | None = None):
    """The moderation page; after a refused agree or resit form, that row's form comes back
    with what was typed and the error at its field (422)."""
    submissions, marks, allocations, sample = _overview(assessment)
    markers = allocatable_markers()
    pending = db.session.scalar(select(func.count(Extension.id)).where(
        Extension.assessment_id == assessment.id, Extension.status == "pending"))
    comparisons = {sid: compare_marks(m["first"].mark, m["second"].mark,
                                      tolerance=assessment.tolerance)
                   for sid, m in marks.items() if "first" in m and "second" in m
                   and m["first"].mark is not None and m["second"].mark is not None}
    return render_template("assessments/moderation.html", assessment=assessment,
                           submissions=submissions, marks=marks, allocations=allocations,
                           sample=sample, markers=markers, band=band,
                           distributions=_distributions(marks),
                           pending=pending, comparisons=comparisons,
                           due=allocation_due(assessment, sample), refused=refused or {},
                           limits=limits), 422 if refused else 200


def _refused_row(assessment, form: str, submission: Submission, field: str, message: str):
    return _moderation_page(assessment, {
        "form": form, "submission_id": submission.id, "field": f"{field}-{submission.id}",
        "message": message, "typed": request.form})


def _distributions(marks: dict[int, dict[str, Mark]]) -> dict:
    """Each marker's first and second marks, and the cohort's agreed marks, as charts."""
    by_marker: dict[str, list[int]] = {}
    for by_role in marks.values():
        for role in ("first", "second"):
            if role in by_role and by_role[role].mark is not None:
                by_marker.setdefault(by_role[role].marker.name, []).append(by_role[role].mark)
    agreed = [m["agreed"].final_mark for m in marks.values()
              if "agreed" in m and m["agreed"].final_mark is not None]

    def drawn(values: list[int], title: str, chart_id: str) -> dict:
        return {"chart": distribution_chart(values, title=title, chart_id=chart_id),
                "words": spread_words(spread(values)), "bins": bins(values)}

    return {"markers": [{"name": name, **drawn(values, f"Marks given by {name}", f"marker-{i}")}
                        for i, (name, values) in enumerate(sorted(by_marker.items()), 1)],
            "cohort": drawn(agreed, "The cohort's agreed marks", "cohort") if agreed else None}


def _back(assessment: Assessment):
    return redirect(url_for("assessments.moderation", assessment_id=assessment.id))


def _run(assessment: Assessment, action, success):
    """Do the action and say so; success is a message, or a function of the action's result."""
    try:
        result = action()
    except WorkError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(success(result) if callable(success) else success, "success")
    return _back(assessment)


@bp.route("/moderation/<int:assessment_id>/allocate", methods=["POST"])
@allow(*MODERATORS)
def allocate_work(assessment_id: int):
    """Share out exactly the work the page listed: a changed list is shown again, not guessed."""
    assessment = _assessment(assessment_id)
    role = "second" if request.form.get("role") == "second" else "first"
    markers = [int(m) if m.isdecimal() else 0 for m in request.form.getlist("markers")]
    if not markers:
        flash("Choose at least one marker.", "error")
        return _back(assessment)
    due = allocation_due(assessment)[role]
    promised = request.form.get(f"promised-{role}")
    if promised is not None and promised != ",".join(map(str, due)):
        flash(f"The work waiting for {role} marking has changed since the page was loaded: "
              f"{pieces(len(due), verb=True)} waiting now. Check the numbers and allocate "
              "again.", "error")
        return _back(assessment)
    if not due:
        flash(f"No work is waiting for {role} marking.", "error")
        return _back(assessment)
    return _run(assessment, lambda: allocate_evenly(assessment, markers, role,
                                                    actor=current_user, only=set(due)),
                str)


@bp.route("/moderation/<int:assessment_id>/allocate/<int:submission_id>", methods=["POST"])
@allow(*MODERATORS)
def allocate_one(assessment_id: int, submission_id: int):
    assessment = _assessment(assessment_id)
    submission = db.get_or_404(Submission, submission_id)
    if submission.assessment_id != assessment.id:
        abort(404)
    role = "second" if request.form.get("role") == "second" else "first"
    marker = request.form.get("marker", type=int)
    if marker is None:
        flash("Choose a marker.", "error")
        return _back(assessment)
    return _run(assessment, lambda: allocate(submission, marker, role, actor=current_user),
                "Allocation saved.")


@bp.route("/moderation/<int:assessment_id>/agree/<int:submission_id>", methods=["POST"])
@allow(*MODERATORS)
def agree_mark(assessment_id: int, submission_id: int):
    assessment = _assessment(assessment_id)
    submission = db.get_or_404(Submission, submission_id)
    if submission.assessment_id != assessment.id:
        abort(404)
    value = request.form.get("mark", type=int)
    if value is None or not 0 <= value <= 100:
        return _refused_row(assessment, "agree", submission, "agree",
                            "The agreed mark is a whole number from 0 to 100.")
    if problem := length_problem(request.form.get("reason", ""), limits.REASON, "The reason"):
        return _refused_row(assessment, "agree", submission, "reason", problem)
    return _run(assessment, lambda: agree(submission, current_user, value,
                                          request.form.get("reason", ""), now=utc_now()),
                "Mark agreed for " + submission.candidate_number + ".")


@bp.route("/moderation/<int:assessment_id>/resit/<int:submission_id>", methods=["POST"])
@allow(*MODERATORS)
def resit(assessment_id: int, submission_id: int):
    assessment = _assessment(assessment_id)
    submission = db.get_or_404(Submission, submission_id)
    if submission.assessment_id != assessment.id:
        abort(404)
    if problem := length_problem(request.form.get("reason", ""), limits.REASON, "The reason"):
        return _refused_row(assessment, "resit", submission, "resit-reason", problem)
    return _run(assessment, lambda: grant_resit(
        submission, current_user, mitigating=bool(request.form.get("mitigating")),
        reason=request.form.get("reason", "")), "Resit granted; the trainee has been told.")


@bp.route("/moderation/<int:assessment_id>/approve", methods=["POST"])
@allow(*MODERATORS)
def approve_release(assessment_id: int):
    assessment = _assessment(assessment_id)
    return _run(assessment, lambda: approve(assessment, current_user),
                lambda count: f"{plural(count, 'mark')} "
                f"{'is' if count == 1 else 'are'} ready for release.")


@bp.route("/moderation/<int:assessment_id>/release", methods=["GET", "POST"])
@allow(*MODERATORS)
def release_marks(assessment_id: int):
    """Show what a release would send, and to whom; release only what was shown, on confirm."""
    assessment = _assessment(assessment_id)
    problem = None
    if request.method == "POST":
        confirmed = {int(i) for i in request.form.get("confirmed", "").split(",") if i.isdecimal()}
        try:
            count = release(assessment, current_user, now=utc_now(), confirmed=confirmed)
        except WorkError as error:
            db.session.rollback()
            problem = str(error)
        else:
            db.session.commit()
            flash(f"Released {pieces(count)}; trainees have been told by email.", "success")
            return _back(assessment)
    ready, waiting = release_plan(assessment)
    return render_template("assessments/release.html", assessment=assessment, ready=ready,
                           waiting=waiting, problem=problem,
                           confirmed=",".join(str(s.id) for s in ready)), 409 if problem else 200


@bp.route("/moderation/<int:assessment_id>/marks.csv")
@allow(*MODERATORS)
def export_marks(assessment_id: int):
    assessment = _assessment(assessment_id)
    rows = db.session.execute(
        select(Submission, User, Mark, Enrolment.student_id)
        .join(User, User.id == Submission.user_id)
        .join(Mark, (Mark.submission_id == Submission.id) & (Mark.role == "agreed")
              & Mark.current())
        .outerjoin(Enrolment, (Enrolment.user_id == Submission.user_id)
                   & (Enrolment.cohort_id == assessment.cohort_id))
        .where(Submission.assessment_id == assessment.id)
        .order_by(Submission.candidate_number)).all()
    header = ["candidate_number", "student_id", "name", "email", "module", "component",
              "attempt", "agreed_mark", "final_mark", "band", "days_late", "state", "reason"]
    return csv_response([header] + [
        [submission.candidate_number, student_id or "", user.name, user.email,
         assessment.module.code, assessment.component_id, submission.attempt, agreed.mark,
         agreed.final_mark, band(agreed.final_mark), submission.days_late, submission.state,
         agreed.reason or ""]
        for submission, user, agreed, student_id in rows], f"marks-{assessment.id}.csv")


@bp.route("/moderation/<int:assessment_id>/extensions", methods=["GET", "POST"])
@allow(*MODERATORS)
def extensions(assessment_id: int):
    assessment = _assessment(assessment_id)
    if request.method == "POST":
        extension = db.get_or_404(Extension, request.form.get("extension", type=int) or 0)
        if extension.assessment_id != assessment.id:
            abort(404)
        grant = request.form.get("decision") == "grant"
        until = None
        if grant:
            try:
                until = london_deadline(datetime.strptime(request.form.get("until", ""),
                                                          "%Y-%m-%d").date(),
                                        # the UK time of day asked for, not UTC's
                                        extension.requested_until.astimezone(LONDON).time())
            except ValueError:
                return _extensions_page(assessment, extension, "until",
                                        "Enter the new deadline as a date.")
        if problem := length_problem(request.form.get("note", ""), limits.REASON, "The note"):
            return _extensions_page(assessment, extension, "note", problem)
        try:
            decide_extension(extension, current_user, grant=grant, until=until,
                             mitigating=bool(request.form.get("mitigating")),
                             note=request.form.get("note", ""), now=utc_now())
        except WorkError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash("Decision recorded.", "success")
        return redirect(url_for("assessments.extensions", assessment_id=assessment.id))
    return _extensions_page(assessment)


def _extensions_page(assessment, refused_for=None, field=None, message=None):
    """The requests; after a refused decision, its form comes back as typed (422)."""
    rows = db.session.execute(select(Extension, User).join(User, User.id == Extension.user_id)
                              .where(Extension.assessment_id == assessment.id)
                              .order_by(Extension.requested_at)).all()
    refused = ({"id": refused_for.id, "field": f"{field}-{refused_for.id}", "message": message,
                "typed": request.form} if refused_for is not None else {})
    return render_template("assessments/extensions.html", assessment=assessment, rows=rows,
                           refused=refused, limits=limits), 422 if refused else 200

