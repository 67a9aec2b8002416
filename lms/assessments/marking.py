"""Staff-side writes: allocate, mark, second-mark, agree, release, amend, decide extensions.

Every write records who, when, before and after; a mark is never silently overwritten."""

from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import lazyload, selectinload

from assessments.deadlines import (
    LatePolicy,
    apply_late_penalty,
    effective_deadline,
    working_days_late,
)
from assessments.marks import (
    PASS_MARK,
    check_mark,
    compare_marks,
    component_mark,
    resit_mark,
    rubric_mark,
)
from assessments.moderation import even_allocation, moderation_sample
from lms.assessments.models import Allocation, Assessment, Extension, Mark, Submission
from lms.assessments.permissions import ALLOCATABLE_ROLES, can_be_allocated, can_be_given_marking
from lms.assessments.services import WorkError, granted_until
from lms.audit.services import record
from lms.auth.models import RoleGrant, User
from lms.certs.issuing import after_release
from lms.db import utcnow
from lms.extensions import db
from lms.formatting import plural
from lms.links import external
from lms.mail.services import send_mail

MARKED_STATES = ("in_marking", "marked", "moderated", "ready", "released")


def _state(submission: Submission, new: str, actor, reason: str | None = None) -> None:
    if submission.state != new:
        record("submission_state", submission, actor=actor, before={"state": submission.state},
               after={"state": new}, reason=reason)
        submission.state = new


def allocatable_markers() -> list[User]:
    """Return the active people who may be allocated marking (markers and moderators), by
    name; their role grants load only if read (the moderation page shows names)."""
    return list(db.session.scalars(
        select(User).where(User.active.is_(True),
                           User.role_grants.any(RoleGrant.role.in_(sorted(ALLOCATABLE_ROLES))))
        .options(lazyload(User.role_grants)).order_by(User.name, User.id)))


def _person(person_id) -> User | None:
    return db.session.get(User, person_id) if valid_id(person_id) else None


