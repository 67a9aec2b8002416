"""Accreditation records read into the pure rules, and decisions written with their audit.

Every reader is batched: the facts of any number of people or organisations come from a fixed
number of queries, so a register or a dashboard costs the same whatever its size."""

from bisect import bisect_right
from collections import defaultdict
from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import bindparam, func, select

from lms.accreditation import numbers, orgrules, rules
from lms.accreditation.models import (
    AdvocateDecision,
    Award,
    OrgAnnualReturn,
    OrgAppeal,
    OrgApplication,
    OrgDecision,
    RegisterEntry,
)
from lms.audit.services import record
from lms.certs.issuing import after_advocate_decision as certificates_after_advocate_decision
from lms.certs.issuing import after_org_decision as certificates_after_org_decision
from lms.cohorts.models import Cohort, Enrolment
from lms.cpd import rules as cpd_rules
from lms.cpd.models import CpdLeave, CpdProfile
from lms.cpd.services import anchors_of, kept_from_entries, scheme_history
from lms.extensions import db
from lms.organisations.models import Employment, HostOrganisation

# The readers' statements are built once, with the ids as an expanding parameter: building a
# statement costs about 0.2 ms of Python, and a status reads up to 14 of them.
_IDS = bindparam("ids", expanding=True)
_ORG_NAMES = select(HostOrganisation.id, HostOrganisation.name).where(HostOrganisation.id.in_(_IDS))
_ORG_APPLICATIONS = (select(OrgApplication).where(OrgApplication.organisation_id.in_(_IDS))
                     .order_by(OrgApplication.id))
_ORG_DECISIONS = (select(OrgDecision).where(OrgDecision.organisation_id.in_(_IDS))
                  .order_by(OrgDecision.id))
_ORG_APPEALS = select(OrgAppeal).where(OrgAppeal.decision_id.in_(_IDS)).order_by(OrgAppeal.id)
_ORG_RETURNS = select(OrgAnnualReturn).where(OrgAnnualReturn.organisation_id.in_(_IDS))
_ENROLMENTS = (select(Enrolment, Cohort.starts_on, Cohort.ends_on)
               .join(Cohort, Enrolment.cohort_id == Cohort.id).where(Enrolment.user_id.in_(_IDS)))
_JOBS = (select(Employment, HostOrganisation.name)
         .join(HostOrganisation, Employment.organisation_id == HostOrganisation.id)
         .where(Employment.user_id.in_(_IDS)).order_by(Employment.start_date))
_AWARDS = select(Award).where(Award.user_id.in_(_IDS))
_ADVOCATE_DECISIONS = (select(AdvocateDecision).where(AdvocateDecision.user_id.in_(_IDS))
                       .order_by(AdvocateDecision.id))
_LEAVE = select(CpdLeave).where(CpdLeave.user_id.in_(_IDS), CpdLeave.withdrawn_at.is_(None))

# ---------------------------------------------------------------------------- organisations


def org_facts_of(org_ids) -> dict[int, orgrules.OrgFacts]:
    """The facts of each organisation, in five queries whatever their number."""
    ids = sorted(set(org_ids))
    if not ids:
        return {}
    given = {"ids": ids}
    names = dict(db.session.execute(_ORG_NAMES, given).all())
    applications = defaultdict(list)
    for row in db.session.scalars(_ORG_APPLICATIONS, given):
        applications[row.organisation_id].append(orgrules.Application(
            row.id, row.kind, row.created_at.date(),
            row.submitted_at.date() if row.submitted_at else None,
            row.decided_at.date() if row.decided_at else None))
    decisions = defaultdict(list)
    decision_org = {}
    for row in db.session.scalars(_ORG_DECISIONS, given):
        decision_org[row.id] = row.organisation_id
        decisions[row.organisation_id].append(orgrules.Decision(
            row.kind, row.effective_on, row.valid_until, row.reasons, row.conditions,
            order=row.id, id=row.id, decided_on=row.decided_at.date()))
    appeals = defaultdict(list)
    if decision_org:
        for row in db.session.scalars(_ORG_APPEALS, {"ids": list(decision_org)}):
            appeals[decision_org[row.decision_id]].append(orgrules.Appeal(
                row.decision_id, row.submitted_at.date(),
                row.decided_at.date() if row.decided_at else None, row.outcome))
    returns = defaultdict(list)
    for row in db.session.scalars(_ORG_RETURNS, given):
        returns[row.organisation_id].append(orgrules.YearlyReturn(
            row.due_on, row.submitted_at.date()))
    return {i: orgrules.OrgFacts(names.get(i, ""), tuple(applications[i]),
                                 tuple(decisions[i]), tuple(appeals[i]), tuple(returns[i]))
            for i in ids}


def org_statuses(orgs, today: date) -> dict[int, orgrules.OrgStatus]:
    facts = org_facts_of(org.id for org in orgs)
    return {org_id: orgrules.org_status(f, today) for org_id, f in facts.items()}


def org_status_of(org, today: date) -> orgrules.OrgStatus:
    return org_statuses([org], today)[org.id]


