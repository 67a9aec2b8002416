"""A host organisation's application for accreditation: drafted criterion by criterion by its
admins, submitted, reviewed by staff with a thread of questions, and decided.

Services flush, never commit (the request commits once). Two people changing the same record
at once: the form carries the record's version, and a stale one raises Conflict (the version
columns raise StaleDataError for a race the check cannot see)."""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from lms.accreditation import application_mail as mail
from lms.accreditation import criteria, orgrules
from lms.accreditation.models import (
    OrgApplication,
    OrgCriterionAnswer,
    OrgDecision,
    OrgEvidence,
    OrgMessage,
)
from lms.audit.services import record
from lms.auth.models import RoleGrant, User
from lms.db import utcnow
from lms.extensions import db
from lms.organisations.models import Employment, HostOrganisation
from lms.validators import length_problem

STATEMENT = 8_000  # one criterion's statement: about two pages
MESSAGE = 5_000  # a message in the thread
REVIEW_NOTE = 3_000  # staff's note on one criterion
DECISION_TEXT = 5_000  # the reasons, and the conditions, of a decision
MAX_EVIDENCE = 10  # files on one criterion

STATES = {"draft": "Draft: not yet submitted", "submitted": "Submitted: with course staff",
          "decided": "Decided"}
KINDS = {"initial": "First application", "renewal": "Renewal"}
REVIEWS = {"met": "Met", "not_met": "Not met", "more_info": "More information needed"}
DECISIONS = {"accredited": "Accredited", "accredited_conditions": "Accredited with conditions",
             "declined": "Declined"}
STAFF_ROLES = frozenset({"moderator", "admin"})


class Conflict(Exception):
    """Someone else changed the record after this person opened it; nothing was changed."""


# ---------------------------------------------------------------------------- reading


def latest_application(org_id: int) -> OrgApplication | None:
    """The organisation's most recent application, whatever its state."""
    return db.session.scalar(select(OrgApplication).where(
        OrgApplication.organisation_id == org_id).order_by(OrgApplication.id.desc()).limit(1))


def open_application(org_id: int) -> OrgApplication | None:
    """The application being drafted or reviewed, if there is one."""
    found = latest_application(org_id)
    return found if found is not None and found.status != "decided" else None


def load(application_id: int) -> OrgApplication | None:
    """An application with its answers and thread (and their authors) in a fixed few queries."""
    return db.session.scalar(select(OrgApplication).where(OrgApplication.id == application_id)
                             .options(selectinload(OrgApplication.answers),
                                      selectinload(OrgApplication.messages)
                                      .selectinload(OrgMessage.author)))


def answers_by_key(application: OrgApplication) -> dict[str, OrgCriterionAnswer]:
    return {answer.criterion: answer for answer in application.answers}


@dataclass(frozen=True)
class EvidenceFile:
    id: int
    answer_id: int
    attachment_id: int
    filename: str
    size: int


def evidence_of(application: OrgApplication) -> dict[int, list[EvidenceFile]]:
    """The files on each answer (by answer id), in one query."""
    from lms.assessments.models import Attachment

    out: dict[int, list[EvidenceFile]] = {answer.id: [] for answer in application.answers}
    rows = db.session.execute(
        select(OrgEvidence.id, OrgEvidence.answer_id, Attachment.id, Attachment.filename,
               Attachment.size)
        .join(Attachment, OrgEvidence.attachment_id == Attachment.id)
        .join(OrgCriterionAnswer, OrgEvidence.answer_id == OrgCriterionAnswer.id)
        .where(OrgCriterionAnswer.application_id == application.id,
               OrgEvidence.removed_at.is_(None))
        .order_by(OrgEvidence.id))
    for row in rows:
        out.setdefault(row[1], []).append(EvidenceFile(*row))
    return out


def evidence_file(org_id: int, attachment_id: int):
    """The attachment if it is live evidence on one of the organisation's applications."""
    from lms.assessments.models import Attachment

    linked = db.session.scalar(
        select(OrgEvidence.id)
        .join(OrgCriterionAnswer, OrgEvidence.answer_id == OrgCriterionAnswer.id)
        .join(OrgApplication, OrgCriterionAnswer.application_id == OrgApplication.id)
        .where(OrgApplication.organisation_id == org_id,
               OrgEvidence.attachment_id == attachment_id, OrgEvidence.removed_at.is_(None)))
    return db.session.get(Attachment, attachment_id) if linked else None


