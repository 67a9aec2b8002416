"""An organisation's accreditation status, computed from dated facts. Standard library only.

The facts are the organisation's applications, the decisions staff made (never edited: a
later decision changes what an earlier one means), appeals and yearly returns. `org_status`
reads them on a day and says where the organisation stands, why, and what it must do next;
`accredited_spells` gives the periods in which it was accredited, which an advocate's status
depends on.

Choices a professional register makes, where the facts alone could be read two ways:
- A declined renewal does not cut short the term already granted: the organisation stays
  accredited (the refusal among the reasons, with its appeal window) until the term ends, and
  is then "declined".
- An appeal upheld changes nothing by itself: staff record the new decision, which stands.
- A withdrawal stands until a later decision (a new application accredited): unlike an
  advocate's, an organisation's withdrawal is not final, since it may put right what was wrong.
- A decision made ahead of the day it takes effect (a renewal granted before the term ends,
  with `decided_on`) is said from the day it was made and closes the renewal window; it
  changes the state only from `effective_on`. `accredited_spells` runs on into it.
- A yearly return is due on each anniversary inside the term (not at its end), shown from 90
  days before, and stays a step, overdue, until one is sent for that due day.
"""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

# A next step, a change in the history and a date in words are the same as for advocates.
from lms.accreditation.rules import Change, Step, uk_date

TERM_YEARS = 3
APPEAL_DAYS = 28
RENEWAL_WINDOW_DAYS = 90

STATES = {
    "not_applied": "Not accredited",
    "applying": "Applying for accreditation",
    "accredited": "Accredited",
    "accredited_conditions": "Accredited with conditions",
    "declined": "Not accredited: application declined",
    "suspended": "Accreditation suspended",
    "expired": "Accreditation expired",
    "withdrawn": "Accreditation withdrawn",
}
ACCREDITED = frozenset({"accredited", "accredited_conditions"})
STANDING = frozenset({"accredited", "accredited_conditions", "declined", "withdrawn"})
APPEALABLE = frozenset({"accredited_conditions", "declined", "suspended", "withdrawn"})


@dataclass(frozen=True)
class Application:
    id: int
    kind: str  # initial, renewal
    started_on: date
    submitted_on: date | None = None
    decided_on: date | None = None


@dataclass(frozen=True)
class Decision:
    """A staff decision. `order` breaks ties between decisions taking effect the same day."""

    kind: str  # accredited, accredited_conditions, declined, conditions_met, suspended,
    #            lifted, withdrawn
    effective_on: date
    valid_until: date | None = None
    reasons: str = ""
    conditions: str = ""
    order: int = 0
    id: int = 0
    # The day the decision was made, when before it takes effect (a renewal granted ahead of
    # the end of the term): known from then, in force from `effective_on`.
    decided_on: date | None = None

    @property
    def known_on(self) -> date:
        return min(self.decided_on or self.effective_on, self.effective_on)


@dataclass(frozen=True)
class Appeal:
    decision_id: int
    lodged_on: date
    decided_on: date | None = None
    outcome: str | None = None  # upheld, dismissed


@dataclass(frozen=True)
class YearlyReturn:
    due_on: date
    submitted_on: date


@dataclass(frozen=True)
class OrgFacts:
    name: str
    applications: tuple[Application, ...] = ()
    decisions: tuple[Decision, ...] = ()
    appeals: tuple[Appeal, ...] = ()
    returns: tuple[YearlyReturn, ...] = ()


