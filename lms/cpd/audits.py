"""Course staff's writes: scheme versions, the yearly audit draw and each audit case's steps.

Services flush and never commit (the request commits once). Every step leaves an audit record.
Case steps take the version the form was opened at: a stale form raises StaleCase and nothing
is written. The rules (eligibility, the seeded draw, years and totals) are in lms.cpd.rules.
"""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.audit.services import record
from lms.auth.models import RoleGrant, User
from lms.cpd import rules
from lms.cpd.models import CpdAudit, CpdAuditCase, CpdEntry, CpdLeave, CpdProfile, CpdScheme
from lms.cpd.services import scheme_history  # noqa: F401  (also used by the views)
from lms.db import utcnow
from lms.extensions import db
from lms.formatting import uk_date
from lms.links import external_for
from lms.mail.services import send_mail

OUTCOMES = {"met": "Met", "advice": "Met, with advice given", "not_met": "Not met"}
STATUSES = {
    "selected": "Selected: waiting for the profile",
    "deferred": "Deferred",
    "submitted": "Profile submitted",
    "pending_second": "Not met: waiting for a second assessor",
    "decided": "Decided",
    "appealed": "Appeal recorded: waiting for a decision",
    "appeal_decided": "Appeal decided",
}
STEP_WORDS = {
    "cpd_audit_case_opened": "Selected in the draw and emailed the deadline",
    "cpd_audit_case_deferred": "Deadline deferred",
    "cpd_audit_case_submitted": "Profile submitted",
    "cpd_audit_case_assessed": "Assessed",
    "cpd_audit_case_second_assessed": "Second assessment",
    "cpd_audit_case_appealed": "Appeal recorded",
    "cpd_audit_case_appeal_decided": "Appeal decided",
}
CLOSED = frozenset({"decided", "appeal_decided"})  # any other case keeps its advocate under review
BEFORE_SUBMISSION = frozenset({"selected", "deferred"})
DEFAULTS_FROM = date(2000, 1, 1)  # the defaults' date, as lms.cpd.services.scheme_history has it


class StaleCase(Exception):
    """The case changed since the form was opened; nothing was written."""


class Refused(Exception):
    """A step the case's state or the rules do not allow, with the message to show."""


# ---------------------------------------------------------------------------- the scheme


def scheme_rows() -> list[CpdScheme]:
    """Return every scheme version, in the order the rules read them."""
    return list(db.session.scalars(select(CpdScheme).order_by(CpdScheme.effective_from,
                                                              CpdScheme.id)))


def add_scheme(scheme: rules.Scheme, note: str, actor: User) -> CpdScheme:
    """Add a scheme version from its date on; earlier versions stay as they are.

    The earliest version also covers the days before it (rules.scheme_on), so the first
    version staff add is preceded by the defaults as a recorded row: the years measured
    against the defaults keep them."""
    if not scheme_rows():
        _insert(rules.Scheme(effective_from=DEFAULTS_FROM),
                "The defaults, in force before course staff set a scheme.", actor)
    return _insert(scheme, note, actor)