def valid_id(value) -> bool:
    """Whether a value can be a database id (a whole number the id column can hold)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


def allocate(submission: Submission, marker_id: int, role: str, *, actor) -> Allocation:
    """Allocate (or reallocate) a submission to a marker as first or second marker.

    Reallocation retires the old marker's provisional mark: it stays on record, credited to
    them, and the new marker starts with an empty form."""
    if submission.state == "draft":
        raise WorkError("Drafts cannot be allocated for marking.")
    if submission.state in AGREED_STATES:
        raise WorkError("The mark for this work has been agreed; it is not allocated again.")
    if not can_be_allocated(_person(marker_id), submission):
        raise WorkError("That person cannot mark this work: choose an active marker or "
                        "moderator who is not its author.")
    existing = db.session.scalar(select(Allocation).where(
        Allocation.submission_id == submission.id, Allocation.role == role))
    if existing is not None and existing.marker_id == marker_id:
        return existing
    current = db.session.scalar(select(Mark).where(
        Mark.submission_id == submission.id, Mark.role == role, Mark.current()))
    if current is not None and current.status == "complete":
        raise WorkError("That marking is complete; it cannot be reallocated.")
    other = db.session.scalar(select(Allocation.marker_id).where(
        Allocation.submission_id == submission.id,
        Allocation.role == ("first" if role == "second" else "second")))
    if other == marker_id:
        raise WorkError("The first and second markers must be different people.")
    before = {"marker_id": existing.marker_id, "role": role} if existing else None
    if existing is None:
        existing = Allocation(submission_id=submission.id, role=role)
        db.session.add(existing)
    existing.marker_id, existing.allocated_by_id = marker_id, actor.id
    existing.allocated_at = utcnow()
    after = {"marker_id": marker_id, "role": role}
    if current is not None:
        current.superseded_at = utcnow()
        after["superseded_mark_id"] = current.id
    db.session.flush()
    record("reallocated" if before else "allocated", submission, actor=actor, before=before,
           after=after)
    if submission.state == "submitted":
        _state(submission, "in_marking", actor)
    return existing


@dataclass(frozen=True)
class Shared:
    """What sharing work among markers did: how many allocated, how many left for a person."""

    allocated: int
    left: int  # work no chosen marker may take: their own, or work they already mark

    def __str__(self) -> str:
        text = f"{pieces(self.allocated)} allocated."
        if self.left:
            text += (f" {self.left} could not go to any marker you chose (their own work, or "
                     "work they already mark): allocate by hand.")
        return text


def allocate_evenly(assessment: Assessment, marker_ids: list[int], role: str, *, actor,
                    only: set[int] | None = None) -> Shared:
    """Share unallocated work among markers, never giving anyone their own work."""
    markers = list(dict.fromkeys(marker_ids))
    if not markers or not all(can_be_given_marking(_person(m)) for m in markers):
        raise WorkError("One of those people cannot mark this work: choose active markers "
                        "or moderators from the list.")
    submissions = {s.id: s for s in db.session.scalars(select(Submission).where(
        Submission.assessment_id == assessment.id, Submission.state != "draft"))}
    if only is not None:
        submissions = {k: v for k, v in submissions.items() if k in only}
    current = dict(db.session.execute(select(Allocation.submission_id, Allocation.marker_id)
                                      .where(Allocation.submission_id.in_(submissions),
                                             Allocation.role == role)).all())
    paired = dict(db.session.execute(select(Allocation.submission_id, Allocation.marker_id)
                                     .where(Allocation.submission_id.in_(submissions),
                                            Allocation.role != role)).all())
    plan = even_allocation(list(submissions), markers, current)
    count = left = 0
    for sid, marker in plan.items():
        if sid in current:
            continue
        barred = {submissions[sid].user_id, paired.get(sid)}  # own work; same work twice
        if marker in barred:
            others = [m for m in markers if m not in barred]
            if not others:
                left += 1
                continue
            marker = others[sid % len(others)]
        allocate(submissions[sid], marker, role, actor=actor)
        count += 1
    if left and not count:
        raise WorkError("The markers you chose cannot mark this work: it is their own, or work "
                        "they already mark. Choose other markers.")
    return Shared(count, left)


def rubric_weights(assessment: Assessment) -> dict[str, int]:
    return {c["id"]: c["weight"] for c in (assessment.scenario or {}).get("rubric", [])}


class MarkConflict(WorkError):
    """The marks were saved elsewhere (another tab, a stale form) since this form was opened."""

    def __init__(self, mark: Mark | None):
        super().__init__("These marks were saved somewhere else while you were editing them; "
                         "nothing you typed has been saved and nothing has been overwritten.")
        self.mark = mark


def mark_version(mark: Mark | None) -> str:
    """Name the state of a marker's mark, for the form to carry and send back ('' for none)."""
    return f"{mark.id}@{mark.updated_at.isoformat()}" if mark is not None else ""