def accredited_org_ids(today: date) -> set[int]:
    """The organisations accredited today (with or without conditions)."""
    ids = db.session.scalars(select(OrgDecision.organisation_id).distinct()).all()
    facts = org_facts_of(ids)
    return {i for i, f in facts.items() if orgrules.org_status(f, today).accredited}


def record_org_decision(org, kind: str, effective_on: date, *, actor, application=None,
                        valid_until: date | None = None, reasons: str = "",
                        conditions: str = "") -> OrgDecision:
    """Record a decision about an organisation (never edited afterwards), with its audit."""
    if kind in {"accredited", "accredited_conditions"} and valid_until is None:
        valid_until = orgrules.default_valid_until(effective_on)
    decision = OrgDecision(organisation_id=org.id, application_id=application.id
                           if application else None, kind=kind, effective_on=effective_on,
                           valid_until=valid_until, reasons=reasons.strip(),
                           conditions=conditions.strip(),
                           decided_by_id=actor.id if actor else None)
    db.session.add(decision)
    db.session.flush()
    record("organisation_decision", decision, actor=actor, reason=reasons.strip() or None,
           after={"organisation_id": org.id, "kind": kind,
                  "effective_on": effective_on.isoformat(),
                  "valid_until": valid_until.isoformat() if valid_until else None,
                  "conditions": decision.conditions})
    certificates_after_org_decision(org, actor)
    return decision


# ---------------------------------------------------------------------------- advocates


def _enrolments(ids: list[int]) -> dict[int, list[rules.Enrolled]]:
    out = defaultdict(list)
    rows = db.session.execute(_ENROLMENTS, {"ids": ids})
    for enrolment, starts_on, ends_on in rows:
        ended = None
        if enrolment.status in {"completed", "withdrawn"}:
            # Studying until the day before the enrolment was closed (or the cohort ended).
            changed = enrolment.updated_at.date() if enrolment.updated_at else starts_on
            ended = max(starts_on, min(ends_on or changed, changed) - timedelta(days=1))
        out[enrolment.user_id].append(rules.Enrolled(enrolment.specialism, starts_on, ended))
    return out


def _jobs(ids: list[int]) -> dict[int, list[rules.Job]]:
    out = defaultdict(list)
    rows = db.session.execute(_JOBS, {"ids": ids})
    for employment, name in rows:
        out[employment.user_id].append(rules.Job(employment.organisation_id, name,
                                                 employment.start_date, employment.end_date))
    return out


def _by_year(entries: list[cpd_rules.Entry], years) -> dict:
    """Each year's counted entries, sorted once: each year then totals its own entries, not
    every entry of the person's accreditation."""
    out = {year: [] for year in years}
    ordered = sorted(years, key=lambda y: y.start)
    starts = [year.start for year in ordered]
    for entry in entries:
        if not entry.counts:
            continue
        at = bisect_right(starts, entry.last_day) - 1
        if at >= 0 and entry.last_day in ordered[at]:
            out[ordered[at]].append(entry)
    return out


def _years_of(entries, leave, history, since: date, anchor: date,
              today: date) -> tuple[rules.CpdYearResult, ...]:
    """A person's CPD years from accreditation (at most ten years back) to today."""
    first = max(since, today - timedelta(days=10 * 366))
    years = cpd_rules.years_of(first, today, history, anchor)
    in_year = _by_year(entries, years)
    out = []
    for year in years:
        req = cpd_rules.requirement(history, year, leave)
        progress = cpd_rules.progress(in_year[year], req)
        out.append(rules.CpdYearResult(
            year.start, year.end, req.minutes, progress.minutes,
            cpd_rules.first_day_met(in_year[year], req), progress.shortfalls))
    return tuple(out)


def _cpd_years(ids: list[int], users, since: dict[int, date],
               today: date) -> dict[int, tuple[rules.CpdYearResult, ...]]:
    """Each accredited person's CPD years from their accreditation to today, with hours and
    the day each was met: one read of leave, and the figures kept from their entries."""
    wanted = [i for i in ids if i in since]
    if not wanted:
        return {}
    history = tuple(scheme_history())
    anchors = anchors_of([u for u in users if u.id in since], today)
    leave = defaultdict(list)
    for row in db.session.scalars(_LEAVE, {"ids": wanted}):
        leave[row.user_id].append(row.rule())

    def inputs(user_id):
        return (tuple(sorted(leave[user_id], key=repr)), history, since[user_id],
                anchors[user_id], today)

    def compute(user_id, entries):
        return _years_of(entries, leave[user_id], history, since[user_id], anchors[user_id],
                         today)

    return kept_from_entries("cpd_years", wanted, inputs, compute)


