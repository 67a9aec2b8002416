"""Hypothesis strategies: plausible dated facts about advocates and organisations, and facts
dated after a given day (to show that a status never depends on what happened later)."""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import strategies as st

from lms.accreditation import orgrules, rules

START = date(2024, 1, 1)
SPAN = 2500  # days: about seven years of history
SPECIALISMS = sorted(rules.SPECIALISM_WORDS)
ADVOCATE_KINDS = ["accredit", "accredit", "conditions", "conditions_met", "suspend", "lift",
                  "withdraw"]
ORG_KINDS = ["accredited", "accredited", "accredited_conditions", "declined", "conditions_met",
             "suspended", "lifted", "withdrawn"]

offsets = st.integers(0, SPAN)
days = offsets.map(lambda n: START + timedelta(days=n))
lengths = st.integers(0, 1200).map(lambda n: timedelta(days=n))
words = st.sampled_from(["", "Complaint under review", "Supervision plan", "  "])


def after(day: date, most: int = 900):
    """A day strictly after `day`."""
    return st.integers(1, most).map(lambda n: day + timedelta(days=n))


# ---------------------------------------------------------------------------- advocates


@st.composite
def enrolments(draw):
    start = draw(days)
    ended = draw(st.none() | lengths.map(lambda n: start + n))
    return rules.Enrolled(draw(st.sampled_from(SPECIALISMS)), start, ended)


@st.composite
def jobs(draw):
    start = draw(days)
    end = draw(st.none() | lengths.map(lambda n: start + n))
    org = draw(st.integers(1, 3))
    return rules.Job(org, f"Host {org}", start, end)


@st.composite
def spells(draw):
    start = draw(days)
    known = draw(st.none() | st.integers(-60, 400).map(lambda n: start + timedelta(days=n)))
    return rules.EmployerSpell(draw(st.integers(1, 3)), start, start + draw(lengths), known)


@st.composite
def cpd_years(draw):
    """Consecutive CPD years, each met on time, late, or not at all."""
    start = draw(days)
    years = []
    for _ in range(draw(st.integers(0, 4))):
        end = start + timedelta(days=draw(st.sampled_from([364, 365])))
        required = draw(st.sampled_from([600, 1200]))
        logged = draw(st.integers(0, 1500))
        met = draw(st.none() | st.integers(0, (end - start).days + 150)
                   .map(lambda n, s=start: s + timedelta(days=n)))
        shortfalls = draw(st.sampled_from([(), ("2 hours of safeguarding",)]))
        years.append(rules.CpdYearResult(start, end, required, logged, met, shortfalls))
        start = end + timedelta(days=1)
    return tuple(years)


@st.composite
def advocate_decisions(draw):
    on = draw(days)
    kind = draw(st.sampled_from(ADVOCATE_KINDS))
    due = draw(st.none() | after(on, 200))
    return rules.Decision(kind, on, draw(words), draw(words), due, draw(st.integers(0, 5)))


@st.composite
def careers(draw):
    """Someone who may well be accredited: a modern slavery award, a job at an employer
    accredited around it, a decision confirming them, CPD years; then anything else."""
    awarded = draw(days)
    joined = awarded + timedelta(days=draw(st.integers(-200, 200)))
    org = draw(st.integers(1, 3))
    spell = rules.EmployerSpell(org, joined - timedelta(days=draw(st.integers(0, 400))),
                                joined + timedelta(days=draw(st.integers(200, 1500))))
    confirmed = awarded + timedelta(days=draw(st.integers(0, 300)))
    years = draw(cpd_years())
    if years:
        shift = confirmed - years[0].start - timedelta(days=draw(st.integers(0, 200)))
        years = tuple(replace(y, start=y.start + shift, end=y.end + shift,
                              met_on=y.met_on + shift if y.met_on else None) for y in years)
    later = st.integers(0, 1200).map(lambda n: confirmed + timedelta(days=n))
    decisions = [rules.Decision(draw(st.sampled_from(ADVOCATE_KINDS)), on, draw(words),
                                draw(words), draw(st.none() | after(on, 200)),
                                draw(st.integers(0, 5)))
                 for on in draw(st.lists(later, max_size=2))]
    return rules.AdvocateFacts(
        enrolments=(rules.Enrolled(rules.IMSA, awarded - timedelta(days=400),
                                   awarded - timedelta(days=draw(st.integers(1, 60)))),),
        awards=(rules.Awarded(rules.IMSA, awarded),),
        jobs=(rules.Job(org, f"Host {org}", joined,
                        draw(st.none() | st.none() | lengths.map(lambda n: joined + n))),
              *draw(st.lists(jobs(), max_size=1))),
        employer_spells=(spell, *draw(st.lists(spells(), max_size=2))),
        cpd_years=years,
        decisions=(rules.Decision("accredit", confirmed, order=1), *decisions),
    )


