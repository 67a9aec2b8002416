"""Course staff's decisions on an accredited organisation: suspend, lift a suspension, withdraw
accreditation, record that conditions were met. Each is a new decision (never an edit), audited
by services.record_org_decision and emailed to the organisation's admins. A form carries the
latest decision its author saw: if another was recorded since, nothing is written."""

from datetime import date

from sqlalchemy import func, select

from lms.accreditation import appeals, orgmail, services
from lms.accreditation.models import ORG_DECISIONS, OrgDecision
from lms.accreditation.orgrules import APPEALABLE
from lms.extensions import db
from lms.formatting import uk_date
from lms.organisations.models import HostOrganisation

# action: (decision kind, the states it is open in, what the button says)
ACTIONS = {
    "suspend": ("suspended", {"accredited", "accredited_conditions"}, "Suspend accreditation"),
    "lift": ("lifted", {"suspended"}, "Lift the suspension"),
    "conditions_met": ("conditions_met", {"accredited_conditions"}, "Record conditions met"),
    "withdraw": ("withdrawn", {"accredited", "accredited_conditions", "suspended"},
                 "Withdraw accreditation"),
}


class Refused(Exception):
    """A decision the organisation's status does not allow, with the message to show."""


class Stale(Exception):
    """Another decision was recorded since the form was opened; nothing was written."""


def open_actions(state: str) -> list[str]:
    """The decisions staff may make on an organisation in this state."""
    return [action for action, (_, states, _) in ACTIONS.items() if state in states]


def latest_decision_id(org_id: int) -> int:
    return db.session.scalar(select(func.coalesce(func.max(OrgDecision.id), 0))
                             .where(OrgDecision.organisation_id == org_id))


def decide(org: HostOrganisation, action: str, seen_id: int, reason: str, *, actor,
           today: date) -> OrgDecision:
    """Record the decision if nothing was decided since `seen_id`; tell the org's admins."""
    # Hold the organisation's row (PostgreSQL) so two decisions at once are taken in turn.
    db.session.execute(select(HostOrganisation.id).where(HostOrganisation.id == org.id)
                       .with_for_update())
    if latest_decision_id(org.id) != seen_id:
        raise Stale()
    kind, states, _ = ACTIONS[action]
    status = services.org_status_of(org, today)
    if status.state not in states:
        raise Refused(f"This cannot be done while the organisation is “{status.label}”.")
    decision = services.record_org_decision(org, kind, today, actor=actor, reasons=reason)
    _tell(org, decision, today)
    return decision


def _tell(org: HostOrganisation, decision: OrgDecision, today: date) -> None:
    body = (f"Course staff recorded this decision about {org.name}: "
            f"“{ORG_DECISIONS[decision.kind]}”, from {uk_date(decision.effective_on)}.\n\n"
            f"Reason: {decision.reasons}")
    if decision.kind in APPEALABLE:
        body += (f"\n\nYou may appeal against this decision until "
                 f"{uk_date(appeals.last_day(decision))}. A member of staff who took no part "
                 "in it will decide the appeal.")
    body += f"\n\n{orgmail.link('accreditation.org_decisions', org_id=org.id)}"
    orgmail.tell(orgmail.org_admins([org.id], today)[org.id],
                 f"{ORG_DECISIONS[decision.kind]}: {org.name}", body)