def org_admins_of(org_id: int, today: date) -> list[User]:
    """The organisation's admins now: role org_admin, currently employed there, active."""
    return list(db.session.scalars(
        select(User).join(Employment, Employment.user_id == User.id)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(Employment.organisation_id == org_id, RoleGrant.role == "org_admin",
               User.active.is_(True), Employment.start_date <= today,
               or_(Employment.end_date.is_(None), Employment.end_date >= today))
        .order_by(User.name, User.id).distinct()))


def reviewing_staff(application: OrgApplication) -> list[User]:
    """Staff who have reviewed a criterion or written in the thread; else every moderator."""
    ids = {a.reviewed_by_id for a in application.answers if a.reviewed_by_id}
    ids |= {m.author_id for m in application.messages if m.from_staff}
    query = select(User).join(RoleGrant, RoleGrant.user_id == User.id).where(
        User.active.is_(True), RoleGrant.role.in_(STAFF_ROLES))
    query = query.where(User.id.in_(ids)) if ids else query.where(RoleGrant.role == "moderator")
    return list(db.session.scalars(query.order_by(User.id).distinct()))


def decision_of(application: OrgApplication) -> OrgDecision | None:
    """The decision made on an application (the first: a later one comes from an appeal)."""
    return db.session.scalar(select(OrgDecision).where(
        OrgDecision.application_id == application.id).options(
        selectinload(OrgDecision.decided_by)).order_by(OrgDecision.id).limit(1))


def appeal_until(decision: OrgDecision) -> date | None:
    """The last day to appeal a decision that may be appealed, else None."""
    if decision.kind not in orgrules.APPEALABLE:
        return None
    return decision.effective_on + timedelta(days=orgrules.APPEAL_DAYS)


# ---------------------------------------------------------------------------- rules


def may_start(status: orgrules.OrgStatus, current: OrgApplication | None) -> tuple[str | None,
                                                                                   str]:
    """(kind of application the organisation may start, or None; why not, in plain words)."""
    if current is not None:
        return None, "An application is already open."
    if status.accredited:
        if status.renewal_open:
            return "renewal", ""
        opens = status.valid_until - timedelta(days=orgrules.RENEWAL_WINDOW_DAYS)
        return None, (f"Your accreditation runs until {orgrules.uk_date(status.valid_until)}. "
                      f"You can apply to renew it from {orgrules.uk_date(opens)}.")
    if status.state == "suspended":
        return None, ("Your accreditation is suspended. Course staff will lift the suspension "
                      "when its reason is resolved.")
    return "initial", ""


def can_edit(application: OrgApplication, answer: OrgCriterionAnswer) -> bool:
    """A draft's answers can be changed; after submission only those staff reopened."""
    if application.status == "draft":
        return True
    return application.status == "submitted" and answer.review == "more_info"


def missing_statements(application: OrgApplication) -> list[criteria.Criterion]:
    answered = {a.criterion for a in application.answers if a.statement.strip()}
    return [c for c in criteria.CRITERIA if c.key not in answered]


def not_ready(application: OrgApplication) -> list[tuple[criteria.Criterion, str]]:
    """The criteria that stop a decision: not reviewed, or waiting for more information."""
    by_key = answers_by_key(application)
    out = []
    for c in criteria.CRITERIA:
        answer = by_key.get(c.key)
        if answer is None or answer.review is None:
            out.append((c, "not reviewed yet"))
        elif answer.review == "more_info":
            out.append((c, "more information needed"))
    return out


def statement_problem(text: str) -> str | None:
    return length_problem(text, STATEMENT, "The statement")


def message_problem(text: str) -> str | None:
    if not text.strip():
        return "Enter your message"
    return length_problem(text, MESSAGE, "The message")


def review_problems(review: str, note: str) -> dict[str, str]:
    problems = {}
    if review not in REVIEWS:
        problems["review"] = "Choose met, not met or more information needed"
    elif review != "met" and not note.strip():
        problems["note"] = ("Say what is missing: the organisation reads this note"
                            if review == "more_info" else "Say why the criterion is not met")
    problem = length_problem(note, REVIEW_NOTE, "The note")
    if problem:
        problems["note"] = problem
    return problems


@dataclass
class DecisionTyped:
    """What staff typed in the decision form, kept as text so a refusal gives it back."""

    kind: str = ""
    reasons: str = ""
    conditions: str = ""
    valid_until: str = ""
    version: str = ""

    @classmethod
    def from_form(cls, form) -> "DecisionTyped":
        return cls(**{k: form.get(k, "") for k in ("kind", "reasons", "conditions",
                                                   "valid_until", "version")})