@st.composite
def scattered(draw):
    """Anything at all, in any order: the rules must cope with odd histories too."""
    awards = draw(st.lists(st.sampled_from(SPECIALISMS), unique=True, max_size=2))
    return rules.AdvocateFacts(
        enrolments=tuple(draw(st.lists(enrolments(), max_size=2))),
        awards=tuple(rules.Awarded(s, draw(days)) for s in awards),
        jobs=tuple(draw(st.lists(jobs(), max_size=3))),
        employer_spells=tuple(draw(st.lists(spells(), max_size=4))),
        cpd_years=draw(cpd_years()),
        decisions=tuple(draw(st.lists(advocate_decisions(), max_size=6))),
    )


# Mostly careers, where every state is reachable; odd histories a quarter of the time.
advocate_facts = st.one_of(careers(), careers(), careers(), scattered())


def _advocate_dates(facts: rules.AdvocateFacts) -> list[date]:
    found = [a.on for a in facts.awards] + [d.on for d in facts.decisions]
    found += [y.end for y in facts.cpd_years] + [j.start for j in facts.jobs]
    found += [e.start for e in facts.enrolments] + [s.end for s in facts.employer_spells]
    return found or [START]


@st.composite
def advocate_cases(draw):
    """Facts, and a day near one of them (where the status is likely to be changing)."""
    facts = draw(advocate_facts)
    if draw(st.integers(0, 4)) == 0:
        return facts, draw(days)
    near = draw(st.sampled_from(sorted(_advocate_dates(facts))))
    return facts, near + timedelta(days=draw(st.integers(-10, 120)))


@st.composite
def advocate_later(draw, facts: rules.AdvocateFacts, day: date):
    """`facts` with things added that all happen after `day`."""
    def later():
        return after(day)
    extra_years = ()
    if draw(st.booleans()):
        start = draw(later())
        extra_years = (rules.CpdYearResult(start, start + timedelta(days=364), 1200,
                                           draw(st.integers(0, 1500)),
                                           draw(st.none() | after(start, 500))),)
    return replace(
        facts,
        enrolments=tuple(replace(e, ended_on=draw(later())) if e.ended_on is None
                         and draw(st.booleans()) else e for e in facts.enrolments)
        + tuple(rules.Enrolled(draw(st.sampled_from(SPECIALISMS)), draw(later()))
                for _ in range(draw(st.integers(0, 1)))),
        awards=facts.awards + tuple(rules.Awarded(s, draw(later())) for s in SPECIALISMS
                                    if s not in {a.specialism for a in facts.awards}
                                    and draw(st.booleans())),
        jobs=tuple(replace(j, end=draw(later())) if j.end is None and draw(st.booleans())
                   else j for j in facts.jobs)
        + tuple(rules.Job(2, "Host 2", draw(later())) for _ in range(draw(st.integers(0, 1)))),
        employer_spells=facts.employer_spells + tuple(
            rules.EmployerSpell(draw(st.integers(1, 3)), start, start + draw(lengths),
                                draw(st.none() | after(start, 50)))
            for start in draw(st.lists(later(), max_size=2)))
        + tuple(rules.EmployerSpell(draw(st.integers(1, 3)), start, start + draw(lengths),
                                    draw(later()))
                for start in draw(st.lists(days, max_size=1))),
        cpd_years=facts.cpd_years + extra_years,
        decisions=facts.decisions + tuple(
            rules.Decision(draw(st.sampled_from(ADVOCATE_KINDS)), on, draw(words), draw(words),
                           None, draw(st.integers(-5, 5)))
            for on in draw(st.lists(later(), max_size=4))),
    )


# ---------------------------------------------------------------------------- organisations


@st.composite
def org_facts(draw):
    applications = []
    for i in range(draw(st.integers(0, 3))):
        started = draw(days)
        submitted = draw(st.none() | after(started, 120))
        decided = draw(st.none() | after(submitted, 120)) if submitted else None
        applications.append(orgrules.Application(i + 1, draw(st.sampled_from(
            ["initial", "renewal"])), started, submitted, decided))
    decisions = []
    for i in range(draw(st.integers(0, 6))):
        effective = draw(days)
        kind = draw(st.sampled_from(ORG_KINDS))
        until = draw(st.none() | st.integers(30, 1500).map(
            lambda n, e=effective: e + timedelta(days=n)))
        ahead = draw(st.none() | st.integers(1, 60).map(
            lambda n, e=effective: e - timedelta(days=n)))
        decisions.append(orgrules.Decision(kind, effective, until, draw(words), draw(words),
                                           draw(st.integers(0, 3)), i + 1, ahead))
    appeals = []
    for decision in decisions:
        if draw(st.integers(0, 3)) == 0:
            lodged = decision.effective_on + timedelta(days=draw(st.integers(0, 28)))
            decided = draw(st.none() | after(lodged, 60))
            appeals.append(orgrules.Appeal(decision.id, lodged, decided,
                                           draw(st.sampled_from(["upheld", "dismissed"]))
                                           if decided else None))
    returns = []
    for decision in decisions[:2]:
        if draw(st.booleans()):
            due = orgrules.default_valid_until(decision.effective_on, 1) + timedelta(days=1)
            returns.append(orgrules.YearlyReturn(
                due, due - timedelta(days=draw(st.integers(-30, 90)))))
    return orgrules.OrgFacts("Host", tuple(applications), tuple(decisions), tuple(appeals),
                             tuple(returns))


