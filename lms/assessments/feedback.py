"""What a trainee reads about their own work: what they submitted, and how a released mark
is made. Reads only; the rules are in assessments.marks."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from assessments.deadlines import effective_deadline, working_days_late
from assessments.marks import Breakdown, mark_breakdown
from lms.assessments.models import Assessment, Mark, Submission
from lms.extensions import db

PART_LABELS = {"decisions": "Your decisions in the scenario", "written": "Your written work"}


@dataclass(frozen=True)
class Released:
    submission: Submission
    mark: Mark  # the agreed mark: its feedback is what the trainee reads, never a marker's
    breakdown: Breakdown


def released_feedback(assessment: Assessment, user,
                      extension_until: datetime | None) -> Released | None:
    """The trainee's latest released work with its agreed mark explained, or None."""
    submission = db.session.scalar(
        select(Submission).where(Submission.assessment_id == assessment.id,
                                 Submission.user_id == user.id, Submission.state == "released")
        .order_by(Submission.attempt.desc()).limit(1))
    if submission is None:
        return None
    marks = {m.role: m for m in db.session.scalars(select(Mark).where(
        Mark.submission_id == submission.id, Mark.role.in_(("first", "agreed")),
        Mark.current()))}
    agreed, first = marks.get("agreed"), marks.get("first")
    if agreed is None or agreed.mark is None or agreed.final_mark is None:
        return None
    data = submission.scenario or {}
    # The late policy counts days as agree() did: from the deadline with any extension.
    deadline = effective_deadline(assessment.deadline, extension_until)
    breakdown = mark_breakdown(
        decisions=submission.decision_mark, weights=data.get("weights", {}),
        criteria=[(c["id"], c["weight"]) for c in data.get("rubric", [])],
        criterion_marks=agreed.criterion_marks or {}, agreed=agreed.mark,
        final=agreed.final_mark, first=first.mark if first else None,
        days_late=working_days_late(submission.submitted_at, deadline),
        late_capped_days=assessment.late_capped_days, resit=submission.attempt > 1,
        mitigating=submission.mitigating, reason=agreed.reason)
    return Released(submission, agreed, breakdown)