def decision_problems(typed: DecisionTyped, today: date) -> tuple[date | None, dict[str, str]]:
    """(the valid-until day for an accreditation, problems by field)."""
    problems: dict[str, str] = {}
    if typed.kind not in DECISIONS:
        problems["kind"] = "Choose accredited, accredited with conditions or declined"
    if typed.kind == "accredited_conditions" and not typed.conditions.strip():
        problems["conditions"] = "Enter the conditions the organisation must meet"
    if typed.kind in ("accredited_conditions", "declined") and not typed.reasons.strip():
        problems["reasons"] = "Enter the reasons for the decision: the organisation reads them"
    for name, what in (("reasons", "The reasons"), ("conditions", "The conditions")):
        problem = length_problem(getattr(typed, name), DECISION_TEXT, what)
        if problem:
            problems[name] = problem
    until = None
    if typed.kind in ("accredited", "accredited_conditions"):
        longest = orgrules.default_valid_until(today)
        try:
            until = date.fromisoformat(typed.valid_until.strip()) if typed.valid_until.strip() \
                else longest
        except ValueError:
            problems["valid_until"] = "Enter the last day of the term as a date, like 2029-03-31"
        else:
            if until <= today or until > longest:
                problems["valid_until"] = (f"The term must end after today and no later than "
                                           f"{orgrules.uk_date(longest)}")
    return until, problems


# ---------------------------------------------------------------------------- the queue


@dataclass(frozen=True)
class Waiting:
    application: OrgApplication
    organisation: HostOrganisation
    days: int
    reviewed: int


def queue(today: date) -> list[Waiting]:
    """Submitted applications, oldest first, with days waiting and criteria reviewed (two
    queries whatever their number)."""
    rows = db.session.execute(
        select(OrgApplication, HostOrganisation)
        .join(HostOrganisation, OrgApplication.organisation_id == HostOrganisation.id)
        .where(OrgApplication.status == "submitted")
        .order_by(OrgApplication.submitted_at, OrgApplication.id)).all()
    ids = [application.id for application, _ in rows]
    reviewed = dict(db.session.execute(
        select(OrgCriterionAnswer.application_id, func.count())
        .where(OrgCriterionAnswer.application_id.in_(ids),
               OrgCriterionAnswer.review.in_(("met", "not_met")))
        .group_by(OrgCriterionAnswer.application_id)).all()) if ids else {}
    return [Waiting(application, org, (today - application.submitted_at.date()).days,
                    reviewed.get(application.id, 0)) for application, org in rows]


def recently_decided(limit: int = 20) -> list[tuple[OrgApplication, HostOrganisation,
                                                    OrgDecision | None]]:
    """The applications decided most recently, with their organisation and decision (two
    queries whatever their number)."""
    rows = db.session.execute(
        select(OrgApplication, HostOrganisation)
        .join(HostOrganisation, OrgApplication.organisation_id == HostOrganisation.id)
        .where(OrgApplication.status == "decided")
        .order_by(OrgApplication.decided_at.desc(), OrgApplication.id.desc())
        .limit(limit)).all()
    decisions: dict[int, OrgDecision] = {}
    ids = [application.id for application, _ in rows]
    for decision in db.session.scalars(select(OrgDecision).where(
            OrgDecision.application_id.in_(ids)).order_by(OrgDecision.id.desc())) if ids else ():
        decisions[decision.application_id] = decision  # the first decision wins
    return [(application, org, decisions.get(application.id)) for application, org in rows]


# ---------------------------------------------------------------------------- writes


def start_application(org: HostOrganisation, kind: str, *, actor) -> OrgApplication:
    """Open an application with an empty answer for every criterion."""
    application = OrgApplication(organisation_id=org.id, kind=kind, status="draft",
                                 created_by_id=actor.id)
    db.session.add(application)
    db.session.flush()
    db.session.add_all(OrgCriterionAnswer(application_id=application.id, criterion=key)
                       for key in criteria.KEYS)
    db.session.flush()
    record("org_application.start", application, actor=actor,
           after={"organisation_id": org.id, "kind": kind})
    return application


def save_statement(answer: OrgCriterionAnswer, text: str, *, actor, version: int | None,
                   how: str = "save") -> None:
    """Keep the statement as typed; a stale version raises Conflict."""
    if version != answer.version:
        raise Conflict
    if text == answer.statement:
        return
    before = answer.statement
    answer.statement, answer.updated_at, answer.updated_by_id = text, utcnow(), actor.id
    db.session.flush()
    if how != "autosave" or not before:  # autosave writes often: audit the first and buttons
        record("org_application.statement", answer, actor=actor,
               before={"length": len(before)}, after={"length": len(text), "how": how})