@st.composite
def lifecycles(draw):
    """An application decided, then what may follow within the term: conditions met, a
    suspension and its lifting, a withdrawal, a renewal accredited or declined, an appeal."""
    started = draw(days)
    submitted = started + timedelta(days=draw(st.integers(0, 90)))
    effective = submitted + timedelta(days=draw(st.integers(1, 90)))
    first = draw(st.sampled_from(["accredited", "accredited_conditions", "declined"]))
    until = draw(st.none() | st.just(orgrules.default_valid_until(effective)))
    end = until or orgrules.default_valid_until(effective)
    applications = [orgrules.Application(1, "initial", started, submitted, effective)]
    decisions = [orgrules.Decision(first, effective, until, draw(words), draw(words), 0, 1)]
    within = st.integers(1, (end - effective).days + 60).map(
        lambda n: effective + timedelta(days=n))
    for i, kind in enumerate(draw(st.lists(st.sampled_from(
            ["conditions_met", "suspended", "lifted", "withdrawn", "renewal", "renewal",
             "accredited_conditions"]), max_size=4))):
        on = draw(within)
        if kind == "renewal":
            applied = max(effective + timedelta(days=1), end - timedelta(days=80))
            outcome = draw(st.sampled_from(["accredited", "declined", None]))
            decided = applied + timedelta(days=draw(st.integers(11, 120)))
            applications.append(orgrules.Application(i + 2, "renewal", applied,
                                                     applied + timedelta(days=10),
                                                     decided if outcome else None))
            if outcome == "accredited":
                start = max(decided, end + timedelta(days=1)) if draw(st.booleans()) else decided
                decisions.append(orgrules.Decision("accredited", start, None, "", "", 0, i + 2,
                                                   decided_on=decided))
            elif outcome:
                decisions.append(orgrules.Decision("declined", decided, None, draw(words), "",
                                                   0, i + 2))
            continue
        decisions.append(orgrules.Decision(kind, on, None, draw(words), draw(words),
                                           draw(st.integers(0, 3)), i + 2))
    appeals = []
    for decision in decisions:
        if draw(st.integers(0, 3)) == 0:
            lodged = decision.effective_on + timedelta(days=draw(st.integers(0, 28)))
            decided = draw(st.none() | after(lodged, 60))
            appeals.append(orgrules.Appeal(decision.id, lodged, decided,
                                           draw(st.sampled_from(["upheld", "dismissed"]))
                                           if decided else None))
    returns = tuple(orgrules.YearlyReturn(due, due - timedelta(days=draw(st.integers(-30, 90))))
                    for due in (orgrules.default_valid_until(effective, n) + timedelta(days=1)
                                for n in (1, 2)) if draw(st.booleans()))
    return orgrules.OrgFacts("Host", tuple(applications), tuple(decisions), tuple(appeals),
                             returns)


any_org_facts = lifecycles() | org_facts()


@st.composite
def org_cases(draw):
    """An organisation's facts, and a day near one of them."""
    facts = draw(any_org_facts)
    found = [d.effective_on for d in facts.decisions] + [a.started_on for a in facts.applications]
    found += [d.valid_until for d in facts.decisions if d.valid_until]
    if not found or draw(st.integers(0, 4)) == 0:
        return facts, draw(days)
    near = draw(st.sampled_from(sorted(found)))
    return facts, near + timedelta(days=draw(st.integers(-10, 120)))


@st.composite
def org_later(draw, facts: orgrules.OrgFacts, day: date):
    """`facts` with things added that all happen after `day`."""
    def later():
        return after(day)

    def finish(application):
        if application.submitted_on is None and draw(st.booleans()):
            return replace(application, submitted_on=draw(later()))
        if application.submitted_on and application.decided_on is None and draw(st.booleans()):
            return replace(application, decided_on=max(draw(later()),
                                                       application.submitted_on))
        return application

    def settle(appeal):
        if appeal.decided_on is None and draw(st.booleans()):
            return replace(appeal, decided_on=draw(later()), outcome="upheld")
        return appeal

    ids = len(facts.decisions) + len(facts.applications) + 10
    new_decisions = tuple(
        orgrules.Decision(draw(st.sampled_from(ORG_KINDS)), on, None, draw(words), draw(words),
                          draw(st.integers(-3, 3)), ids + i, draw(st.none() | later()))
        for i, on in enumerate(draw(st.lists(later(), max_size=3))))
    return replace(
        facts,
        applications=tuple(finish(a) for a in facts.applications) + tuple(
            orgrules.Application(ids + 50 + i, "renewal", on)
            for i, on in enumerate(draw(st.lists(later(), max_size=2)))),
        decisions=facts.decisions + new_decisions,
        appeals=tuple(settle(a) for a in facts.appeals) + tuple(
            orgrules.Appeal(d.id, draw(later())) for d in facts.decisions
            if d.id not in {a.decision_id for a in facts.appeals} and draw(st.booleans())),
        returns=facts.returns + tuple(
            orgrules.YearlyReturn(draw(days), draw(later()))
            for _ in range(draw(st.integers(0, 2)))),
    )