def _insert(scheme: rules.Scheme, note: str, actor: User) -> CpdScheme:
    month, day = scheme.year_start or (None, None)
    row = CpdScheme(
        effective_from=scheme.effective_from, yearly_minutes=scheme.yearly_minutes,
        participatory_minutes=scheme.participatory_minutes,
        supervision_minutes=scheme.supervision_minutes,
        required_topics=list(scheme.required_topics), reflections=scheme.reflections,
        year_start_month=month, year_start_day=day, leave_pro_rata=scheme.leave_pro_rata,
        note=note, created_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    record("cpd_scheme_added", row, actor=actor, reason=note, after=_scheme_facts(scheme))
    return row


def _scheme_facts(scheme: rules.Scheme) -> dict:
    return {"effective_from": scheme.effective_from.isoformat(),
            "yearly_minutes": scheme.yearly_minutes,
            "participatory_minutes": scheme.participatory_minutes,
            "supervision_minutes": scheme.supervision_minutes,
            "required_topics": list(scheme.required_topics), "reflections": scheme.reflections,
            "year_start": list(scheme.year_start) if scheme.year_start else None,
            "leave_pro_rata": scheme.leave_pro_rata}


# ---------------------------------------------------------------------------- eligibility


@dataclass(frozen=True)
class Eligibility:
    """Who may be drawn today, and how many were left out for each reason."""

    advocates: int
    eligible: list[int]
    too_recent: int
    under_review: int
    suspended: int


def under_review_ids() -> set[int]:
    """Return the ids of advocates with an audit case still open."""
    return set(db.session.scalars(select(CpdAuditCase.user_id).where(
        CpdAuditCase.status.not_in(CLOSED))))


def eligibility(today: date) -> Eligibility:
    """Return who may be drawn: people with the advocate role and a CPD profile, through
    rules.audit_eligible. Until accreditation records exist, a deactivated account
    (users.active false) counts as suspended."""
    rows = db.session.execute(
        select(User.id, User.active, CpdProfile.accredited_on)
        .join(CpdProfile, CpdProfile.user_id == User.id)
        .join(RoleGrant, RoleGrant.user_id == User.id).where(RoleGrant.role == "advocate")
        .distinct()).all()
    open_cases = under_review_ids()
    people = [rules.Advocate(id=i, accredited_on=on, under_review=i in open_cases,
                             suspended=not active) for i, active, on in rows]
    recent = [p for p in people if not rules.audit_eligible(
        [rules.Advocate(p.id, p.accredited_on)], today)]
    return Eligibility(advocates=len(people), eligible=rules.audit_eligible(people, today),
                       too_recent=len(recent),
                       under_review=sum(1 for p in people if p.under_review),
                       suspended=sum(1 for p in people if p.suspended))


def advised_last_time() -> list[int]:
    """Return who was given advice (their final outcome) in the most recent audit."""
    last = db.session.scalar(select(CpdAudit).order_by(CpdAudit.drawn_at.desc(),
                                                       CpdAudit.id.desc()).limit(1))
    if last is None:
        return []
    return sorted(db.session.scalars(select(CpdAuditCase.user_id).where(
        CpdAuditCase.audit_id == last.id, CpdAuditCase.outcome == "advice",
        CpdAuditCase.status.in_(CLOSED))))


# ---------------------------------------------------------------------------- the draw


def run_audit(label: str, rate: Fraction, minimum: int, deadline: date, actor: User,
              today: date) -> CpdAudit:
    """Draw the yearly sample from a new recorded seed, open a case for each advocate drawn
    and email each of them the deadline."""
    who = eligibility(today)
    if not who.eligible:
        raise Refused("No advocate is eligible for the audit today, so nothing was drawn.")
    must = [i for i in advised_last_time() if i in set(who.eligible)]  # the rest cannot be drawn
    seed = secrets.token_hex(16)
    sample = rules.draw_sample(who.eligible, seed, rate, minimum, must)
    audit = CpdAudit(label=label, seed=seed, rate=str(rate), minimum=minimum,
                     eligible=who.eligible, must_include=must, drawn_by_id=actor.id,
                     deadline=deadline)
    db.session.add(audit)
    db.session.flush()
    cases = [CpdAuditCase(audit_id=audit.id, user_id=user_id) for user_id in sample]
    db.session.add_all(cases)
    db.session.flush()
    record("cpd_audit_drawn", audit, actor=actor, after={
        "label": label, "seed": seed, "rate": str(rate), "minimum": minimum,
        "eligible": who.eligible, "must_include": must, "sample": sample,
        "deadline": deadline.isoformat()})
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(sample)))}
    for case in cases:
        _notify_selected(audit, case, people[case.user_id])
        record("cpd_audit_case_opened", case, actor=actor, after={
            "user_id": case.user_id, "deadline": deadline.isoformat()})
    return audit


def repeat_draw(audit: CpdAudit) -> list[int]:
    """Draw again from the audit's recorded seed, eligible ids, rate, minimum and must-includes."""
    return rules.draw_sample(audit.eligible, audit.seed, Fraction(audit.rate), audit.minimum,
                             audit.must_include or ())


def percent_text(rate: str) -> str:
    """A recorded rate ("1/40") as people read it: "2.5% (1 in 40)"."""
    value = Fraction(rate)
    number = f"{float(value * 100):.2f}".rstrip("0").rstrip(".")
    one_in = f" (1 in {value.denominator})" if value.numerator == 1 else ""
    return f"{number}%{one_in}"


def _link(endpoint: str, **values) -> str:
    return external_for(endpoint, **values)


