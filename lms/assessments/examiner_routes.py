"""The external examiner's pages: the moderation sample, each script in it, and their report.

Moderators read the same pages. The report is the one thing an examiner writes."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from assessments.history import history_lines
from assessments.scenario import recommended_path, stages_by_id
from lms.access import allow
from lms.assessments import bp
from lms.assessments.forms import ExaminerReportForm
from lms.assessments.marking import sample_ids
from lms.assessments.models import Allocation, Assessment, Attachment, Mark, Submission
from lms.assessments.permissions import can_read_script, can_write_examiner_report
from lms.assessments.reports import (
    StaleReport,
    current_report,
    current_reports,
    earlier_versions,
    submit_report,
)
from lms.assessments.services import utc_now
from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.extensions import db
from lms.uploads import EXTENSIONS

READERS = ("examiner", "moderator")


@bp.context_processor
def _examiner_reports():
    # The moderation page's short "examiner's reports" block asks for these by assessment.
    return {"examiner_reports": current_reports}


def _marks_and_markers(ids) -> tuple[dict, dict]:
    """Return the marks in force and the allocations of some submissions, by id then role."""
    marks: dict[int, dict[str, Mark]] = {}
    for mark in db.session.scalars(select(Mark).where(Mark.submission_id.in_(ids), Mark.current())
                                   .options(selectinload(Mark.marker))):
        marks.setdefault(mark.submission_id, {})[mark.role] = mark
    allocations: dict[int, dict[str, Allocation]] = {}
    for allocation in db.session.scalars(select(Allocation).where(
            Allocation.submission_id.in_(ids)).options(selectinload(Allocation.marker))):
        allocations.setdefault(allocation.submission_id, {})[allocation.role] = allocation
    return marks, allocations


def _sample_page(assessment: Assessment, form: ExaminerReportForm | None,
                 stale: StaleReport | None = None, status: int = 200):
    chosen = sample_ids(assessment)
    shown = db.session.scalars(select(Submission).where(Submission.id.in_(chosen))
                               .options(selectinload(Submission.user))
                               .order_by(Submission.candidate_number)).all()
    marks, allocations = _marks_and_markers(chosen)
    reports = current_reports(assessment.id)
    if can_write_examiner_report(current_user):  # an examiner reads their own report
        reports = [r for r in reports if r.examiner_id == current_user.id]
    return render_template("assessments/sample.html", assessment=assessment, shown=shown,
                           marks=marks, allocations=allocations, reports=reports,
                           earlier=earlier_versions(assessment.id), form=form,
                           stale=stale), status


def _report_form(assessment: Assessment) -> ExaminerReportForm | None:
    if not can_write_examiner_report(current_user):
        return None
    mine = current_report(assessment.id, current_user.id)
    return ExaminerReportForm(text=mine.text if mine else "",
                              version=str(mine.version if mine else 0))


@bp.route("/moderation/<int:assessment_id>/sample")
@allow(*READERS)
def sample(assessment_id: int):
    assessment = db.get_or_404(Assessment, assessment_id)
    return _sample_page(assessment, _report_form(assessment))


@bp.route("/moderation/<int:assessment_id>/report", methods=["POST"])
@allow("examiner")
def examiner_report(assessment_id: int):
    assessment = db.get_or_404(Assessment, assessment_id)
    form = ExaminerReportForm()
    if not form.validate_on_submit():  # the page comes back with everything typed
        return _sample_page(assessment, form, status=422)
    try:
        report = submit_report(assessment, current_user, form.text.data,
                               based_on=form.based_on(), now=utc_now())
        db.session.commit()
    except (StaleReport, IntegrityError) as error:
        db.session.rollback()
        stale = error if isinstance(error, StaleReport) else StaleReport(
            current_report(assessment.id, current_user.id))
        form.version.data = str(stale.current.version if stale.current else 0)
        return _sample_page(assessment, form, stale=stale, status=409)
    flash(f"Your report is submitted (version {report.version}); the moderators have been "
          "told.", "success")
    return redirect(url_for("assessments.sample", assessment_id=assessment.id,
                            _anchor="reports"))


def _history(submission: Submission) -> list[str]:
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.subject_type == "Submission", AuditEvent.subject_id == submission.id)
        .order_by(AuditEvent.at, AuditEvent.id)).all()
    people = {e.actor_id for e in events}
    for event in events:
        for snapshot in (event.before or {}, event.after or {}):
            if isinstance(snapshot.get("marker_id"), int):
                people.add(snapshot["marker_id"])
    people.discard(submission.user_id)  # the trainee is "the candidate", never named
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(
        [p for p in people if p is not None]))).all())
    return history_lines(events, names, submission.user_id)


@bp.route("/moderation/<int:assessment_id>/sample/<int:submission_id>")
@allow(*READERS)
def sample_script(assessment_id: int, submission_id: int):
    assessment = db.get_or_404(Assessment, assessment_id)
    submission = db.get_or_404(Submission, submission_id)
    ours = submission.assessment_id == assessment.id
    if not ours or not can_read_script(current_user, submission,
                                       submission.id in sample_ids(assessment)):
        abort(404)  # outside the sample: do not confirm that it exists
    marks, allocations = _marks_and_markers([submission.id])
    data = submission.scenario or {}  # the scenario this trainee was given
    attachments = db.session.execute(
        select(Attachment.id, Attachment.content_type, Attachment.size)
        .where(Attachment.submission_id == submission.id).order_by(Attachment.id)).all()
    return render_template(
        "assessments/sample_script.html", assessment=assessment, submission=submission,
        marks=marks.get(submission.id, {}), allocations=allocations.get(submission.id, {}),
        data=data, rubric=data.get("rubric", []), stages=stages_by_id(data),
        recommended=recommended_path(data) if data else [], attachments=attachments,
        extensions=EXTENSIONS, history=_history(submission))
