"""Staff-side writes on a set assessment: refuse duplicates, change the deadline, withdraw.

Nothing is deleted: a withdrawn assessment keeps its work and marks, and every change is
audited with its before and after. Trainees who have started are told by email."""

from datetime import datetime

from flask import render_template
from sqlalchemy import select

from lms.assessments.models import Assessment, Submission
from lms.assessments.services import WorkError, granted_until
from lms.audit.services import record
from lms.auth.models import User
from lms.extensions import db
from lms.links import external
from lms.mail.services import send_mail


def duplicate_of(cohort_id: int, module_id: int, component_id: str) -> Assessment | None:
    """Return the assessment (not withdrawn) already set for this cohort and component."""
    return db.session.scalar(select(Assessment).where(
        Assessment.cohort_id == cohort_id, Assessment.module_id == module_id,
        Assessment.component_id == component_id, Assessment.withdrawn_at.is_(None)))


def starters(assessment: Assessment) -> list[User]:
    """Return the trainees who have started (or submitted) work on an assessment."""
    return list(db.session.scalars(select(User).where(User.id.in_(
        select(Submission.user_id).where(Submission.assessment_id == assessment.id)))
        .order_by(User.id)))


def _link(assessment: Assessment) -> str:
    return external(f"/assessments/{assessment.id}")


def change_deadline(assessment: Assessment, deadline: datetime, actor, *, now: datetime,
                    reason: str = "") -> int:
    """Move the deadline (never into the past); tell those who have started. Return how many."""
    if assessment.withdrawn_at is not None:
        raise WorkError("This assessment has been withdrawn; its deadline cannot be changed.")
    if assessment.released_at is not None:
        raise WorkError("Marks have been released; the deadline can no longer be changed.")
    if deadline <= now:
        raise WorkError("Choose a deadline in the future.")
    before = assessment.deadline
    if deadline == before:
        raise WorkError("That is the deadline already.")
    assessment.deadline = deadline
    record("assessment_deadline_changed", assessment, actor=actor,
           before={"deadline": before.isoformat()}, after={"deadline": deadline.isoformat()},
           reason=reason.strip() or None)
    told = starters(assessment)
    for trainee in told:
        send_mail(trainee.email, f"Deadline changed: {assessment.title}",
                  render_template("assessments/email/deadline_changed.txt", trainee=trainee,
                                  assessment=assessment, before=before,
                                  extended=granted_until(assessment, trainee),
                                  link=_link(assessment)))
    return len(told)


def withdraw(assessment: Assessment, actor, *, reason: str, now: datetime) -> int:
    """Withdraw an assessment, keeping everything; tell those who had started. Return how many."""
    if assessment.withdrawn_at is not None:
        raise WorkError("This assessment has already been withdrawn.")
    if assessment.released_at is not None:
        raise WorkError("Marks have been released; a released assessment cannot be withdrawn.")
    if not reason.strip():
        raise WorkError("Say why the assessment is being withdrawn.")
    assessment.withdrawn_at, assessment.withdrawn_by_id = now, actor.id
    assessment.withdraw_reason = reason.strip()
    record("assessment_withdrawn", assessment, actor=actor, before={"withdrawn": False},
           after={"withdrawn": True, "title": assessment.title}, reason=assessment.withdraw_reason)
    told = starters(assessment)
    for trainee in told:
        send_mail(trainee.email, f"Withdrawn: {assessment.title}",
                  render_template("assessments/email/withdrawn.txt", trainee=trainee,
                                  assessment=assessment))
    return len(told)
