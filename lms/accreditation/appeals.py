"""Appeals against decisions on an organisation: lodged by its admins within 28 days of the
decision taking effect, once per decision, and decided by a member of staff who took no part
in the decision. An upheld appeal leads to a new decision, which the appeal points at; the
decision appealed against is kept as it was. Services flush, never commit."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accreditation import orgmail, services
from lms.accreditation.models import ORG_DECISIONS, OrgAppeal, OrgDecision
from lms.accreditation.orgrules import APPEAL_DAYS, APPEALABLE, default_valid_until
from lms.audit.services import record
from lms.db import utcnow
from lms.extensions import db
from lms.formatting import uk_date
from lms.organisations.models import HostOrganisation

OUTCOMES = {"upheld": "Uphold the appeal: a new decision replaces the one appealed against",
            "dismissed": "Dismiss the appeal: the decision stands"}
NEW_KINDS = {"accredited": "Accredited", "accredited_conditions": "Accredited with conditions"}


class Refused(Exception):
    """A step the rules do not allow, with the message to show."""


class Stale(Exception):
    """The appeal changed since the form was opened; nothing was written."""


# ---------------------------------------------------------------------------- pure rules


def last_day(decision: OrgDecision) -> date:
    """The last day an appeal against the decision may be lodged."""
    return decision.effective_on + timedelta(days=APPEAL_DAYS)


def appeal_problem(decision: OrgDecision, lodged: OrgAppeal | None, today: date) -> str | None:
    """Say why the organisation cannot appeal against the decision today; None if it can."""
    if decision.kind not in APPEALABLE:
        return (f"A decision of “{ORG_DECISIONS.get(decision.kind, decision.kind)}” cannot be "
                "appealed against.")
    if lodged is not None:
        return (f"An appeal against this decision was lodged on {uk_date(lodged.submitted_at)}. "
                "A decision can be appealed against once.")
    if decision.effective_on > today:
        return (f"The decision takes effect on {uk_date(decision.effective_on)}; you may appeal "
                "from that day.")
    if today > last_day(decision):
        return (f"The window to appeal closed on {uk_date(last_day(decision))}, "
                f"{APPEAL_DAYS} days after the decision took effect.")
    return None


def may_decide(user, appeal: OrgAppeal) -> bool:
    """Staff may decide an appeal unless they made the decision appealed against."""
    return user.has_any_role(orgmail.STAFF) and appeal.decision.decided_by_id != user.id


# ---------------------------------------------------------------------------- reading


def appeal_of(decision_id: int) -> OrgAppeal | None:
    return db.session.scalar(select(OrgAppeal).where(OrgAppeal.decision_id == decision_id))


def appeals_of(decision_ids) -> dict[int, OrgAppeal]:
    ids = list(decision_ids)
    if not ids:
        return {}
    return {a.decision_id: a for a in db.session.scalars(
        select(OrgAppeal).where(OrgAppeal.decision_id.in_(ids)))}


def decisions_of(org_id: int) -> list[OrgDecision]:
    """The organisation's decisions, newest first, with who made them."""
    return list(db.session.scalars(
        select(OrgDecision).where(OrgDecision.organisation_id == org_id)
        .options(selectinload(OrgDecision.decided_by))
        .order_by(OrgDecision.effective_on.desc(), OrgDecision.id.desc())))


def queue() -> list[OrgAppeal]:
    """Every appeal, undecided first (oldest first), then decided (newest first)."""
    appeals = list(db.session.scalars(
        select(OrgAppeal).options(selectinload(OrgAppeal.decision)
                                  .selectinload(OrgDecision.decided_by))
        .order_by(OrgAppeal.submitted_at, OrgAppeal.id)))
    open_ = [a for a in appeals if a.outcome is None]
    done = sorted((a for a in appeals if a.outcome), key=lambda a: a.decided_at, reverse=True)
    return open_ + done


def default_term_end(appeal: OrgAppeal, today: date) -> date:
    """What the "accredited until" field starts from: the term in force for an appeal against
    a suspension or withdrawal, else a full term from today."""
    decision = appeal.decision
    if decision.kind in ("suspended", "withdrawn", "accredited_conditions"):
        # The term the decision suspended or ended, or the one it set with conditions.
        day = decision.effective_on - timedelta(days=decision.kind != "accredited_conditions")
        org = db.session.get(HostOrganisation, decision.organisation_id)
        status = services.org_status_of(org, day)
        if status.valid_until and status.valid_until > today:
            return status.valid_until
    return default_valid_until(today)