def save_mark(submission: Submission, marker, role: str, marks: dict[str, int | None],
              feedback: dict[str, str], overall: str, *, complete: bool,
              version: str | None = None) -> Mark:
    """Save a first or second mark (provisional, or complete when every criterion is marked).

    With a version (from mark_version when the form was drawn), refuse with MarkConflict if
    the marker's mark has changed since, so a second tab or stale form overwrites nothing."""
    if submission.state not in MARKED_STATES or submission.state in ("ready", "released"):
        raise WorkError("This work is not open for marking.")
    mark = db.session.scalar(select(Mark).where(Mark.submission_id == submission.id,
                                                Mark.role == role, Mark.current())
                             .with_for_update())
    if version is not None and version != mark_version(
            mark if mark is not None and mark.marker_id == marker.id else None):
        raise MarkConflict(mark if mark is not None and mark.marker_id == marker.id else None)
    if mark is not None and mark.marker_id != marker.id:
        if mark.status == "complete":
            raise WorkError("Another marker has completed this marking.")
        mark.superseded_at = utcnow()  # left by an earlier marker: theirs, kept, not handed on
        db.session.flush()
        record("mark_superseded", submission, actor=marker, detail=role,
               before={**_snapshot(mark), "marker_id": mark.marker_id, "mark_id": mark.id})
        mark = None
    if mark is not None and mark.status == "complete":
        raise WorkError("You marked this as complete; ask the moderator if it must change.")
    weights = rubric_weights(submission.assessment)
    given = {c: check_mark(m) for c, m in marks.items() if c in weights and m is not None}
    if complete and (set(weights) - set(given) or not overall.strip()):
        raise WorkError("To mark as complete, give a mark for every criterion and overall "
                        "feedback.")
    before = _snapshot(mark)
    if mark is None:
        mark = Mark(submission_id=submission.id, marker_id=marker.id, role=role)
        db.session.add(mark)
    mark.criterion_marks, mark.overall_feedback = given, overall.strip()
    mark.criterion_feedback = {c: t.strip() for c, t in feedback.items() if c in weights}
    mark.written_mark = rubric_mark(weights, given) if set(given) == set(weights) else None
    mark.mark = (component_mark(submission.decision_mark, mark.written_mark,
                                submission.assessment.scenario["weights"])
                 if mark.written_mark is not None else None)
    mark.status = "complete" if complete else "provisional"
    db.session.flush()
    record("mark_completed" if complete else "mark_saved", submission, actor=marker,
           before=before, after=_snapshot(mark), detail=role)
    if complete and role == "first" and submission.state == "in_marking":
        _state(submission, "marked", marker)
    return mark


def _snapshot(mark: Mark | None) -> dict | None:
    if mark is None:
        return None
    return {"role": mark.role, "status": mark.status, "criterion_marks": mark.criterion_marks,
            "mark": mark.mark, "final_mark": mark.final_mark}


def second_marking_set(assessment: Assessment, first_marks: dict[int, int]) -> set[int]:
    """Which submissions need a second mark under the assessment's setting."""
    if assessment.second_marking == "all":
        return set(first_marks)
    if assessment.second_marking == "none":
        return set()
    return moderation_sample(first_marks, seed=f"assessment-{assessment.id}")


def completed_first_marks(assessment: Assessment) -> dict[int, int]:
    """Return the complete first mark in force for each piece of submitted work."""
    return dict(db.session.execute(
        select(Mark.submission_id, Mark.mark).join(Submission, Submission.id == Mark.submission_id)
        .where(Submission.assessment_id == assessment.id, Submission.state != "draft",
               Mark.role == "first", Mark.status == "complete", Mark.current(),
               Mark.mark.is_not(None))).all())


def sample_ids(assessment: Assessment) -> set[int]:
    """Return the submissions in an assessment's sample: second marked and read by the examiner."""
    return second_marking_set(assessment, completed_first_marks(assessment))


AGREED_STATES = ("moderated", "ready", "released")


def allocation_due(assessment: Assessment,
                   sample: set[int] | None = None) -> dict[str, list[int]]:
    """Return, by role, the work an "allocate evenly" would share out now: submitted work
    with no marker in that role, whose mark is not yet agreed (and, for second marking, in
    the sample; pass sample_ids(assessment) when already read). The moderation page promises
    exactly these; agreed work is never included."""
    open_work = set(db.session.scalars(select(Submission.id).where(
        Submission.assessment_id == assessment.id,
        Submission.state.in_(("submitted", "in_marking", "marked")))))
    allocated: dict[str, set[int]] = {"first": set(), "second": set()}
    for sid, role in db.session.execute(select(Allocation.submission_id, Allocation.role)
                                        .where(Allocation.submission_id.in_(open_work))):
        allocated[role].add(sid)
    return {"first": sorted(open_work - allocated["first"]),
            "second": sorted((open_work & (sample_ids(assessment) if sample is None else sample))
                             - allocated["second"])}


