"""Properties of both status engines over random histories: what must hold whatever happened."""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from lms.accreditation import orgrules, rules
from tests.unit.accreditation.strategies import (
    advocate_cases,
    advocate_later,
    org_cases,
    org_later,
)

MODEST = settings(max_examples=200, deadline=None)
to_come = st.integers(0, 1500).map(lambda n: timedelta(days=n))


def covered(day: date, facts: rules.AdvocateFacts) -> bool:
    """A modern slavery award by `day` and a current job at an employer accredited that day."""
    awarded = any(a.specialism == rules.IMSA and a.on <= day for a in facts.awards)
    employed = any(job.start <= day and (job.end is None or day <= job.end)
                   and any(s.organisation_id == job.organisation_id and s.start <= day <= s.end
                           for s in facts.employer_spells)
                   for job in facts.jobs)
    return awarded and employed


# ---------------------------------------------------------------------------- advocates


@MODEST
@given(advocate_cases())
def test_never_accredited_without_the_award_and_an_accredited_employer(case):
    facts, day = case
    status = rules.advocate_status(facts, day)
    if status.accredited:
        assert covered(day, facts)
        assert status.specialism == rules.IMSA
        assert status.valid_until is not None and status.valid_until >= day


@MODEST
@given(advocate_cases(), to_come)
def test_withdrawn_is_final(case, later):
    facts, day = case
    if rules.advocate_status(facts, day).state == "withdrawn":
        assert rules.advocate_status(facts, day + later).state == "withdrawn"


@MODEST
@given(advocate_cases())
def test_every_status_has_a_reason_and_dated_steps_are_not_behind_the_day(case):
    facts, day = case
    status = rules.advocate_status(facts, day)
    assert status.reasons and all(reason.strip() for reason in status.reasons)
    assert status.headline in status.reasons
    assert status.label
    for step in status.next_steps:
        assert step.text.strip()
        # Only conditions can be overdue: staff set their date, and it may have passed.
        if step.by is not None and not step.text.startswith("Meet the conditions"):
            assert step.by >= day
    if status.state == "renewal_overdue":
        lapses = [s for s in status.next_steps if s.by is not None and "lapses" in s.text]
        assert lapses and status.valid_until <= lapses[0].by
    if status.state == "lapsed":
        assert status.next_steps


@MODEST
@given(st.data(), advocate_cases())
def test_the_status_on_a_day_depends_only_on_facts_dated_up_to_it(data, case):
    facts, day = case
    more = data.draw(advocate_later(facts, day))
    assert rules.advocate_status(more, day) == rules.advocate_status(facts, day)


@MODEST
@given(advocate_cases(), st.integers(0, 2500))
def test_the_history_is_the_status_on_each_day(case, back):
    facts, day = case
    status = rules.advocate_status(facts, day)
    history = status.history
    assert [c.on for c in history] == sorted({c.on for c in history})
    assert all(c.on <= day for c in history)
    assert all(a.state != b.state for a, b in zip(history, history[1:], strict=False))
    assert all(c.text for c in history)
    if history:
        assert history[-1].state == status.state
    else:
        assert status.state == "not_qualified"
    # On any earlier day the status is the one the history gives for that day.
    earlier = day - timedelta(days=back)
    then = [c.state for c in history if c.on <= earlier]
    assert rules.advocate_status(facts, earlier).state == (then[-1] if then else "not_qualified")


@MODEST
@given(advocate_cases(), st.integers(-200, 200), st.integers(1, 300), st.integers(0, 300))
def test_a_suspension_lifted_leaves_the_state_it_would_have_been(case, start, length, after):
    facts, day = case
    facts = replace(facts, decisions=tuple(d for d in facts.decisions
                                           if d.kind not in {"suspend", "lift"}))
    suspended = day + timedelta(days=start)
    lifted = suspended + timedelta(days=length)
    both = replace(facts, decisions=(*facts.decisions,
                                     rules.Decision("suspend", suspended, "Complaint"),
                                     rules.Decision("lift", lifted)))
    during = rules.advocate_status(both, suspended)
    assert during.state in {"suspended", "withdrawn"}
    later = lifted + timedelta(days=after)
    assert rules.advocate_status(both, later).state == rules.advocate_status(facts, later).state


