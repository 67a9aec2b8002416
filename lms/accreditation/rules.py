"""An advocate's accreditation status, computed from dated facts. Standard library only.

An IMSA is accredited when three things hold at once: the PG Cert awarded with the modern
slavery specialism, employment by an accredited host organisation, and the initial conditions
confirmed by course staff. It stays accredited while each CPD year is met; a year that ends
short opens a grace period (renewal overdue), after which accreditation lapses. Staff decisions
(conditions, suspension, withdrawal) are facts like any other. `advocate_status` reads the facts
known on a day and says where the person stands, every reason, what is needed next and by when,
and the history of changes.

Choices a professional register makes, where the facts alone could be read two ways:
- Withdrawal is final: no later decision (accredit, lift) changes it.
- A year made up within the grace period restores accreditation on the day it is met. Once the
  grace period has passed the accreditation has lapsed and stays lapsed, whatever later years
  say, until course staff confirm it again (a later `accredit` decision); making up the hours
  afterwards is what staff look for, not a reinstatement by itself.
- While renewal is overdue the accreditation is valid until the grace period ends, not to the
  end of the current CPD year: that is the last day it is certain to hold.
- An employer's spells that run on without a gap (a renewal, or conditions met) count as one
  for `valid_until`; a spell starting later counts once it is known (its `known_on` day).
- The history is read as on each past day, but only today's CPD totals are stored, so past
  entries say a year was short without giving numbers that may not have held then.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

IMSA = "modern_slavery"
GRACE_DAYS = 60

STATES = {
    "not_qualified": "Not qualified",
    "in_training": "In training",
    "qualified": "Qualified",
    "accredited": "Accredited",
    "accredited_conditions": "Accredited with conditions",
    "no_employer": "Not practising: no accredited employer",
    "renewal_overdue": "Accredited: renewal overdue",
    "lapsed": "Accreditation lapsed",
    "suspended": "Accreditation suspended",
    "withdrawn": "Accreditation withdrawn",
}
# The states in which a person may practise as an accredited IMSA.
ACCREDITED = frozenset({"accredited", "accredited_conditions", "renewal_overdue"})

SPECIALISM_WORDS = {
    "modern_slavery": "modern slavery (IMSA)",
    "domestic_abuse": "domestic abuse (IDVA)",
    "sexual_violence": "sexual violence (ISVA)",
    "stalking": "stalking advocacy (ISA)",
}


@dataclass(frozen=True)
class Enrolled:
    """Studying (or interrupted) from `start`; `ended_on` once completed or withdrawn."""

    specialism: str
    start: date
    ended_on: date | None = None

    def __contains__(self, day: date) -> bool:
        return self.start <= day and (self.ended_on is None or day <= self.ended_on)


@dataclass(frozen=True)
class Awarded:
    specialism: str
    on: date


@dataclass(frozen=True)
class Job:
    organisation_id: int
    organisation: str
    start: date
    end: date | None = None

    def __contains__(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class EmployerSpell:
    """A period in which an employer was accredited, as known on its `known_on` day."""

    organisation_id: int
    start: date
    end: date
    known_on: date | None = None

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class CpdYearResult:
    """A CPD year, with the hours logged so far and the day its requirement was met (None while
    it is not: a year met after its end, in the grace period, clears the overdue renewal)."""

    start: date
    end: date
    required_minutes: int
    logged_minutes: int
    met_on: date | None = None
    shortfalls: tuple[str, ...] = ()
    # False when read as on a day before the year was met: the hours logged by then are not
    # known (only the total now), so the words give no numbers rather than wrong ones.
    hours_known: bool = True


@dataclass(frozen=True)
class Decision:
    kind: str  # accredit, conditions, conditions_met, suspend, lift, withdraw
    on: date
    reason: str = ""
    conditions: str = ""
    due_on: date | None = None
    order: int = 0


@dataclass(frozen=True)
class AdvocateFacts:
    enrolments: tuple[Enrolled, ...] = ()
    awards: tuple[Awarded, ...] = ()
    jobs: tuple[Job, ...] = ()
    employer_spells: tuple[EmployerSpell, ...] = ()
    cpd_years: tuple[CpdYearResult, ...] = ()
    decisions: tuple[Decision, ...] = ()
    grace_days: int = GRACE_DAYS


@dataclass(frozen=True)
class Step:
    text: str
    by: date | None = None


@dataclass(frozen=True)
class Change:
    on: date
    state: str
    text: str


@dataclass(frozen=True)
class AdvocateStatus:
    state: str
    specialism: str | None
    reasons: tuple[str, ...]
    next_steps: tuple[Step, ...] = ()
    valid_until: date | None = None
    conditions: str = ""
    history: tuple[Change, ...] = field(default=())
    why: str = ""  # the reason that decides the state, for the history; else the first

    @property
    def headline(self) -> str:
        return self.why or self.reasons[0]

    @property
    def label(self) -> str:
        if self.state == "qualified" and self.specialism and self.specialism != IMSA:
            return f"Qualified: {SPECIALISM_WORDS.get(self.specialism, self.specialism)}"
        return STATES[self.state]

    @property
    def accredited(self) -> bool:
        return self.state in ACCREDITED


# ---------------------------------------------------------------------------- words


def uk_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def hours_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    text = f"{hours}" if not rest else f"{hours + rest / 60:.2f}".rstrip("0").rstrip(".")
    return f"{text} hour" if text == "1" else f"{text} hours"


def _hours_pair(logged: int, required: int) -> str:
    return f"{hours_text(logged).split()[0]} of {hours_text(required)}"


# ---------------------------------------------------------------------------- reading


def _known_by(facts: AdvocateFacts, day: date, hours: bool = True) -> AdvocateFacts:
    """Only what had happened by `day`: the status on a day never depends on later facts.
    With `hours` False the CPD hours are not known (a past day read from today's totals)."""
    return AdvocateFacts(
        enrolments=tuple(Enrolled(e.specialism, e.start,
                                  e.ended_on if e.ended_on is not None and e.ended_on < day
                                  else None)
                         for e in facts.enrolments if e.start <= day),
        awards=tuple(a for a in facts.awards if a.on <= day),
        jobs=tuple(Job(j.organisation_id, j.organisation, j.start,
                       j.end if j.end is not None and j.end < day else None)
                   for j in facts.jobs if j.start <= day),
        # A spell starting later counts only once known (a renewal granted in advance).
        employer_spells=tuple(s for s in facts.employer_spells
                              if (s.known_on is None and s.start <= day)
                              or (s.known_on is not None and s.known_on <= day)),
        cpd_years=tuple(
            CpdYearResult(y.start, y.end, y.required_minutes, y.logged_minutes,
                          y.met_on if y.met_on is not None and y.met_on <= day else None,
                          y.shortfalls,
                          hours and y.hours_known and (y.met_on is None or y.met_on <= day))
            for y in facts.cpd_years if y.start <= day),
        decisions=tuple(d for d in facts.decisions if d.on <= day),
        grace_days=facts.grace_days,
    )


def _ordered(decisions) -> list[Decision]:
    return sorted(decisions, key=lambda d: (d.on, d.order))


def _last(decisions: list[Decision], kinds: set[str]) -> Decision | None:
    found = [d for d in decisions if d.kind in kinds]
    return found[-1] if found else None


def _reason_given(decision: Decision) -> list[str]:
    return [f"Reason given: {decision.reason.strip()}"] if decision.reason.strip() else []


def _specialism_of(facts: AdvocateFacts) -> tuple[Awarded | None, Awarded | None]:
    """The modern slavery award if any, and the first award of any specialism."""
    imsa = next((a for a in sorted(facts.awards, key=lambda a: a.on) if a.specialism == IMSA),
                None)
    first = min(facts.awards, key=lambda a: a.on) if facts.awards else None
    return imsa, first


def _not_qualified(facts: AdvocateFacts, day: date) -> AdvocateStatus:
    studying = [e for e in facts.enrolments if day in e]
    if studying:
        current = max(studying, key=lambda e: e.start)
        return AdvocateStatus(
            "in_training", current.specialism,
            (f"Studying for the PG Cert, {SPECIALISM_WORDS.get(current.specialism, '')} "
             f"specialism, since {uk_date(current.start)}.",),
            (Step("Complete the PG Cert: the award is made by the university's exam board."),))
    ended = [e for e in facts.enrolments if e.ended_on is not None and e.ended_on < day]
    if ended:
        last = max(ended, key=lambda e: e.ended_on)
        return AdvocateStatus(
            "not_qualified", None,
            (f"Studies for the PG Cert ended on {uk_date(last.ended_on)}; no award is "
             "recorded yet.",),
            (Step("If you completed the course, the university's exam board makes the "
                  "award; otherwise enrol again to train as an advocate."),))
    return AdvocateStatus(
        "not_qualified", None,
        ("No PG Cert award is recorded, and there is no current enrolment.",),
        (Step("Enrol on the PG Cert to train as an advocate."),))


def _employer_on(facts: AdvocateFacts, day: date) -> tuple[list[Job], list[Job]]:
    """Current jobs, and those among them with an employer accredited on `day`."""
    jobs = [j for j in facts.jobs if day in j]
    accredited = [j for j in jobs if any(s.organisation_id == j.organisation_id and day in s
                                         for s in facts.employer_spells)]
    return jobs, accredited


def _employer_end(facts: AdvocateFacts, jobs: list[Job], day: date) -> date | None:
    """The last day the employer stays accredited, following spells that run on without a
    gap (a renewal, or conditions met, starts a new spell the day after the last ends)."""
    ends = []
    for job in jobs:
        spells = sorted((s for s in facts.employer_spells
                         if s.organisation_id == job.organisation_id), key=lambda s: s.start)
        end = None
        for spell in spells:
            if day in spell or (end is not None and spell.start <= end + timedelta(days=1)):
                end = max(end, spell.end) if end else spell.end
        if end:
            ends.append(end)
    return max(ends) if ends else None


def _no_employer(facts: AdvocateFacts, day: date, jobs: list[Job],
                 base: list[str]) -> AdvocateStatus:
    reasons = list(base)
    if jobs:
        for job in jobs:
            ended = [s.end for s in facts.employer_spells
                     if s.organisation_id == job.organisation_id and s.end < day]
            if ended:
                reasons.append(f"{job.organisation}'s accreditation as a host organisation "
                               f"ended on {uk_date(max(ended))}.")
            else:
                reasons.append(f"{job.organisation} is not an accredited host organisation.")
        step = Step("Ask your employer about renewing its accreditation, or move to an "
                    "accredited host organisation, and tell course staff.")
    else:
        left = [j for j in facts.jobs if j.end is not None and j.end < day]
        if left:
            last = max(left, key=lambda j: j.end)
            reasons.append(f"Your employment with {last.organisation} ended on "
                           f"{uk_date(last.end)}.")
        else:
            reasons.append("No employment with a host organisation is recorded.")
        step = Step("An IMSA practises through an accredited host organisation: when you "
                    "join one, ask it to record your employment.")
    return AdvocateStatus("no_employer", IMSA, tuple(reasons), (step,), why=reasons[-1])


def _cpd(facts: AdvocateFacts, day: date, since: date) -> tuple[str | None, list[str],
                                                                 list[Step], date | None]:
    """What the CPD years since accreditation say on `day`: a state that overrides being
    accredited (renewal overdue or lapsed) or None; reasons; next steps; the last day the
    accreditation runs to on CPD alone (the current year's end, or the grace period's)."""
    years = sorted((y for y in facts.cpd_years if y.end >= since), key=lambda y: y.start)
    reasons: list[str] = []
    steps: list[Step] = []
    state = None
    until = None
    current = next((y for y in years if y.start <= day <= y.end), None)
    for year in years:
        if year.end >= day:
            continue
        grace_end = year.end + timedelta(days=facts.grace_days)
        if year.met_on is not None and year.met_on <= year.end:
            continue
        if year.met_on is not None and year.met_on <= grace_end:
            reasons.append(f"CPD year ending {uk_date(year.end)} was completed late, on "
                           f"{uk_date(year.met_on)}.")
            continue
        hours = (f"{_hours_pair(year.logged_minutes, year.required_minutes)}"
                 if year.hours_known else "")
        if day <= grace_end:
            state = "renewal_overdue"
            reasons.append(f"CPD: the year that ended on {uk_date(year.end)} is short"
                           f"{': ' + hours if hours else ''}.")
            # The hours are said above; the rest of what the year lacks, in the past tense of
            # that year (the CPD rules word its hours as a year still running).
            reasons += [f"Still needed for that year: {s}" for s in year.shortfalls
                        if not s.startswith("CPD: ")]
            more = year.required_minutes - year.logged_minutes
            needed = f"the {hours_text(more)} still needed" if hours and more > 0 else \
                "the CPD still needed"
            steps.append(Step(f"Log {needed} for the year that ended on {uk_date(year.end)} "
                              "(activities done in that year), or your accreditation lapses.",
                              grace_end))
            until = grace_end
            continue
        # Past the grace period the accreditation has lapsed, whatever later years say:
        # only course staff reinstate it (a later `accredit` decision), even once the hours
        # are made up.
        reasons = [f"CPD: the year that ended on {uk_date(year.end)} was short"
                   f"{' (' + hours + ')' if hours else ''} and the {facts.grace_days}-day "
                   f"grace period ended on {uk_date(grace_end)}."]
        if year.met_on is not None:
            reasons.append(f"The hours for that year were made up on {uk_date(year.met_on)}, "
                           "after the grace period.")
            steps = [Step("Ask course staff to confirm your accreditation again: the CPD "
                          "has been made up.")]
        else:
            steps = [Step("Ask course staff how to be reinstated: make up the CPD, then they "
                          "confirm your accreditation again.")]
        return "lapsed", reasons, steps, None
    if current:
        if current.hours_known:
            reasons.append(f"CPD: {_hours_pair(current.logged_minutes, current.required_minutes)}"
                           f"; the year ends on {uk_date(current.end)}.")
        else:
            reasons.append(f"CPD: the year ends on {uk_date(current.end)}.")
        if current.met_on is None:
            steps.append(Step("Complete this year's CPD.", current.end))
        until = min(until, current.end) if until else current.end
    return state, reasons, steps, until


def _status_on(facts: AdvocateFacts, day: date) -> AdvocateStatus:
    decisions = _ordered(facts.decisions)
    imsa, first = _specialism_of(facts)
    withdrawn = _last(decisions, {"withdraw"})
    if withdrawn:
        return AdvocateStatus(
            "withdrawn", (imsa or first).specialism if (imsa or first) else None,
            (f"Accreditation was withdrawn by course staff on {uk_date(withdrawn.on)}.",
             *_reason_given(withdrawn)), ())

    suspension = _last(decisions, {"suspend", "lift"})
    if suspension and suspension.kind == "suspend":
        return AdvocateStatus(
            "suspended", (imsa or first).specialism if (imsa or first) else None,
            (f"Suspended by course staff on {uk_date(suspension.on)}.",
             *_reason_given(suspension)),
            (Step("Course staff will lift the suspension when the reason for it is "
                  "resolved; contact them if you have not heard."),))
    if first is None:
        return _not_qualified(facts, day)
    if imsa is None:
        studying = [e for e in facts.enrolments if day in e and e.specialism == IMSA]
        return AdvocateStatus(
            "qualified", first.specialism,
            (f"PG Cert awarded on {uk_date(first.on)} with the "
             f"{SPECIALISM_WORDS.get(first.specialism, first.specialism)} specialism.",
             *(f"Studying the modern slavery specialism since {uk_date(e.start)}."
               for e in studying),
             "IMSA accreditation needs the modern slavery specialism."), ())

    base = [f"PG Cert awarded on {uk_date(imsa.on)} with the modern slavery specialism."]
    accredit = _last([d for d in decisions if d.on >= imsa.on], {"accredit"})
    jobs, accredited_jobs = _employer_on(facts, day)
    if accredit is None:
        reasons = [*base, "Course staff have not yet confirmed the initial conditions of "
                          "accreditation."]
        if accredited_jobs:
            reasons.append(f"Employed by {accredited_jobs[0].organisation}, an accredited "
                           "host organisation.")
            step = Step("Course staff confirm the initial conditions: contact them if you "
                        "have sent everything they asked for.")
        else:
            reasons.append("Not employed by an accredited host organisation.")
            step = Step("Join an accredited host organisation; then course staff can confirm "
                        "your accreditation.")
        return AdvocateStatus("qualified", IMSA, tuple(reasons), (step,), why=reasons[0])

    confirmed = [d for d in decisions if d.on >= imsa.on and d.kind == "accredit"]
    if len(confirmed) > 1:
        base.append(f"Accreditation confirmed again by course staff on {uk_date(accredit.on)}.")
    else:
        base.append(f"Initial conditions confirmed on {uk_date(accredit.on)}.")
    # The latest event that made the person accredited explains the state in the history.
    lately: list[tuple[date, str]] = [(accredit.on, base[1])]
    if not accredited_jobs:
        return _no_employer(facts, day, jobs, base)
    job = max(accredited_jobs, key=lambda j: j.start)
    base.append(f"Employed by {job.organisation}, an accredited host organisation.")
    joined = max([job.start] + [s.start for s in facts.employer_spells
                                if s.organisation_id == job.organisation_id and day in s])
    lately.append((joined, base[2]))

    cpd_state, cpd_reasons, steps, cpd_until = _cpd(facts, day, accredit.on)
    if cpd_state == "lapsed":
        return AdvocateStatus("lapsed", IMSA, tuple(base + cpd_reasons), tuple(steps),
                              why=cpd_reasons[0])
    for year in facts.cpd_years:
        if year.end >= accredit.on and year.met_on and year.end < year.met_on <= day:
            lately.append((year.met_on, f"CPD year ending {uk_date(year.end)} was completed "
                                        f"late, on {uk_date(year.met_on)}."))

    state = cpd_state or "accredited"
    reasons = base + cpd_reasons
    lifted = suspension if suspension and suspension.on >= accredit.on else None
    if lifted:
        reasons.append(f"A suspension was lifted by course staff on {uk_date(lifted.on)}.")
        lately.append((lifted.on, reasons[-1]))
    conditions = _last([d for d in decisions if d.on >= accredit.on],
                       {"conditions", "conditions_met"})
    condition_text = ""
    why = ""
    if conditions and conditions.kind == "conditions":
        condition_text = conditions.conditions.strip()
        state = "accredited_conditions" if state == "accredited" else state
        reasons.append(f"Conditions set on {uk_date(conditions.on)}: "
                       f"{condition_text or conditions.reason.strip() or 'see course staff'}")
        why = reasons[-1]
        if conditions.due_on and conditions.due_on < day:
            reasons.append(f"The conditions were due on {uk_date(conditions.due_on)}.")
        steps.insert(0, Step("Meet the conditions and tell course staff.", conditions.due_on))
    elif conditions:
        set_on = _last([d for d in decisions if accredit.on <= d.on and d.kind == "conditions"
                        and (d.on, d.order) <= (conditions.on, conditions.order)],
                       {"conditions"})
        reasons.append(f"The conditions set on {uk_date(set_on.on)} were met on "
                       f"{uk_date(conditions.on)}." if set_on else
                       f"Conditions met on {uk_date(conditions.on)}.")
        lately.append((conditions.on, reasons[-1]))
    employer_end = _employer_end(facts, accredited_jobs, day)
    ends = [d for d in (cpd_until, employer_end) if d]
    valid_until = min(ends) if ends else None
    if state == "renewal_overdue":
        why = next(r for r in cpd_reasons if "short" in r)
    elif state == "accredited":
        why = max(lately, key=lambda pair: pair[0])[1]
    return AdvocateStatus(state, IMSA, tuple(reasons), tuple(steps), valid_until,
                          condition_text, why=why)


def _event_days(facts: AdvocateFacts) -> list[date]:
    days = {e.start for e in facts.enrolments} | {a.on for a in facts.awards}
    days |= {e.ended_on + timedelta(days=1) for e in facts.enrolments if e.ended_on}
    days |= {d.on for d in facts.decisions}
    for job in facts.jobs:
        days.add(job.start)
        if job.end:
            days.add(job.end + timedelta(days=1))
    for spell in facts.employer_spells:
        days |= {spell.start, spell.end + timedelta(days=1)}
        if spell.known_on:
            days.add(spell.known_on)
    for year in facts.cpd_years:
        days.add(year.end + timedelta(days=1))
        days.add(year.end + timedelta(days=facts.grace_days + 1))
        if year.met_on:
            days.add(year.met_on)
    return sorted(days)


def advocate_status(facts: AdvocateFacts, day: date) -> AdvocateStatus:
    """Where the person stands on `day`, every reason, what next, and the history."""
    known = _known_by(facts, day)
    current = _status_on(known, day)
    history: list[Change] = []
    for event in (d for d in _event_days(known) if d <= day):
        then = _status_on(_known_by(known, event, hours=event == day), event)
        if not history or history[-1].state != then.state:
            history.append(Change(event, then.state, then.headline))
    return AdvocateStatus(current.state, current.specialism, current.reasons,
                          current.next_steps, current.valid_until, current.conditions,
                          tuple(history), current.why)