def in_sample(submission: Submission | None) -> bool:
    """Whether a piece of work is in its assessment's sample (what the examiner may read)."""
    return submission is not None and submission.id in sample_ids(submission.assessment)


def agree(submission: Submission, actor, agreed: int, reason: str, *, now: datetime) -> Mark:
    """Record the agreed mark, apply the late policy, and move the work to moderated.

    After release this is an amendment: a reason is required and the trainee keeps the
    released state, now showing the amended mark."""
    marks = {m.role: m for m in db.session.scalars(select(Mark).where(
        Mark.submission_id == submission.id, Mark.current()))}
    first, second = marks.get("first"), marks.get("second")
    if first is None or first.status != "complete":
        raise WorkError("The first mark must be complete before a mark is agreed.")
    if "second" in marks and second.status != "complete":
        raise WorkError("The second mark is not complete yet.")
    check_mark(agreed)
    proposal = (compare_marks(first.mark, second.mark, tolerance=submission.assessment.tolerance)
                if second else None)
    expected = proposal.proposed if proposal else first.mark
    released = submission.state == "released"
    if (agreed != expected or (proposal and proposal.flagged) or released) and not reason.strip():
        raise WorkError("Give a reason: the agreed mark differs from the marks, the marks "
                        "differ by more than the tolerance, or the mark is already released.")
    assessment = submission.assessment
    deadline = effective_deadline(assessment.deadline, granted_until(assessment,
                                                                     submission.user))
    days = working_days_late(submission.submitted_at, deadline)
    penalty = apply_late_penalty(agreed, days, LatePolicy(capped_days=assessment.late_capped_days))
    final = penalty.mark
    notes = [reason.strip(), penalty.reason]
    if submission.attempt > 1:
        final = resit_mark(penalty.mark, mitigating=submission.mitigating)
        if final < penalty.mark:
            notes.append(f"resit: capped at {final}")
    record_mark = marks.get("agreed")
    before = _snapshot(record_mark)
    if record_mark is None:
        record_mark = Mark(submission_id=submission.id, role="agreed", marker_id=actor.id,
                           criterion_marks=first.criterion_marks,
                           criterion_feedback=first.criterion_feedback,
                           overall_feedback=first.overall_feedback,
                           written_mark=first.written_mark)
        db.session.add(record_mark)
    record_mark.marker_id, record_mark.mark, record_mark.final_mark = actor.id, agreed, final
    record_mark.status = "complete"
    record_mark.reason = "; ".join(r for r in notes if r) or None
    db.session.flush()
    record("mark_amended" if released else "mark_agreed", submission, actor=actor,
           before=before, after=_snapshot(record_mark), reason=record_mark.reason)
    if not released:
        _state(submission, "moderated", actor)
    return record_mark


def approve(assessment: Assessment, actor) -> int:
    """Mark every moderated submission of an assessment as ready for release."""
    count = 0
    for submission in db.session.scalars(select(Submission).where(
            Submission.assessment_id == assessment.id, Submission.state == "moderated")):
        _state(submission, "ready", actor)
        count += 1
    return count


def pieces(count: int, *, verb: bool = False) -> str:
    """Say '1 piece of work (is)' or '3 pieces of work (are)'."""
    words = plural(count, "piece of work", "pieces of work")
    return f"{words} {'is' if count == 1 else 'are'}" if verb else words


def release_plan(assessment: Assessment) -> tuple[list[Submission], list[Submission]]:
    """Return the work a release would send out now, and the work not yet ready for it."""
    submissions = list(db.session.scalars(select(Submission).where(
        Submission.assessment_id == assessment.id,
        Submission.state.not_in(("draft", "released")))
        .options(selectinload(Submission.user)).order_by(Submission.candidate_number)))
    return ([s for s in submissions if s.state == "ready"],
            [s for s in submissions if s.state != "ready"])


