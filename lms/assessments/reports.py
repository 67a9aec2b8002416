"""The external examiner's report: each submission adds a version; moderators are told."""

from datetime import datetime

from flask import render_template
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, selectinload

from lms.assessments.models import Assessment, ExaminerReport
from lms.assessments.services import WorkError
from lms.audit.services import record
from lms.auth.models import RoleGrant, User
from lms.extensions import db
from lms.links import external_for
from lms.mail.services import send_mail


class StaleReport(WorkError):
    """The report changed since the form was opened (another tab, another device)."""

    def __init__(self, current: ExaminerReport | None):
        super().__init__("Your report has changed since you opened this page, so your text has "
                         "not been saved. The saved version is shown above the form and your "
                         "text is still in it: combine the two and submit again.")
        self.current = current


def current_report(assessment_id: int, examiner_id: int) -> ExaminerReport | None:
    """Return an examiner's latest report on an assessment, if they have written one."""
    return db.session.scalar(select(ExaminerReport).where(
        ExaminerReport.assessment_id == assessment_id,
        ExaminerReport.examiner_id == examiner_id)
        .order_by(ExaminerReport.version.desc()).limit(1))


def current_reports(assessment_id: int) -> list[ExaminerReport]:
    """Return each examiner's latest report on an assessment, examiners by name."""
    latest = (select(ExaminerReport.examiner_id, func.max(ExaminerReport.version).label("v"))
              .where(ExaminerReport.assessment_id == assessment_id)
              .group_by(ExaminerReport.examiner_id).subquery())
    return list(db.session.scalars(
        select(ExaminerReport).join(latest, (latest.c.examiner_id == ExaminerReport.examiner_id)
                                    & (latest.c.v == ExaminerReport.version))
        .join(User, User.id == ExaminerReport.examiner_id)
        .where(ExaminerReport.assessment_id == assessment_id)
        .options(selectinload(ExaminerReport.examiner)).order_by(User.name, User.id)))


def earlier_versions(assessment_id: int) -> dict[int, list[ExaminerReport]]:
    """Return the versions each examiner has revised, newest first, by examiner id."""
    newer = aliased(ExaminerReport)
    rows = db.session.scalars(select(ExaminerReport).where(
        ExaminerReport.assessment_id == assessment_id,
        select(newer.id).where(newer.assessment_id == ExaminerReport.assessment_id,
                               newer.examiner_id == ExaminerReport.examiner_id,
                               newer.version > ExaminerReport.version).exists())
        .order_by(ExaminerReport.version.desc()))
    found: dict[int, list[ExaminerReport]] = {}
    for report in rows:
        found.setdefault(report.examiner_id, []).append(report)
    return found


def submit_report(assessment: Assessment, examiner: User, text: str, *, based_on: int,
                  now: datetime) -> ExaminerReport:
    """Add the next version of an examiner's report, if `based_on` is still the latest one.

    Raise StaleReport when another version was saved since the form was opened; a save racing
    this one fails on the unique version instead, and the caller treats that the same way."""
    current = current_report(assessment.id, examiner.id)
    version = current.version if current else 0
    if based_on != version:
        raise StaleReport(current)
    report = ExaminerReport(assessment_id=assessment.id, examiner_id=examiner.id,
                            version=version + 1, text=text.strip(), submitted_at=now)
    db.session.add(report)
    db.session.flush()
    record("examiner_report_submitted", report, actor=examiner,
           before={"version": version, "report_id": current.id} if current else None,
           after={"version": report.version, "report_id": report.id,
                  "assessment_id": assessment.id, "characters": len(report.text)})
    _tell_moderators(assessment, examiner, report)
    return report


def _tell_moderators(assessment: Assessment, examiner: User, report: ExaminerReport) -> None:
    moderators = db.session.scalars(
        select(User).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == "moderator", User.active.is_(True), User.id != examiner.id)
        .order_by(User.id)).all()
    link = external_for("assessments.sample", assessment_id=assessment.id,
                        _anchor="reports")
    subject = ("Examiner's report" if report.version == 1 else "Examiner's report revised")
    for moderator in moderators:
        body = render_template("assessments/email/examiner_report.txt", moderator=moderator,
                               examiner=examiner, assessment=assessment, report=report,
                               link=link)
        send_mail(moderator.email, f"{subject}: {assessment.title}", body)
