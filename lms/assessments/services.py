"""Trainee-side writes: start work, record decisions and answers, submit once, ask for time."""

import hashlib
import json
import secrets
from datetime import datetime

from flask import current_app, render_template
from sqlalchemy import select, update

from assessments.deadlines import effective_deadline, working_days_late
from assessments.extensions import ExtensionPolicy, extension_refusal
from assessments.marks import decision_percentage
from assessments.scenario import (
    best_scores,
    finished,
    needs_justification,
    option_of,
    stages_by_id,
    walk,
)
from lms import limits
from lms.assessments.models import Assessment, Attachment, Extension, Submission
from lms.audit.services import record
from lms.auth.models import RoleGrant, User
from lms.db import insert_missing, utcnow
from lms.extensions import db
from lms.links import external
from lms.mail.services import send_mail
from lms.uploads import Prepared
from lms.validators import typed_length

CANDIDATE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class WorkError(ValueError):
    """A trainee's action cannot be taken; the message says why, in their words."""


class StaleWork(WorkError):
    """The form was made from an older version of the work (Back, another tab or device):
    acting on it could put words against the wrong stage or over newer words, so nothing is."""


def _fresh(submission: Submission, scenario: dict, stage_id: str, version: int | None) -> str:
    """Refuse a form for any stage but the current one, or based on an older version."""
    current, _ = walk(scenario, submission.path)
    if stage_id != current:
        title = stages_by_id(scenario).get(current, {}).get("title", current)
        raise StaleWork("That page was for a stage you have already left (perhaps you used "
                        f"Back, or another tab). Nothing was saved. You are now at “{title}”.")
    if version is not None and version != submission.version:
        raise StaleWork("Your work was changed in another tab or on another device after you "
                        "opened this page. Nothing was overwritten.")
    return current


def submission_for(assessment: Assessment, user, *, create: bool = False,
                   jurisdiction: str | None = None) -> Submission | None:
    """Return the trainee's latest attempt, starting a draft if asked and none exists; a new
    draft is on the scenario for the trainee's jurisdiction where the assessment sets one."""
    latest = (select(Submission).where(Submission.assessment_id == assessment.id,
                                       Submission.user_id == user.id)
              .order_by(Submission.attempt.desc()))
    found = db.session.scalar(latest)
    if found is None and create:
        # Start pressed twice at once (or in two tabs): one draft, started once.
        slug = assessment.scenario_slug_for(jurisdiction)
        started = insert_missing(
            db.session, Submission,
            {"assessment_id": assessment.id, "user_id": user.id, "attempt": 1},
            candidate_number=_candidate_number(assessment), path=[], answers={},
            scenario_slug=slug if slug != assessment.scenario_slug else None)
        found = db.session.scalar(latest)
        if started:
            record("submission_started", found, actor=user)
    return found


def _candidate_number(assessment: Assessment) -> str:
    taken = set(db.session.scalars(select(Submission.candidate_number).where(
        Submission.assessment_id == assessment.id)))
    while True:
        number = "C" + "".join(secrets.choice(CANDIDATE_ALPHABET) for _ in range(6))
        if number not in taken:
            return number


def _editable(submission: Submission) -> None:
    if submission.assessment.withdrawn_at is not None:
        raise WorkError("This assessment has been withdrawn: work on it can no longer be "
                        "changed or submitted.")
    if submission.state != "draft":
        raise WorkError("This work has been submitted and can no longer be changed.")


def decide(submission: Submission, scenario: dict, stage_id: str, option_id: str,
           justification: str, version: int | None = None) -> None:
    """Record a decision at the current stage; decisions are final unless going back is allowed."""
    _editable(submission)
    _fresh(submission, scenario, stage_id, version)
    step = {"stage": stage_id, "option": option_id, "justification": justification.strip()}
    option = option_of(scenario, step)
    if option is None:
        raise WorkError("Choose one of the options.")
    if needs_justification(stages_by_id(scenario)[stage_id]) and not step["justification"]:
        raise WorkError("This decision needs a justification: say why you chose your option.")
    if typed_length(step["justification"]) > limits.JUSTIFICATION:
        raise WorkError(f"Your justification is {typed_length(step['justification']):,} characters "
                        f"long; the limit is {limits.JUSTIFICATION:,}. Nothing was saved.")
    submission.path = [*submission.path, step]
    submission.decision_mark = _decision_mark(scenario, submission.path)


def save_answer(submission: Submission, scenario: dict, stage_id: str, text: str,
                advance: bool, version: int | None = None) -> None:
    """Save a written answer (a draft at any time); moving on records the task as done.

    Only the task the trainee is at can be saved, from a form based on the latest version, and
    text over the limit is refused whole, never cut."""
    _editable(submission)
    stages = stages_by_id(scenario)
    _fresh(submission, scenario, stage_id, version)
    if "task" not in stages.get(stage_id, {}):
        raise WorkError("You cannot answer that task yet.")
    if typed_length(text) > limits.ANSWER:
        raise WorkError(f"Your answer is {typed_length(text):,} characters long; the limit is "
                        f"{limits.ANSWER:,}. Nothing was saved: shorten it and save again.")
    submission.answers = {**submission.answers, stage_id: text}
    if advance:
        if not text.strip():
            raise WorkError("Write your answer before moving on. You can save a draft at any "
                            "time.")
        submission.path = [*submission.path, {"stage": stage_id, "answer": True}]