def release(assessment: Assessment, actor, *, now: datetime, confirmed: set[int]) -> int:
    """Release a cohort's marks together: only when every submitted piece is ready, and only
    the pieces the moderator was shown and confirmed."""
    ready, waiting = release_plan(assessment)
    if waiting or not ready:
        raise WorkError(f"{pieces(len(waiting), verb=True)} not ready for release yet; marks "
                        "are released together." if waiting else "Nothing to release.")
    if {s.id for s in ready} != confirmed:
        raise WorkError("The work ready for release has changed since you checked it. Check "
                        "the list again before releasing.")
    for submission in ready:
        _state(submission, "released", actor)
        body = render_template("assessments/email/released.txt", submission=submission,
                               assessment=assessment,
                               link=external(f"/assessments/{assessment.id}"))
        send_mail(submission.user.email, f"Feedback released: {assessment.title}", body)
    assessment.released_at = now
    record("marks_released", assessment, actor=actor,
           after={"count": len(ready),
                  "candidates": [s.candidate_number for s in ready]})
    after_release(ready, actor)  # certificates for modules these marks complete
    return len(ready)


def grant_resit(submission: Submission, actor, *, mitigating: bool, reason: str) -> Submission:
    """Open a new attempt for released work below the pass mark."""
    if submission.state != "released":
        raise WorkError("A resit can be granted only once the first mark is released.")
    agreed = db.session.scalar(select(Mark).where(Mark.submission_id == submission.id,
                                                  Mark.role == "agreed", Mark.current()))
    if agreed is None or agreed.final_mark >= PASS_MARK:
        raise WorkError("A resit is for work below the pass mark.")
    later = db.session.scalar(select(Submission.id).where(
        Submission.assessment_id == submission.assessment_id,
        Submission.user_id == submission.user_id, Submission.attempt > submission.attempt))
    if later is not None:
        raise WorkError("A resit has already been granted for this work.")
    from lms.assessments.services import _candidate_number

    resit = Submission(assessment_id=submission.assessment_id, user_id=submission.user_id,
                       attempt=submission.attempt + 1, path=[], answers={},
                       candidate_number=_candidate_number(submission.assessment),
                       mitigating=mitigating)
    db.session.add(resit)
    db.session.flush()
    record("resit_granted", resit, actor=actor, reason=reason.strip() or None,
           after={"attempt": resit.attempt, "mitigating": mitigating})
    send_mail(submission.user.email, f"Resit: {submission.assessment.title}",
              render_template("assessments/email/resit.txt", submission=resit,
                              assessment=submission.assessment))
    return resit


def decide_extension(extension: Extension, actor, *, grant: bool, until: datetime | None,
                     mitigating: bool, note: str, now: datetime) -> None:
    """Grant or refuse a request, once, and tell the trainee."""
    if extension.status != "pending":
        raise WorkError("This request has already been decided.")
    extension.status = "granted" if grant else "refused"
    extension.granted_until = until if grant else None
    extension.mitigating = mitigating
    extension.decided_by_id, extension.decided_at = actor.id, now
    extension.decision_note = note.strip() or None
    record("extension_decided", extension, actor=actor, reason=extension.decision_note,
           after={"status": extension.status,
                  "until": until.isoformat() if grant and until else None,
                  "mitigating": mitigating})
    trainee, assessment = db.session.get(User, extension.user_id), extension.assessment
    send_mail(trainee.email, f"Extension {extension.status}: {assessment.title}",
              render_template("assessments/email/extension_decided.txt", trainee=trainee,
                              assessment=assessment, extension=extension,
                              deadline=effective_deadline(assessment.deadline,
                                                          granted_until(assessment, trainee)),
                              link=external(f"/assessments/{assessment.id}")))