@dataclass(frozen=True)
class OrgStatus:
    state: str
    reasons: tuple[str, ...]
    next_steps: tuple[Step, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None
    conditions: str = ""
    renewal_open: bool = False
    history: tuple[Change, ...] = field(default=())
    why: str = ""  # the reason that decides the state, for the history; else the first

    @property
    def headline(self) -> str:
        return self.why or self.reasons[0]

    @property
    def label(self) -> str:
        return STATES[self.state]

    @property
    def accredited(self) -> bool:
        return self.state in ACCREDITED


@dataclass(frozen=True)
class Spell:
    """A period in which an organisation was accredited, both days included."""

    start: date
    end: date
    conditions: bool = False

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


# ---------------------------------------------------------------------------- words


def default_valid_until(effective_on: date, years: int = TERM_YEARS) -> date:
    """The last day of a term of `years` from `effective_on` (29 February rolls to 28th)."""
    try:
        end = effective_on.replace(year=effective_on.year + years)
    except ValueError:
        end = date(effective_on.year + years, 3, 1)
    return end - timedelta(days=1)


# ---------------------------------------------------------------------------- reading


def _known_by(facts: OrgFacts, day: date) -> OrgFacts:
    """Only what had happened by `day`: the status on a day never depends on later facts."""
    return OrgFacts(
        name=facts.name,
        applications=tuple(
            Application(a.id, a.kind, a.started_on,
                        a.submitted_on if a.submitted_on and a.submitted_on <= day else None,
                        a.decided_on if a.decided_on and a.decided_on <= day else None)
            for a in facts.applications if a.started_on <= day),
        decisions=tuple(d for d in facts.decisions if d.known_on <= day),
        appeals=tuple(
            Appeal(a.decision_id, a.lodged_on,
                   a.decided_on if a.decided_on and a.decided_on <= day else None,
                   a.outcome if a.decided_on and a.decided_on <= day else None)
            for a in facts.appeals if a.lodged_on <= day),
        returns=tuple(r for r in facts.returns if r.submitted_on <= day),
    )


def _ordered(decisions) -> list[Decision]:
    return sorted(decisions, key=lambda d: (d.effective_on, d.order, d.id))


def _standing(decisions: list[Decision]) -> Decision | None:
    standing = [d for d in decisions if d.kind in STANDING]
    return standing[-1] if standing else None


def _key(decision: Decision) -> tuple:
    return (decision.effective_on, decision.order, decision.id)


def _suspension(decisions: list[Decision], standing: Decision) -> Decision | None:
    """The suspension in force: the last `suspended` after the standing decision, not lifted."""
    current = None
    for decision in decisions:
        if _key(decision) <= _key(standing):
            continue
        if decision.kind == "suspended":
            current = decision
        elif decision.kind == "lifted":
            current = None
    return current


def _conditions_met(decisions: list[Decision], standing: Decision) -> Decision | None:
    met = [d for d in decisions if d.kind == "conditions_met" and _key(d) > _key(standing)]
    return met[-1] if met else None


def _appeal_steps(facts: OrgFacts, decision: Decision, day: date) -> list[Step]:
    if decision.kind not in APPEALABLE:
        return []
    lodged = [a for a in facts.appeals if a.decision_id == decision.id]
    if lodged:
        return [] if lodged[-1].decided_on else [Step("Your appeal is with a member of staff "
                                                      "who took no part in the decision.")]
    last_day = decision.effective_on + timedelta(days=APPEAL_DAYS)
    if day <= last_day:
        return [Step("You may appeal against this decision.", last_day)]
    return []


def _appeal_reasons(facts: OrgFacts, decision: Decision) -> list[str]:
    reasons = []
    for appeal in facts.appeals:
        if appeal.decision_id != decision.id:
            continue
        reasons.append(f"Appeal lodged on {uk_date(appeal.lodged_on)}.")
        if appeal.decided_on:
            outcome = "upheld" if appeal.outcome == "upheld" else "dismissed"
            reasons.append(f"Appeal {outcome} on {uk_date(appeal.decided_on)}.")
    return reasons


def _returns_due(facts: OrgFacts, start: date, end: date, day: date) -> list[Step]:
    """The yearly return is due on each anniversary inside the term, except the last day."""
    steps = []
    years = 1
    while True:
        due = default_valid_until(start, years) + timedelta(days=1)
        if due > end or due > day + timedelta(days=RENEWAL_WINDOW_DAYS):
            break
        if not any(r.due_on == due for r in facts.returns):
            steps.append(Step("Send the yearly return: confirm nothing material has changed, "
                              "or say what has.", due))
        years += 1
    return steps


def _pending_application(facts: OrgFacts) -> Application | None:
    pending = [a for a in facts.applications if not a.decided_on]
    return pending[-1] if pending else None


def _without_standing(facts: OrgFacts, day: date) -> OrgStatus:
    pending = _pending_application(facts)
    if pending and pending.submitted_on:
        return OrgStatus("applying", (
            f"Application submitted on {uk_date(pending.submitted_on)}; course staff are "
            "reviewing it.",), (Step("Answer any question staff ask in the application's "
                                     "thread."),))
    if pending:
        return OrgStatus("applying", (
            f"Application started on {uk_date(pending.started_on)}, not yet submitted.",),
            (Step("Complete every criterion with its evidence and submit the application."),))
    return OrgStatus("not_applied", ("No application for accreditation has been made.",),
                     (Step("Apply for accreditation as an IMSA employing organisation."),))


def _term_running(decisions: list[Decision], declined: Decision,
                  day: date) -> Decision | None:
    """The accreditation a declined (renewal) application leaves running on `day`: declining
    a renewal does not cut short the term already granted."""
    term = None
    for decision in decisions:
        if _key(decision) >= _key(declined):
            break
        if decision.kind in ACCREDITED:
            term = decision
        elif decision.kind == "withdrawn":
            term = None
    if term and day <= (term.valid_until or default_valid_until(term.effective_on)):
        return term
    return None


_AHEAD = {
    "accredited": "Accredited again from {on} until {until}.",
    "accredited_conditions": "Accredited again, with conditions, from {on} until {until}.",
    "declined": "The application is declined from {on}.",
    "conditions_met": "The conditions are recorded as met from {on}.",
    "suspended": "Accreditation is to be suspended from {on}.",
    "lifted": "The suspension is to be lifted from {on}.",
    "withdrawn": "Accreditation is to be withdrawn from {on}.",
}


def _ahead(decisions: list[Decision]) -> list[str]:
    """Words for decisions made that take effect later."""
    return [_AHEAD.get(d.kind, "A decision takes effect on {on}.").format(
        on=uk_date(d.effective_on),
        until=uk_date(d.valid_until or default_valid_until(d.effective_on)))
        for d in decisions]


def _status_on(facts: OrgFacts, day: date) -> OrgStatus:
    status = _in_force(replace(facts, decisions=tuple(d for d in facts.decisions
                                                      if d.effective_on <= day)), day)
    ahead = [d for d in _ordered(facts.decisions) if d.effective_on > day]
    if not ahead:
        return status
    renewed = any(d.kind in ACCREDITED for d in ahead)
    steps = tuple(s for s in status.next_steps
                  if not (renewed and s.text in {"Apply to renew accreditation.",
                                                 "Apply for accreditation again."}))
    return replace(status, reasons=status.reasons + tuple(_ahead(ahead)), next_steps=steps,
                   renewal_open=status.renewal_open and not renewed)


def _in_force(facts: OrgFacts, day: date) -> OrgStatus:
    decisions = _ordered(facts.decisions)
    standing = _standing(decisions)
    if standing is None:
        return _without_standing(facts, day)
    renewal_declined = []
    steps: list[Step] = []
    if standing.kind == "declined":
        term = _term_running(decisions, standing, day)
        if term:
            renewal_declined = [f"The renewal application was declined on "
                                f"{uk_date(standing.effective_on)}.",
                                *([f"Reason given: {standing.reasons.strip()}"]
                                  if standing.reasons.strip() else []),
                                *_appeal_reasons(facts, standing)]
            steps = _appeal_steps(facts, standing, day)
            standing = term
    decided = f"{uk_date(standing.effective_on)}"
    extra = [f"Reason given: {standing.reasons.strip()}"] if standing.reasons.strip() else []
    appeal = _appeal_reasons(facts, standing)
    steps += _appeal_steps(facts, standing, day)

    if standing.kind in {"declined", "withdrawn"}:
        pending = _pending_application(facts)
        anew = pending if pending and pending.started_on >= standing.effective_on else None
        if standing.kind == "declined" and anew and anew.submitted_on:
            return _without_standing(facts, day)
        if anew:
            appeal.append(
                f"A new application was submitted on {uk_date(anew.submitted_on)}; course "
                "staff are reviewing it." if anew.submitted_on else
                f"A new application was started on {uk_date(anew.started_on)}, not yet "
                "submitted.")
        if standing.kind == "declined":
            return OrgStatus("declined", (f"The application was declined on {decided}.",
                                          *extra, *appeal),
                             (*steps, Step("You may apply again.")) if not anew else
                             (*steps, Step("Complete every criterion with its evidence and "
                                           "submit the application.")))
        return OrgStatus("withdrawn", (f"Accreditation was withdrawn on {decided}.", *extra,
                                       *appeal), tuple(steps))

    valid_until = standing.valid_until or default_valid_until(standing.effective_on)
    if day > valid_until:
        pending = _pending_application(facts)
        reasons = [f"Accreditation ended on {uk_date(valid_until)}."]
        if pending and pending.submitted_on:
            reasons.append(f"A renewal application was submitted on "
                           f"{uk_date(pending.submitted_on)} and is being reviewed.")
        return OrgStatus("expired", tuple(reasons),
                         () if pending and pending.submitted_on else
                         (Step("Apply for accreditation again."),),
                         valid_from=standing.effective_on, valid_until=valid_until)

    suspension = _suspension(decisions, standing)
    if suspension:
        why = suspension.reasons.strip()
        return OrgStatus(
            "suspended",
            (f"Accreditation was suspended on {uk_date(suspension.effective_on)}.",
             *([f"Reason given: {why}"] if why else []), *_appeal_reasons(facts, suspension)),
            (*_appeal_steps(facts, suspension, day),
             Step("Course staff will lift the suspension when the reason for it is resolved.")),
            valid_from=standing.effective_on, valid_until=valid_until)

    state = standing.kind
    conditions = standing.conditions.strip() if state == "accredited_conditions" else ""
    reasons = [f"Accredited on {decided} until {uk_date(valid_until)}."]
    lately: list[tuple[tuple, str]] = [(_key(standing), reasons[0])]
    if state == "accredited_conditions":
        met = _conditions_met(decisions, standing)
        if met:
            state, conditions = "accredited", ""
            reasons.append(f"The conditions set were met on {uk_date(met.effective_on)}.")
            lately.append((_key(met), reasons[-1]))
        else:
            reasons.append(f"Conditions: {conditions}" if conditions else
                           "Conditions were set with the decision.")
    lifted = [d for d in decisions if d.kind == "lifted" and _key(d) > _key(standing)]
    if lifted:
        reasons.append(f"A suspension was lifted on {uk_date(lifted[-1].effective_on)}.")
        lately.append((_key(lifted[-1]), reasons[-1]))
    reasons += extra + appeal + renewal_declined
    renewal_opens = valid_until - timedelta(days=RENEWAL_WINDOW_DAYS)
    renewal_open = renewal_opens <= day
    pending = _pending_application(facts)
    if pending and pending.submitted_on:
        reasons.append(f"Renewal application submitted on {uk_date(pending.submitted_on)}.")
    elif renewal_open:
        steps.append(Step("Apply to renew accreditation.", valid_until))
    if conditions:
        steps.append(Step("Meet the conditions set and tell course staff."))
    steps += _returns_due(facts, standing.effective_on, valid_until, day)
    return OrgStatus(state, tuple(reasons), tuple(steps), valid_from=standing.effective_on,
                     valid_until=valid_until, conditions=conditions,
                     renewal_open=renewal_open and not (pending and pending.submitted_on),
                     why=max(lately)[1])


def _event_days(facts: OrgFacts, day: date) -> list[date]:
    days = {a.started_on for a in facts.applications}
    days |= {a.submitted_on for a in facts.applications if a.submitted_on}
    days |= {a.decided_on for a in facts.applications if a.decided_on}
    for decision in facts.decisions:
        days.add(decision.effective_on)
        until = decision.valid_until or default_valid_until(decision.effective_on)
        days.add(until + timedelta(days=1))
    return sorted(d for d in days if d <= day)


def org_status(facts: OrgFacts, day: date) -> OrgStatus:
    """Where the organisation stands on `day`, why, what next, and how it came to be."""
    known = _known_by(facts, day)
    current = _status_on(known, day)
    history: list[Change] = []
    for event in _event_days(known, day):
        then = _status_on(_known_by(known, event), event)
        if not history or history[-1].state != then.state:
            history.append(Change(event, then.state, then.headline))
    return OrgStatus(current.state, current.reasons, current.next_steps, current.valid_from,
                     current.valid_until, current.conditions, current.renewal_open,
                     tuple(history), current.why)


def accredited_spells(facts: OrgFacts, day: date) -> tuple[Spell, ...]:
    """The periods in which the organisation was accredited (with or without conditions), as
    known on `day`: the last runs to the end of its term unless something known ends it, and
    on into a renewal already granted."""
    known = _known_by(facts, day)
    spells: list[Spell] = []
    days = _event_days(known, date.max)
    for i, start in enumerate(days):
        status = _status_on(_known_by(known, start), start)
        if not status.accredited:
            continue
        # Known on `day`: accredited until the next event, or to the end of the term.
        end = days[i + 1] - timedelta(days=1) if i + 1 < len(days) else status.valid_until
        conditions = status.state == "accredited_conditions"
        if spells and spells[-1].end + timedelta(days=1) == start \
                and spells[-1].conditions == conditions:
            spells[-1] = Spell(spells[-1].start, end, conditions)
        else:
            spells.append(Spell(start, end, conditions))
    return tuple(spells)