def _notify_selected(audit: CpdAudit, case: CpdAuditCase, person: User) -> None:
    year = audited_year(audit, person.id)
    span = f" ({uk_date(year.start)} to {uk_date(year.end)})" if year else ""
    send_mail(person.email, "Your CPD has been selected for audit", (
        f"Dear {person.name},\n\n"
        f"Your CPD profile has been selected in the course team's yearly CPD audit "
        f"({audit.label}). The audit looks at your last complete CPD year{span}.\n\n"
        f"Please check your CPD entries and submit your profile by {uk_date(audit.deadline)}:\n"
        f"{_link('cpd.audit_notice')}\n\n"
        "The sample is drawn at random, and anyone given advice at the last audit is drawn "
        "again; being selected does not mean anyone has concerns about your practice. If you "
        "cannot meet the deadline (for example because of leave or illness), reply to ask for "
        "a deferral and say why.\n\nThe course team, Bakhita Centre\n"))


# ---------------------------------------------------------------------------- what is audited


def audited_year(audit: CpdAudit, user_id: int) -> rules.CpdYear | None:
    """Return the advocate's last complete CPD year before the audit was drawn."""
    accredited_on = db.session.scalar(select(CpdProfile.accredited_on).where(
        CpdProfile.user_id == user_id))
    history = scheme_history()
    drawn = audit.drawn_at.date() if audit.drawn_at else date.today()
    try:
        current = rules.year_of(drawn, history, accredited_on)
        return rules.year_of(current.start - timedelta(days=1), history, accredited_on)
    except ValueError:  # an anniversary year without an accreditation date
        return None


@dataclass(frozen=True)
class Profile:
    """The advocate's CPD for the audited year: the entries and the totals from the rules."""

    year: rules.CpdYear
    progress: rules.Progress
    entries: list[CpdEntry]


def profile(audit: CpdAudit, user_id: int) -> Profile | None:
    """Return what the assessors read: the audited year's counted entries and progress."""
    year = audited_year(audit, user_id)
    if year is None:
        return None
    leave = db.session.scalars(select(CpdLeave).where(
        CpdLeave.user_id == user_id, CpdLeave.withdrawn_at.is_(None)))
    entries = list(db.session.scalars(select(CpdEntry).where(
        CpdEntry.user_id == user_id, CpdEntry.status == "logged")
        .order_by(CpdEntry.start, CpdEntry.id)))
    req = rules.requirement(scheme_history(), year, [x.rule() for x in leave])
    counted = {e.id for e in rules.counted_entries([e.rule() for e in entries], year)}
    return Profile(year, rules.progress([e.rule() for e in entries], req),
                   [e for e in entries if e.id in counted])


def effective_deadline(case: CpdAuditCase) -> date:
    return case.deferred_until or case.audit.deadline


# ---------------------------------------------------------------------------- case steps


def _check(case: CpdAuditCase, version: int, allowed: frozenset[str] | set[str]) -> dict:
    if case.version != version:
        raise StaleCase()
    if case.status not in allowed:
        raise Refused(f"This step is not open while the case is "
                      f"“{STATUSES.get(case.status, case.status)}”.")
    return _facts(case)


def _facts(case: CpdAuditCase) -> dict:
    return {"status": case.status, "outcome": case.outcome,
            "deferred_until": case.deferred_until.isoformat() if case.deferred_until else None,
            "assessor_id": case.assessor_id, "second_assessor_id": case.second_assessor_id,
            "version": case.version}


def _done(action: str, case: CpdAuditCase, before: dict, actor: User, reason: str | None):
    db.session.flush()  # the version check: a concurrent change raises StaleDataError
    record(action, case, actor=actor, before=before, after=_facts(case), reason=reason)


def defer(case: CpdAuditCase, version: int, until: date, reason: str, actor: User,
          today: date) -> None:
    """Move the case's deadline for a recorded reason and tell the advocate."""
    before = _check(case, version, BEFORE_SUBMISSION)
    if until <= today:
        raise Refused("The new deadline must be after today.")
    case.deferred_until, case.deferred_reason, case.status = until, reason, "deferred"
    _done("cpd_audit_case_deferred", case, before, actor, reason)
    send_mail(case.user.email, "Your CPD audit deadline has moved", (
        f"Dear {case.user.name},\n\nThe deadline to submit your CPD profile for the audit "
        f"({case.audit.label}) is now {uk_date(until)}.\n\nReason recorded: {reason}\n\n"
        f"{_link('cpd.audit_notice')}\n\nThe course team, Bakhita Centre\n"))