def add_evidence(answer: OrgCriterionAnswer, user, filename: str, data: bytes,
                 prepared) -> None:
    """Keep a checked file and link it to the criterion's answer."""
    from lms.assessments.services import store_attachment

    attachment = store_attachment(user, filename, data, prepared)
    db.session.add(OrgEvidence(answer_id=answer.id, attachment_id=attachment.id))
    record("org_application.evidence.add", answer, actor=user,
           after={"file": attachment.filename, "sha256": hashlib.sha256(data).hexdigest()})


def remove_evidence(answer: OrgCriterionAnswer, attachment_id: int, *, actor) -> bool:
    """Take a file off the answer (the file is kept, marked removed); False if not there."""
    evidence = db.session.scalar(select(OrgEvidence).where(
        OrgEvidence.answer_id == answer.id, OrgEvidence.attachment_id == attachment_id,
        OrgEvidence.removed_at.is_(None)))
    if evidence is None:
        return False
    evidence.removed_at = utcnow()
    record("org_application.evidence.remove", answer, actor=actor,
           after={"attachment_id": attachment_id})
    return True


def evidence_count(answer: OrgCriterionAnswer) -> int:
    return db.session.scalar(select(func.count()).select_from(OrgEvidence).where(
        OrgEvidence.answer_id == answer.id, OrgEvidence.removed_at.is_(None))) or 0


def submit(application: OrgApplication, *, actor) -> None:
    """Send the application to staff; the caller has checked every statement is there."""
    application.status, application.submitted_at = "submitted", utcnow()
    application.submitted_by_id = actor.id
    db.session.flush()
    record("org_application.submit", application, actor=actor,
           after={"status": "submitted"})


def post_message(application: OrgApplication, *, author, body: str, criterion: str | None,
                 from_staff: bool, today: date) -> OrgMessage:
    """Add a message to the thread and email it to the other side."""
    message = OrgMessage(application_id=application.id, criterion=criterion or None,
                         author_id=author.id, from_staff=from_staff, body=body)
    db.session.add(message)
    db.session.flush()
    record("org_application.message", application, actor=author,
           after={"message_id": message.id, "criterion": criterion, "from_staff": from_staff})
    organisation = db.session.get(HostOrganisation, application.organisation_id)
    if from_staff:
        mail.question_asked(application, organisation, message, author,
                            org_admins_of(organisation.id, today))
    else:
        mail.answer_posted(application, organisation, message, author,
                           reviewing_staff(application))
    return message


def review(application: OrgApplication, answer: OrgCriterionAnswer, verdict: str, note: str,
           *, actor, version: int | None, today: date) -> None:
    """Record staff's review of one criterion; "more information needed" reopens it for the
    organisation and tells its admins."""
    if version != answer.version or application.status != "submitted":
        raise Conflict
    before = {"review": answer.review, "note": answer.review_note}
    answer.review, answer.review_note = verdict, note
    answer.reviewed_by_id, answer.reviewed_at = actor.id, utcnow()
    db.session.flush()
    record("org_application.review", answer, actor=actor, before=before,
           after={"review": verdict, "note": note})
    if verdict == "more_info":
        organisation = db.session.get(HostOrganisation, application.organisation_id)
        mail.more_information(application, organisation, answer,
                              org_admins_of(organisation.id, today))


def decide(application: OrgApplication, typed: DecisionTyped, valid_until: date | None, *,
           actor, today: date) -> OrgDecision:
    """Record the decision on a submitted application and tell the organisation's admins.

    Raise Conflict, changing nothing, if the application changed (or was decided) since the
    form was opened."""
    from lms.accreditation import services

    if typed.version != str(application.version) or application.status != "submitted":
        raise Conflict
    organisation = db.session.get(HostOrganisation, application.organisation_id)
    decision = services.record_org_decision(
        organisation, typed.kind, today, actor=actor, application=application,
        valid_until=valid_until, reasons=typed.reasons.strip(),
        conditions=typed.conditions.strip() if typed.kind == "accredited_conditions" else "")
    application.status, application.decided_at = "decided", utcnow()
    db.session.flush()
    record("org_application.decide", application, actor=actor, before={"status": "submitted"},
           after={"status": "decided", "decision_id": decision.id, "kind": typed.kind})
    mail.decided(application, organisation, decision, appeal_until(decision),
                 org_admins_of(organisation.id, today))
    return decision
