"""Staff pages: the marker's queue, marking on the rubric, moderation, release, the sample."""

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from assessments.deadlines import london_deadline
from assessments.marks import band, compare_marks
from assessments.scenario import recommended_path, stages_by_id
from lms import limits
from lms.access import allow
from lms.assessments import bp
from lms.assessments.forms import feedback_problems
from lms.assessments.marking import (
    agree,
    allocatable_markers,
    allocate,
    allocate_evenly,
    approve,
    decide_extension,
    grant_resit,
    release,
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
from lms.audit.models import AuditEvent
from lms.auth.models import User
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
        .where(*mine).options(selectinload(Submission.user))
        .order_by(Mark.status.is_not(None), Assessment.deadline, Submission.candidate_number)
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


@bp.route("/marking/<int:submission_id>/<role>", methods=["GET", "POST"])
@allow(*MARKERS)
def mark(submission_id: int, role: str):
    submission = _allocated(submission_id, role)
    assessment = submission.assessment
    rubric = (assessment.scenario or {}).get("rubric", [])
    # Feedback over its limit is refused whole: the page comes back with everything typed.
    problems = feedback_problems(request.form, rubric) if request.method == "POST" else {}
    if request.method == "POST" and not problems:
        form = request.form
        try:
            save_mark(submission, current_user, role,
                      {c["id"]: form.get(f"mark-{c['id']}", type=int) for c in rubric},
                      {c["id"]: form.get(f"feedback-{c['id']}", "") for c in rubric},
                      form.get("overall", ""), complete=form.get("action") == "complete")
        except (WorkError, ValueError) as error:
            db.session.rollback()
            flash(str(error) if isinstance(error, WorkError) else
                  "Marks are whole numbers from 0 to 100.", "error")
        else:
            db.session.commit()
            flash("Marking saved." if form.get("action") != "complete" else
                  "Marking complete.", "success")
        return redirect(url_for("assessments.mark", submission_id=submission.id, role=role))
    existing = db.session.scalar(select(Mark).where(  # yours: a new marker starts blind
        Mark.submission_id == submission.id, Mark.role == role, Mark.current(),
        Mark.marker_id == current_user.id))
    return render_template("assessments/mark.html", submission=submission, role=role,
                           assessment=assessment, data=assessment.scenario, rubric=rubric,
                           stages=stages_by_id(assessment.scenario or {}), existing=existing,
                           recommended=recommended_path(assessment.scenario or {}),
                           attachments=db.session.execute(
                               select(Attachment.id, Attachment.filename).where(
                                   Attachment.submission_id == submission.id)).all(),
                           problems=problems, typed=request.form if problems else None,
                           limits=limits), 422 if problems else 200


def _assessment(assessment_id: int) -> Assessment:
    return db.get_or_404(Assessment, assessment_id)


def _overview(assessment: Assessment):
    submissions = db.session.scalars(select(Submission).where(
        Submission.assessment_id == assessment.id, Submission.state != "draft")
        .order_by(Submission.candidate_number)).all()
    ids = [s.id for s in submissions]
    marks: dict[int, dict[str, Mark]] = {}
    for m in db.session.scalars(select(Mark).where(Mark.submission_id.in_(ids), Mark.current())
                                .options(selectinload(Mark.marker))):
        marks.setdefault(m.submission_id, {})[m.role] = m
    allocations: dict[int, dict[str, Allocation]] = {}
    for a in db.session.scalars(select(Allocation).where(Allocation.submission_id.in_(ids))
                                .options(selectinload(Allocation.marker))):
        allocations.setdefault(a.submission_id, {})[a.role] = a
    return submissions, marks, allocations, sample_ids(assessment)


@bp.route("/moderation/<int:assessment_id>")
@allow(*MODERATORS)
def moderation(assessment_id: int):
    assessment = _assessment(assessment_id)
    submissions, marks, allocations, sample = _overview(assessment)
    markers = allocatable_markers()
    histogram: dict[str, list[int]] = {}
    for by_role in marks.values():
        for role in ("first", "second"):
            if role in by_role and by_role[role].mark is not None:
                name = by_role[role].marker.name
                histogram.setdefault(name, [0] * 10)[min(by_role[role].mark // 10, 9)] += 1
    pending = db.session.scalar(select(func.count(Extension.id)).where(
        Extension.assessment_id == assessment.id, Extension.status == "pending"))
    comparisons = {sid: compare_marks(m["first"].mark, m["second"].mark,
                                      tolerance=assessment.tolerance)
                   for sid, m in marks.items() if "first" in m and "second" in m
                   and m["first"].mark is not None and m["second"].mark is not None}
    return render_template("assessments/moderation.html", assessment=assessment,
                           submissions=submissions, marks=marks, allocations=allocations,
                           sample=sample, markers=markers, histogram=histogram, band=band,
                           pending=pending, comparisons=comparisons)


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
    assessment = _assessment(assessment_id)
    role = "second" if request.form.get("role") == "second" else "first"
    markers = [int(m) if m.isdecimal() else 0 for m in request.form.getlist("markers")]
    if not markers:
        flash("Choose at least one marker.", "error")
        return _back(assessment)
    only = sample_ids(assessment) if role == "second" else None
    return _run(assessment, lambda: allocate_evenly(assessment, markers, role,
                                                    actor=current_user, only=only),
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
        flash("The agreed mark is a whole number from 0 to 100.", "error")
        return _back(assessment)
    if problem := length_problem(request.form.get("reason", ""), limits.REASON, "The reason"):
        flash(problem, "error")
        return _back(assessment)
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
        flash(problem, "error")
        return _back(assessment)
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


@bp.route("/moderation/<int:assessment_id>/release", methods=["POST"])
@allow(*MODERATORS)
def release_marks(assessment_id: int):
    assessment = _assessment(assessment_id)
    return _run(assessment, lambda: release(assessment, current_user, now=utc_now()),
                lambda count: f"Released {plural(count, 'mark')}; trainees have been told.")


@bp.route("/moderation/<int:assessment_id>/marks.csv")
@allow(*MODERATORS)
def export_marks(assessment_id: int):
    assessment = _assessment(assessment_id)
    rows = db.session.execute(
        select(Submission, User, Mark).join(User, User.id == Submission.user_id)
        .join(Mark, (Mark.submission_id == Submission.id) & (Mark.role == "agreed")
              & Mark.current())
        .where(Submission.assessment_id == assessment.id)
        .order_by(Submission.candidate_number)).all()
    header = ["candidate_number", "name", "email", "module", "component", "attempt",
              "agreed_mark", "final_mark", "band", "days_late", "state", "reason"]
    return csv_response([header] + [
        [submission.candidate_number, user.name, user.email, assessment.module.code,
         assessment.component_id, submission.attempt, agreed.mark, agreed.final_mark,
         band(agreed.final_mark), submission.days_late, submission.state, agreed.reason or ""]
        for submission, user, agreed in rows], f"marks-{assessment.id}.csv")


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
                                        extension.requested_until.time())
            except ValueError:
                flash("Enter the new deadline as a date.", "error")
                return redirect(url_for("assessments.extensions", assessment_id=assessment.id))
        if problem := length_problem(request.form.get("note", ""), limits.REASON, "The note"):
            flash(problem, "error")
            return redirect(url_for("assessments.extensions", assessment_id=assessment.id))
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
    rows = db.session.execute(select(Extension, User).join(User, User.id == Extension.user_id)
                              .where(Extension.assessment_id == assessment.id)
                              .order_by(Extension.requested_at)).all()
    return render_template("assessments/extensions.html", assessment=assessment, rows=rows)


@bp.route("/moderation/<int:assessment_id>/sample")
@allow("examiner", *MODERATORS)
def sample(assessment_id: int):
    assessment = _assessment(assessment_id)
    submissions, marks, _allocations, chosen = _overview(assessment)
    shown = [s for s in submissions if s.id in chosen]
    history = {}
    for event in db.session.scalars(select(AuditEvent).where(
            AuditEvent.subject_type == "Submission",
            AuditEvent.subject_id.in_([s.id for s in shown]))
            .options(selectinload(AuditEvent.actor)).order_by(AuditEvent.at)):
        history.setdefault(event.subject_id, []).append(event)
    return render_template("assessments/sample.html", assessment=assessment, shown=shown,
                           marks=marks, history=history, data=assessment.scenario,
                           stages=stages_by_id(assessment.scenario or {}))