# ---------------------------------------------------------------------------- writing


def lodge(org: HostOrganisation, decision: OrgDecision, grounds: str, *, actor,
          today: date) -> OrgAppeal:
    """Lodge the organisation's appeal, audit it, and tell its admins and the moderators."""
    problem = appeal_problem(decision, appeal_of(decision.id), today)
    if problem:
        raise Refused(problem)
    appeal = OrgAppeal(decision_id=decision.id, grounds=grounds, submitted_by_id=actor.id)
    db.session.add(appeal)
    db.session.flush()  # the unique decision_id refuses a second appeal lodged at once
    record("accreditation.org_appeal.lodged", appeal, actor=actor,
           after={"organisation_id": org.id, "decision_id": decision.id,
                  "decision_kind": decision.kind}, reason=grounds)
    kind = ORG_DECISIONS[decision.kind]
    orgmail.tell(orgmail.org_admins([org.id], today)[org.id],
                 f"Appeal lodged: {org.name}",
                 f"{actor.name} lodged an appeal for {org.name} against the decision "
                 f"“{kind}” of {uk_date(decision.effective_on)}.\n\n"
                 "A member of course staff who took no part in the decision will decide it, "
                 "and we will email you the outcome. You can follow it here:\n"
                 f"{orgmail.link('accreditation.org_decisions', org_id=org.id)}")
    orgmail.tell(orgmail.moderators(),
                 f"Appeal to decide: {org.name}",
                 f"{org.name} has appealed against the decision “{kind}” of "
                 f"{uk_date(decision.effective_on)}. Someone who did not make that decision "
                 "must decide the appeal:\n"
                 f"{orgmail.link('accreditation.staff_appeal', appeal_id=appeal.id)}")
    return appeal


def decide(appeal: OrgAppeal, version: int, outcome: str, reasons: str, *, actor, today: date,
           new_kind: str | None = None, valid_until: date | None = None,
           conditions: str = "") -> OrgDecision | None:
    """Decide the appeal at the version the form was opened at; an upheld appeal records the
    new decision (taking effect today) and points at it. Return the new decision, if any."""
    if appeal.version != version:
        raise Stale()
    if appeal.outcome is not None:
        raise Refused("This appeal has already been decided.")
    if not may_decide(actor, appeal):
        raise Refused("You made the decision appealed against: a different member of staff "
                      "must decide the appeal.")
    org = db.session.get(HostOrganisation, appeal.decision.organisation_id)
    before = {"outcome": None, "version": appeal.version}
    new = None
    if outcome == "upheld":
        new = services.record_org_decision(
            org, new_kind, today, actor=actor, valid_until=valid_until, reasons=reasons,
            conditions=conditions if new_kind == "accredited_conditions" else "")
        appeal.new_decision_id = new.id
    appeal.outcome, appeal.reasons = outcome, reasons
    appeal.decided_by_id, appeal.decided_at = actor.id, utcnow()
    db.session.flush()  # the version check: a concurrent decision raises StaleDataError
    record("accreditation.org_appeal.decided", appeal, actor=actor, before=before,
           after={"outcome": outcome, "new_decision_id": appeal.new_decision_id,
                  "version": appeal.version}, reason=reasons)
    _tell_outcome(org, appeal, new, today)
    return new


def _tell_outcome(org: HostOrganisation, appeal: OrgAppeal, new: OrgDecision | None,
                  today: date) -> None:
    kind = ORG_DECISIONS[appeal.decision.kind]
    if new is not None:
        result = (f"The appeal is upheld. The new decision is “{ORG_DECISIONS[new.kind]}”, "
                  f"from {uk_date(new.effective_on)} until {uk_date(new.valid_until)}.")
        if new.conditions:
            result += f"\n\nConditions: {new.conditions}"
    else:
        result = "The appeal is dismissed: the decision stands."
    orgmail.tell(orgmail.org_admins([org.id], today)[org.id],
                 f"Appeal decided: {org.name}",
                 f"The appeal for {org.name} against the decision “{kind}” of "
                 f"{uk_date(appeal.decision.effective_on)} has been decided.\n\n{result}\n\n"
                 f"Reasons: {appeal.reasons}\n\n"
                 f"{orgmail.link('accreditation.org_decisions', org_id=org.id)}")