# ---------------------------------------------------------------------------- organisations


@MODEST
@given(org_cases())
def test_an_organisation_s_status_has_a_reason_and_a_term_when_accredited(case):
    facts, day = case
    status = orgrules.org_status(facts, day)
    assert status.reasons and all(reason.strip() for reason in status.reasons)
    assert status.headline in status.reasons
    if status.accredited:
        assert status.valid_from <= day <= status.valid_until
        assert any(d.kind in orgrules.ACCREDITED and d.effective_on == status.valid_from
                   for d in facts.decisions)
    assert status.renewal_open == any(s.text == "Apply to renew accreditation."
                                      for s in status.next_steps)
    for step in status.next_steps:
        if step.by is not None and not step.text.startswith("Send the yearly return"):
            assert step.by >= day
        if step.text.startswith("Send the yearly return"):
            assert step.by <= day + timedelta(days=orgrules.RENEWAL_WINDOW_DAYS)


@MODEST
@given(st.data(), org_cases())
def test_an_organisation_s_status_depends_only_on_facts_dated_up_to_the_day(data, case):
    facts, day = case
    more = data.draw(org_later(facts, day))
    assert orgrules.org_status(more, day) == orgrules.org_status(facts, day)
    assert orgrules.accredited_spells(more, day) == orgrules.accredited_spells(facts, day)


@MODEST
@given(org_cases(), st.integers(0, 2500))
def test_an_organisation_s_history_is_its_status_on_each_day(case, back):
    facts, day = case
    status = orgrules.org_status(facts, day)
    history = status.history
    assert [c.on for c in history] == sorted({c.on for c in history})
    assert all(c.on <= day for c in history)
    assert all(a.state != b.state for a, b in zip(history, history[1:], strict=False))
    if history:
        assert history[-1].state == status.state
    else:
        assert status.state == "not_applied"
    earlier = day - timedelta(days=back)
    then = [c.state for c in history if c.on <= earlier]
    assert orgrules.org_status(facts, earlier).state == (then[-1] if then else "not_applied")


@MODEST
@given(org_cases(), st.integers(-200, 200), st.integers(1, 300), st.integers(0, 300))
def test_an_organisation_s_suspension_lifted_leaves_the_state_it_would_have_been(
        case, start, length, after):
    facts, day = case
    facts = replace(facts, decisions=tuple(d for d in facts.decisions
                                           if d.kind not in {"suspended", "lifted"}))
    suspended = day + timedelta(days=start)
    lifted = suspended + timedelta(days=length)
    both = replace(facts, decisions=(*facts.decisions,
                                     orgrules.Decision("suspended", suspended, id=901, order=9),
                                     orgrules.Decision("lifted", lifted, id=902, order=9)))
    before = orgrules.org_status(facts, suspended)
    if before.accredited:
        assert orgrules.org_status(both, suspended).state == "suspended"
    later = lifted + timedelta(days=after)
    assert orgrules.org_status(both, later).state == orgrules.org_status(facts, later).state


def _terms(facts: orgrules.OrgFacts) -> list[tuple[date, date]]:
    return sorted((d.effective_on, d.valid_until or orgrules.default_valid_until(d.effective_on))
                  for d in facts.decisions if d.kind in orgrules.ACCREDITED)


@MODEST
@given(org_cases(), st.integers(0, 2500))
def test_accredited_spells_do_not_overlap_lie_within_terms_and_match_the_status(case, back):
    facts, day = case
    spells = orgrules.accredited_spells(facts, day)
    for spell in spells:
        assert spell.start <= spell.end
    for first, second in zip(spells, spells[1:], strict=False):
        assert first.end < second.start
    terms = _terms(facts)
    for spell in spells:
        cursor = spell.start
        while cursor <= spell.end:  # every day of the spell is inside some decision's term
            ends = [end for start, end in terms if start <= cursor <= end]
            assert ends, f"{cursor} is in no term"
            cursor = max(ends) + timedelta(days=1)
    earlier = day - timedelta(days=back)
    assert any(earlier in s for s in spells) == orgrules.org_status(facts, earlier).accredited
    accredited_now = orgrules.org_status(facts, day).accredited
    assert any(day in s for s in spells) == accredited_now