def advocate_facts_of(users, today: date) -> dict[int, rules.AdvocateFacts]:
    """The facts of each person, in a fixed number of queries whatever their number."""
    users = list(users)
    ids = [u.id for u in users]
    if not ids:
        return {}
    enrolments, jobs = _enrolments(ids), _jobs(ids)
    awards = defaultdict(list)
    for row in db.session.scalars(_AWARDS, {"ids": ids}):
        awards[row.user_id].append(rules.Awarded(row.specialism, row.awarded_on))
    decisions = defaultdict(list)
    for row in db.session.scalars(_ADVOCATE_DECISIONS, {"ids": ids}):
        if row.kind in {"withhold", "unwithhold"}:
            continue  # the public check's business, not the status
        decisions[row.user_id].append(rules.Decision(row.kind, row.effective_on, row.reason,
                                                     row.conditions, row.due_on, row.id))
    org_ids = {job.organisation_id for person in jobs.values() for job in person}
    spells = {org_id: orgrules.accredited_spells(f, today)
              for org_id, f in org_facts_of(org_ids).items()}
    since = {user_id: min(d.on for d in person if d.kind == "accredit")
             for user_id, person in decisions.items()
             if any(d.kind == "accredit" for d in person)}
    cpd = _cpd_years(ids, users, since, today)
    out = {}
    for user_id in ids:
        employer_spells = tuple(
            rules.EmployerSpell(org_id, s.start, s.end)
            for org_id in {j.organisation_id for j in jobs[user_id]}
            for s in spells.get(org_id, ()))
        out[user_id] = rules.AdvocateFacts(
            tuple(enrolments[user_id]), tuple(awards[user_id]), tuple(jobs[user_id]),
            employer_spells, cpd.get(user_id, ()), tuple(decisions[user_id]))
    return out


# advocate_status is a pure function of frozen, hashable facts and a day: each process keeps
# its answers, which can never be stale (other facts are another key). A dashboard of hundreds
# of advocates read again then costs a hash of each person's facts, not their history's replay.
_advocate_status = lru_cache(maxsize=4096)(rules.advocate_status)


def advocate_statuses(users, today: date) -> dict[int, rules.AdvocateStatus]:
    return {user_id: _advocate_status(f, today)
            for user_id, f in advocate_facts_of(users, today).items()}


def advocate_status_of(user, today: date) -> rules.AdvocateStatus:
    return advocate_statuses([user], today)[user.id]


def register_entries_of(user_ids) -> dict[int, RegisterEntry]:
    ids = list(set(user_ids))
    if not ids:
        return {}
    return {row.user_id: row for row in db.session.scalars(
        select(RegisterEntry).where(RegisterEntry.user_id.in_(ids)))}


def _new_register_entry(user, specialism: str) -> RegisterEntry:
    taken = True
    while taken:
        number = numbers.new_number(specialism)
        taken = db.session.scalar(select(func.count()).select_from(RegisterEntry)
                                  .where(RegisterEntry.number == number)) > 0
    entry = RegisterEntry(user_id=user.id, number=number)
    db.session.add(entry)
    return entry


def record_award(user, specialism: str, awarded_on: date, *, actor,
                 enrolment=None) -> Award:
    """Record the PG Cert award and give the person their place on the register."""
    award = Award(user_id=user.id, specialism=specialism, awarded_on=awarded_on,
                  enrolment_id=enrolment.id if enrolment else None,
                  recorded_by_id=actor.id if actor else None)
    db.session.add(award)
    if db.session.get(RegisterEntry, user.id) is None:
        _new_register_entry(user, specialism)
    db.session.flush()
    record("award_recorded", award, actor=actor,
           after={"user_id": user.id, "specialism": specialism,
                  "awarded_on": awarded_on.isoformat()})
    return award


def decide_for_advocate(user, kind: str, effective_on: date, *, actor, reason: str,
                        conditions: str = "", due_on: date | None = None) -> AdvocateDecision:
    """Record a staff decision about an advocate (never edited afterwards), with its audit.
    The first confirmation of accreditation also anchors the person's CPD years."""
    decision = AdvocateDecision(user_id=user.id, kind=kind, effective_on=effective_on,
                                reason=reason.strip(), conditions=conditions.strip(),
                                due_on=due_on, decided_by_id=actor.id if actor else None)
    db.session.add(decision)
    if kind == "accredit":
        profile = db.session.get(CpdProfile, user.id)
        if profile is None:
            db.session.add(CpdProfile(user_id=user.id, accredited_on=effective_on))
        elif profile.accredited_on is None:
            profile.accredited_on = effective_on
    db.session.flush()
    record("advocate_decision", decision, actor=actor, reason=reason.strip() or None,
           after={"user_id": user.id, "kind": kind, "effective_on": effective_on.isoformat(),
                  "conditions": decision.conditions,
                  "due_on": due_on.isoformat() if due_on else None})
    certificates_after_advocate_decision(user, actor)
    return decision


def set_withheld(user, withheld: bool, *, actor, reason: str) -> RegisterEntry | None:
    """Withhold a person's entry from the public check (or show it again), recorded as a
    decision so the history says who and why."""
    entry = db.session.get(RegisterEntry, user.id)
    if entry is None or entry.withheld == withheld:
        return entry
    entry.withheld = withheld
    decide_for_advocate(user, "withhold" if withheld else "unwithhold", date.today(),
                        actor=actor, reason=reason)
    return entry