def go_back(submission: Submission, scenario: dict, version: int | None = None) -> None:
    _editable(submission)
    if version is not None and version != submission.version:
        raise StaleWork("Your work was changed in another tab or on another device after you "
                        "opened this page. Nothing was changed.")
    if not scenario.get("allow_back"):
        raise WorkError("In this scenario decisions are final once made.")
    if submission.path:
        submission.path = submission.path[:-1]
        submission.decision_mark = _decision_mark(scenario, submission.path)


def _decision_mark(scenario: dict, path: list[dict]) -> int | None:
    current, _ = walk(scenario, path)
    chosen = [option_of(scenario, step) for step in path if "option" in step]
    end = stages_by_id(scenario).get(current, {}).get("end", {}).get("score")
    best_sum, best_end = best_scores(scenario)
    return decision_percentage(scenario.get("scoring", "none"),
                               [o.get("score", 0) for o in chosen if o], end, best_sum, best_end)


def content_hash(submission: Submission, attachments: list[Attachment]) -> str:
    """Hash exactly what was submitted: the path, the answers and each attachment's hash."""
    canonical = json.dumps({"path": submission.path, "answers": submission.answers,
                            "attachments": sorted(a.sha256 for a in attachments)},
                           sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def granted_until(assessment: Assessment, user) -> datetime | None:
    return db.session.scalar(select(Extension.granted_until).where(
        Extension.assessment_id == assessment.id, Extension.user_id == user.id,
        Extension.status == "granted").order_by(Extension.granted_until.desc()))


def submit(submission: Submission, scenario: dict | None, *, now: datetime) -> bool:
    """Submit once: a second submit (another tab) changes nothing. Return True if this one did."""
    _editable(submission)
    if scenario is not None and not finished(scenario, submission.path):
        raise WorkError("Finish the scenario (reach an ending) before you submit.")
    assessment = submission.assessment
    attachments = list(db.session.scalars(select(Attachment).where(
        Attachment.submission_id == submission.id)))
    deadline = effective_deadline(assessment.deadline, granted_until(assessment,
                                                                     submission.user))
    digest = content_hash(submission, attachments)
    reference = f"{assessment.id:04d}-{submission.candidate_number}-{submission.attempt}"
    changed = db.session.execute(
        update(Submission).where(Submission.id == submission.id, Submission.state == "draft")
        .values(state="submitted", submitted_at=now, declaration_at=now, content_hash=digest,
                reference=reference, days_late=working_days_late(now, deadline))
        .execution_options(synchronize_session=False)).rowcount
    db.session.refresh(submission)
    if not changed:
        return False
    record("submission_submitted", submission, actor=submission.user,
           after={"reference": reference, "content_hash": digest,
                  "days_late": submission.days_late})
    body = render_template("assessments/email/receipt.txt", submission=submission,
                           assessment=assessment,
                           link=external(f"/submissions/{submission.id}/receipt"))
    send_mail(submission.user.email, f"Receipt: {assessment.title}", body)
    return True


def extension_policy() -> ExtensionPolicy:
    config = current_app.config
    return ExtensionPolicy(grace_days=config["EXTENSION_REQUEST_GRACE_DAYS"],
                           max_days=config["EXTENSION_MAX_DAYS"])


def extension_problem(assessment: Assessment, user, *, now: datetime,
                      requested_until: datetime | None = None) -> str | None:
    """Why this trainee cannot ask for an extension (or for that date) now, or None."""
    if assessment.withdrawn_at is not None:
        return "This assessment has been withdrawn."
    latest = submission_for(assessment, user)
    open_request = db.session.scalar(select(Extension.id).where(
        Extension.assessment_id == assessment.id, Extension.user_id == user.id,
        Extension.status == "pending"))
    return extension_refusal(
        deadline=effective_deadline(assessment.deadline, granted_until(assessment, user)),
        now=now, submitted=latest is not None and latest.state != "draft",
        released=assessment.released_at is not None, open_request=open_request is not None,
        requested_until=requested_until,
        resit_open=latest is not None and latest.attempt > 1 and latest.state == "draft",
        policy=extension_policy())


def moderators() -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.active.is_(True), User.role_grants.any(RoleGrant.role == "moderator"))
        .order_by(User.id)))


def request_extension(assessment: Assessment, user, reason: str, until: datetime,
                      evidence: Attachment | None) -> Extension:
    """Record a request and tell the moderators one is waiting (the reason stays on the site)."""
    extension = Extension(assessment_id=assessment.id, user_id=user.id, reason=reason.strip(),
                          requested_until=until, evidence_id=evidence.id if evidence else None)
    db.session.add(extension)
    db.session.flush()
    record("extension_requested", extension, actor=user,
           after={"until": until.isoformat(), "evidence": bool(evidence)})
    link = external(f"/moderation/{assessment.id}/extensions")
    for moderator in moderators():
        send_mail(moderator.email, f"Extension request: {assessment.title}",
                  render_template("assessments/email/extension_requested.txt",
                                  moderator=moderator, trainee=user, assessment=assessment,
                                  extension=extension, link=link))
    return extension


def store_attachment(owner, filename: str, data: bytes, prepared: Prepared,
                     submission: Submission | None = None) -> Attachment:
    """Keep the original (for its owner and the receipt's hash) and the copy made at upload."""
    attachment = Attachment(owner_id=owner.id, submission_id=submission.id if submission else None,
                            filename=filename[:200] or "upload", content_type=prepared.kind,
                            size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data,
                            clean_data=prepared.cleaned)
    db.session.add(attachment)
    db.session.flush()
    return attachment


def utc_now() -> datetime:
    return utcnow()