def mark_submitted(case: CpdAuditCase, version: int, actor: User) -> None:
    """Record that the advocate's profile is in (by the advocate or staff on their behalf)."""
    before = _check(case, version, BEFORE_SUBMISSION)
    case.submitted_at, case.status = utcnow(), "submitted"
    _done("cpd_audit_case_submitted", case, before, actor, None)


def may_assess(case: CpdAuditCase, today: date) -> bool:
    """A profile is assessed once submitted, or once its deadline has passed without it."""
    return case.status == "submitted" or (
        case.status in BEFORE_SUBMISSION and effective_deadline(case) < today)


def assess(case: CpdAuditCase, version: int, outcome: str, note: str, actor: User,
           today: date) -> None:
    """Record the first assessment; "not met" waits for a second assessor."""
    before = _check(case, version, {"submitted", *BEFORE_SUBMISSION})
    if not may_assess(case, today):
        raise Refused("The profile has not been submitted and its deadline has not passed.")
    case.outcome, case.outcome_note, case.assessor_id = outcome, note, actor.id
    if outcome == "not_met":
        case.status = "pending_second"
    else:
        case.status, case.decided_at = "decided", utcnow()
    _done("cpd_audit_case_assessed", case, before, actor, note)
    if case.status == "decided":
        _tell_outcome(case)


def second_assessment(case: CpdAuditCase, version: int, outcome: str, note: str,
                      actor: User) -> None:
    """A different member of staff confirms "not met" or decides otherwise; then it is final."""
    before = _check(case, version, {"pending_second"})
    if actor.id == case.assessor_id:
        raise Refused("A second assessor must be a different person: you made the first "
                      "assessment.")
    case.outcome, case.second_assessor_id = outcome, actor.id
    case.outcome_note = f"{case.outcome_note}\n\nSecond assessor: {note}"
    case.status, case.decided_at = "decided", utcnow()
    _done("cpd_audit_case_second_assessed", case, before, actor, note)
    _tell_outcome(case)


def record_appeal(case: CpdAuditCase, version: int, note: str, actor: User) -> None:
    """Record the advocate's appeal against a final "not met"."""
    before = _check(case, version, {"decided"})
    if case.outcome != "not_met":
        raise Refused("Only a “not met” decision can be appealed.")
    case.appeal_note, case.status = note, "appealed"
    _done("cpd_audit_case_appealed", case, before, actor, note)


def decide_appeal(case: CpdAuditCase, version: int, outcome: str, note: str,
                  actor: User) -> None:
    """Decide an appeal: "not_met" dismisses it; "met" or "advice" upholds it."""
    before = _check(case, version, {"appealed"})
    if actor.id in (case.assessor_id, case.second_assessor_id):
        raise Refused("An appeal is decided by someone who did not assess the profile.")
    case.outcome, case.status = outcome, "appeal_decided"
    case.outcome_note = f"{case.outcome_note}\n\nAppeal decision: {note}"
    _done("cpd_audit_case_appeal_decided", case, before, actor, note)
    _tell_outcome(case)


def _tell_outcome(case: CpdAuditCase) -> None:
    after = {"advice": " You will be selected again at the next audit, as the scheme says.",
             "not_met": " You may appeal: reply to this email with your grounds."}
    appeal = case.status == "appeal_decided"
    send_mail(case.user.email, "The outcome of your CPD audit", (
        f"Dear {case.user.name},\n\nThe {'decision on your appeal' if appeal else 'outcome'} "
        f"for the CPD audit ({case.audit.label}) is: {OUTCOMES[case.outcome]}."
        f"{'' if appeal else after.get(case.outcome, '')}\n\n"
        f"Read the assessors' notes here:\n{_link('cpd.audit_notice')}\n\n"
        "The course team, Bakhita Centre\n"))


def case_history(case: CpdAuditCase) -> list[tuple[AuditEvent, str]]:
    """Return the case's audit records, oldest first, with who did each step."""
    events = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.subject_type == "CpdAuditCase", AuditEvent.subject_id == case.id)
        .order_by(AuditEvent.at, AuditEvent.id)))
    ids = {e.actor_id for e in events if e.actor_id}
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
    return [(e, names.get(e.actor_id, "The platform")) for e in events]
