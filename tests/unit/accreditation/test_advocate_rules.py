"""An advocate's accreditation status, worked through one career: every state, the words a
person reads, what is needed next and by when, and the history with its dates."""

from dataclasses import replace
from datetime import date

import pytest

from lms.accreditation.rules import (
    IMSA,
    AdvocateFacts,
    Awarded,
    Change,
    CpdYearResult,
    Decision,
    EmployerSpell,
    Enrolled,
    Job,
    Step,
    advocate_status,
    hours_text,
)

D = date
HOURS = 60
HAVEN = Job(1, "Haven Trust", D(2026, 8, 1))
# An advocate who trains, qualifies, joins an accredited employer and is accredited; the CPD
# year runs April to March with 20 hours required.
CAREER = AdvocateFacts(
    enrolments=(Enrolled(IMSA, D(2025, 9, 1), D(2026, 6, 30)),),
    awards=(Awarded(IMSA, D(2026, 7, 15)),),
    jobs=(HAVEN,),
    employer_spells=(EmployerSpell(1, D(2026, 1, 1), D(2028, 12, 31)),),
    cpd_years=(CpdYearResult(D(2026, 4, 1), D(2027, 3, 31), 20 * HOURS, 14 * HOURS),
               CpdYearResult(D(2027, 4, 1), D(2028, 3, 31), 20 * HOURS, 5 * HOURS)),
    decisions=(Decision("accredit", D(2026, 9, 1), order=1),),
)
AWARDED = "PG Cert awarded on 15 July 2026 with the modern slavery specialism."
CONFIRMED = "Initial conditions confirmed on 1 September 2026."
EMPLOYED = "Employed by Haven Trust, an accredited host organisation."
SHORT_YEAR = "CPD: the year that ended on 31 March 2027 is short: 14 of 20 hours."


def with_decisions(facts, *decisions):
    return replace(facts, decisions=facts.decisions + decisions)


def states(status):
    return [(change.on, change.state) for change in status.history]


def test_nobody_yet_is_not_qualified_and_is_told_to_enrol():
    status = advocate_status(AdvocateFacts(), D(2026, 1, 1))
    assert status.state == "not_qualified"
    assert status.label == "Not qualified"
    assert status.reasons == ("No PG Cert award is recorded, and there is no current enrolment.",)
    assert status.next_steps == (Step("Enrol on the PG Cert to train as an advocate."),)
    assert not status.accredited
    assert status.history == ()


def test_in_training_says_the_specialism_and_since_when():
    status = advocate_status(CAREER, D(2025, 10, 1))
    assert (status.state, status.label) == ("in_training", "In training")
    assert status.reasons == ("Studying for the PG Cert, modern slavery (IMSA) specialism, since "
                              "1 September 2025.",)
    assert status.next_steps == (
        Step("Complete the PG Cert: the award is made by the university's exam board."),)
    assert states(status) == [(D(2025, 9, 1), "in_training")]


def test_between_the_end_of_studies_and_the_award_the_person_is_told_the_award_is_awaited():
    status = advocate_status(CAREER, D(2026, 7, 10))
    assert status.state == "not_qualified"
    assert status.reasons == ("Studies for the PG Cert ended on 30 June 2026; no award is "
                              "recorded yet.",)
    assert "exam board" in status.next_steps[0].text
    assert states(status) == [(D(2025, 9, 1), "in_training"), (D(2026, 7, 1), "not_qualified")]


def test_qualified_without_an_employer_is_told_to_join_an_accredited_one():
    status = advocate_status(CAREER, D(2026, 7, 20))
    assert (status.state, status.label, status.specialism) == ("qualified", "Qualified", IMSA)
    assert status.reasons == (
        AWARDED,
        "Course staff have not yet confirmed the initial conditions of accreditation.",
        "Not employed by an accredited host organisation.")
    assert status.next_steps == (Step("Join an accredited host organisation; then course staff "
                                      "can confirm your accreditation."),)
    assert status.valid_until is None


def test_qualified_and_employed_waits_for_staff_to_confirm_the_initial_conditions():
    status = advocate_status(CAREER, D(2026, 8, 15))
    assert status.state == "qualified"
    assert status.reasons[2] == EMPLOYED
    assert status.next_steps[0].text.startswith("Course staff confirm the initial conditions")


def test_accredited_gives_cpd_progress_the_year_end_and_valid_until():
    status = advocate_status(CAREER, D(2026, 10, 1))
    assert (status.state, status.label) == ("accredited", "Accredited")
    assert status.accredited
    assert status.reasons == (AWARDED, CONFIRMED, EMPLOYED,
                              "CPD: 14 of 20 hours; the year ends on 31 March 2027.")
    assert status.next_steps == (Step("Complete this year's CPD.", D(2027, 3, 31)),)
    assert status.valid_until == D(2027, 3, 31)
    assert status.headline == CONFIRMED
    assert states(status) == [(D(2025, 9, 1), "in_training"), (D(2026, 7, 1), "not_qualified"),
                              (D(2026, 7, 15), "qualified"), (D(2026, 9, 1), "accredited")]


def test_an_accredit_decision_before_the_award_does_not_count():
    facts = replace(CAREER, decisions=(Decision("accredit", D(2026, 7, 1)),))
    assert advocate_status(facts, D(2026, 8, 15)).state == "qualified"


def test_conditions_then_conditions_met():
    facts = with_decisions(
        CAREER,
        Decision("conditions", D(2026, 11, 1), reason="Supervision lapsed",
                 conditions="Arrange monthly supervision", due_on=D(2027, 1, 31), order=2),
        Decision("conditions_met", D(2027, 1, 20), order=3))
    during = advocate_status(facts, D(2026, 12, 1))
    assert (during.state, during.label) == ("accredited_conditions", "Accredited with conditions")
    assert during.accredited
    assert during.conditions == "Arrange monthly supervision"
    assert during.reasons[-1] == "Conditions set on 1 November 2026: Arrange monthly supervision"
    assert during.next_steps == (Step("Meet the conditions and tell course staff.", D(2027, 1, 31)),
                                 Step("Complete this year's CPD.", D(2027, 3, 31)))
    assert during.headline == during.reasons[-1]

    overdue = advocate_status(replace(facts, decisions=facts.decisions[:2]), D(2027, 2, 1))
    assert overdue.state == "accredited_conditions"
    assert overdue.reasons[-1] == "The conditions were due on 31 January 2027."
    assert overdue.headline == during.reasons[-1]

    after = advocate_status(facts, D(2027, 2, 1))
    assert after.state == "accredited"
    assert after.conditions == ""
    assert after.reasons[-1] == "The conditions set on 1 November 2026 were met on 20 January 2027."
    assert after.next_steps == (Step("Complete this year's CPD.", D(2027, 3, 31)),)
    assert after.history[-2:] == (
        Change(D(2026, 11, 1), "accredited_conditions", during.reasons[-1]),
        Change(D(2027, 1, 20), "accredited", after.reasons[-1]))


def test_conditions_without_written_conditions_fall_back_to_the_reason():
    facts = with_decisions(CAREER, Decision("conditions", D(2026, 11, 1), reason="See letter"))
    status = advocate_status(facts, D(2026, 11, 2))
    assert status.reasons[-1] == "Conditions set on 1 November 2026: See letter"
    assert status.next_steps[0] == Step("Meet the conditions and tell course staff.")


def test_a_short_year_opens_sixty_days_of_renewal_overdue_then_lapses():
    first_day = advocate_status(CAREER, D(2027, 4, 1))
    assert (first_day.state, first_day.label) == ("renewal_overdue", "Accredited: renewal overdue")
    assert first_day.accredited
    assert first_day.reasons == (AWARDED, CONFIRMED, EMPLOYED, SHORT_YEAR,
                                 "CPD: 5 of 20 hours; the year ends on 31 March 2028.")
    assert first_day.next_steps == (
        Step("Log the 6 hours still needed for the year that ended on 31 March 2027 "
             "(activities done in that year), or your accreditation lapses.", D(2027, 5, 30)),
        Step("Complete this year's CPD.", D(2028, 3, 31)))
    assert first_day.valid_until == D(2027, 5, 30)
    assert first_day.headline == SHORT_YEAR

    assert advocate_status(CAREER, D(2027, 5, 30)).state == "renewal_overdue"
    lapsed = advocate_status(CAREER, D(2027, 5, 31))
    assert (lapsed.state, lapsed.label) == ("lapsed", "Accreditation lapsed")
    assert not lapsed.accredited
    assert lapsed.reasons[-1] == ("CPD: the year that ended on 31 March 2027 was short (14 of 20 "
                                  "hours) and the 60-day grace period ended on 30 May 2027.")
    assert lapsed.next_steps == (Step("Ask course staff how to be reinstated: make up the CPD, "
                                      "then they confirm your accreditation again."),)
    assert lapsed.valid_until is None
    assert states(lapsed)[-3:] == [(D(2026, 9, 1), "accredited"),
                                   (D(2027, 4, 1), "renewal_overdue"), (D(2027, 5, 31), "lapsed")]


def test_shortfalls_are_listed_while_renewal_is_overdue():
    years = (replace(CAREER.cpd_years[0], shortfalls=("2 hours of safeguarding",)),)
    status = advocate_status(replace(CAREER, cpd_years=years), D(2027, 4, 2))
    assert "Still needed for that year: 2 hours of safeguarding" in status.reasons


def test_a_lapse_is_not_undone_by_the_next_year_going_short_too():
    # Found by these tests: a later short year in its own grace period used to turn a lapsed
    # accreditation back into "renewal overdue".
    status = advocate_status(CAREER, D(2028, 5, 1))
    assert status.state == "lapsed"
    assert "31 March 2027" in status.reasons[-1]


def test_a_year_made_up_in_the_grace_period_restores_accreditation_that_day():
    years = (replace(CAREER.cpd_years[0], logged_minutes=20 * HOURS, met_on=D(2027, 5, 10)),
             CAREER.cpd_years[1])
    facts = replace(CAREER, cpd_years=years)
    before = advocate_status(facts, D(2027, 5, 9))
    assert before.state == "renewal_overdue"
    # The hours logged by 9 May are not known, only today's total: no wrong numbers.
    assert before.reasons[3] == "CPD: the year that ended on 31 March 2027 is short."
    after = advocate_status(facts, D(2027, 5, 10))
    assert after.state == "accredited"
    assert "CPD year ending 31 March 2027 was completed late, on 10 May 2027." in after.reasons
    assert after.valid_until == D(2028, 3, 31)
    assert after.history[-2:] == (
        Change(D(2027, 4, 1), "renewal_overdue",
                                    "CPD: the year that ended on 31 March 2027 is short."),
        Change(D(2027, 5, 10), "accredited",
                                    "CPD year ending 31 March 2027 was completed late, on "
                                    "10 May 2027."))


def test_hours_made_up_after_the_grace_period_need_staff_to_reinstate():
    years = (replace(CAREER.cpd_years[0], logged_minutes=20 * HOURS, met_on=D(2027, 6, 15)),)
    facts = replace(CAREER, cpd_years=years)
    status = advocate_status(facts, D(2027, 6, 20))
    assert status.state == "lapsed"
    assert status.reasons[-1] == ("The hours for that year were made up on 15 June 2027, after "
                                  "the grace period.")
    assert status.next_steps == (Step("Ask course staff to confirm your accreditation again: the "
                                      "CPD has been made up."),)


def test_a_later_accredit_decision_reinstates_a_lapsed_advocate():
    facts = with_decisions(CAREER, Decision("accredit", D(2027, 7, 1), order=5))
    status = advocate_status(facts, D(2027, 7, 1))
    assert status.state == "accredited"
    assert status.reasons[:4] == (
        AWARDED, "Accreditation confirmed again by course staff on 1 July 2027.", EMPLOYED,
        "CPD: 5 of 20 hours; the year ends on 31 March 2028.")
    assert status.valid_until == D(2028, 3, 31)
    assert states(status)[-2:] == [(D(2027, 5, 31), "lapsed"), (D(2027, 7, 1), "accredited")]
    assert status.history[-1].text == status.reasons[1]


def test_suspended_and_lifted():
    facts = with_decisions(CAREER,
                           Decision("suspend", D(2026, 10, 1), reason="Complaint under review"),
                           Decision("lift", D(2026, 11, 1)))
    suspended = advocate_status(facts, D(2026, 10, 15))
    assert (suspended.state, suspended.label) == ("suspended", "Accreditation suspended")
    assert not suspended.accredited
    assert suspended.reasons == ("Suspended by course staff on 1 October 2026.",
                                 "Reason given: Complaint under review")
    assert suspended.next_steps[0].text.startswith("Course staff will lift the suspension")
    lifted = advocate_status(facts, D(2026, 11, 1))
    assert lifted.state == "accredited"
    assert lifted.reasons[-1] == "A suspension was lifted by course staff on 1 November 2026."
    assert states(lifted)[-3:] == [(D(2026, 9, 1), "accredited"), (D(2026, 10, 1), "suspended"),
                                   (D(2026, 11, 1), "accredited")]
    assert lifted.history[-1].text == lifted.reasons[-1]


def test_withdrawn_is_final_whatever_staff_decide_later():
    facts = with_decisions(CAREER,
                           Decision("withdraw", D(2026, 12, 1), reason="Gross misconduct"),
                           Decision("accredit", D(2027, 1, 1)), Decision("lift", D(2027, 1, 2)))
    for day in (D(2026, 12, 1), D(2027, 1, 5), D(2030, 1, 1)):
        status = advocate_status(facts, day)
        assert (status.state, status.label) == ("withdrawn", "Accreditation withdrawn")
        assert status.reasons == ("Accreditation was withdrawn by course staff on 1 December 2026.",
                                  "Reason given: Gross misconduct")
        assert status.next_steps == ()
        assert status.history[-1] == Change(
            D(2026, 12, 1), "withdrawn", status.reasons[0])


def test_the_employer_losing_accreditation_is_said_with_what_to_do():
    status = advocate_status(CAREER, D(2026, 10, 1))
    assert status.valid_until == D(2027, 3, 31)
    facts = replace(CAREER, employer_spells=(EmployerSpell(1, D(2026, 1, 1), D(2026, 12, 31)),))
    during = advocate_status(facts, D(2026, 10, 1))
    assert during.valid_until == D(2026, 12, 31)  # the employer's term ends first
    after = advocate_status(facts, D(2027, 1, 1))
    assert (after.state, after.label) == ("no_employer", "Not practising: no accredited employer")
    assert not after.accredited
    assert after.reasons == (AWARDED, CONFIRMED, "Haven Trust's accreditation as a host "
                             "organisation ended on 31 December 2026.")
    assert after.next_steps == (Step("Ask your employer about renewing its accreditation, or move "
                                     "to an accredited host organisation, and tell course staff."),)
    assert after.history[-1] == Change(D(2027, 1, 1), "no_employer",
                                                            after.reasons[-1])


def test_an_employer_renewed_without_a_gap_keeps_the_valid_until_at_the_later_term():
    spells = (EmployerSpell(1, D(2026, 1, 1), D(2026, 12, 31)),
              EmployerSpell(1, D(2027, 1, 1), D(2029, 12, 31), known_on=D(2026, 9, 20)))
    facts = replace(CAREER, employer_spells=spells, cpd_years=())
    assert advocate_status(facts, D(2026, 9, 19)).valid_until == D(2026, 12, 31)
    assert advocate_status(facts, D(2026, 10, 1)).valid_until == D(2029, 12, 31)
    assert advocate_status(facts, D(2027, 6, 1)).valid_until == D(2029, 12, 31)


def test_an_employer_never_accredited_is_named():
    facts = replace(CAREER, employer_spells=())
    status = advocate_status(facts, D(2026, 10, 1))
    assert status.state == "no_employer"
    assert status.reasons[-1] == "Haven Trust is not an accredited host organisation."


def test_leaving_the_employer_is_said_with_what_to_do():
    facts = replace(CAREER, jobs=(replace(HAVEN, end=D(2027, 2, 28)),))
    assert advocate_status(facts, D(2027, 2, 28)).state == "accredited"
    status = advocate_status(facts, D(2027, 3, 1))
    assert status.state == "no_employer"
    assert status.reasons[-1] == "Your employment with Haven Trust ended on 28 February 2027."
    assert "when you join one, ask it to record your employment" in status.next_steps[0].text
    assert status.history[-1].on == D(2027, 3, 1)


def test_moving_to_another_accredited_employer_restores_accreditation():
    northern = Job(2, "Northern Light", D(2027, 3, 15))
    facts = replace(
        CAREER, jobs=(replace(HAVEN, end=D(2027, 2, 28)), northern),
        employer_spells=(*CAREER.employer_spells, EmployerSpell(2, D(2025, 1, 1), D(2027, 12, 31))))
    status = advocate_status(facts, D(2027, 3, 20))
    assert status.state == "accredited"
    assert "Employed by Northern Light, an accredited host organisation." in status.reasons
    assert states(status)[-2:] == [(D(2027, 3, 1), "no_employer"), (D(2027, 3, 15), "accredited")]
    assert status.history[-1].text == "Employed by Northern Light, an accredited host organisation."


@pytest.mark.parametrize(("specialism", "label"), [
    ("domestic_abuse", "Qualified: domestic abuse (IDVA)"),
    ("sexual_violence", "Qualified: sexual violence (ISVA)"),
    ("stalking", "Qualified: stalking advocacy (ISA)"),
])
def test_other_specialisms_are_qualified_in_their_own_and_never_accredited(specialism, label):
    facts = replace(CAREER, enrolments=(Enrolled(specialism, D(2025, 9, 1), D(2026, 6, 30)),),
                    awards=(Awarded(specialism, D(2026, 7, 15)),))
    for day in (D(2026, 7, 15), D(2026, 10, 1), D(2027, 6, 1)):
        status = advocate_status(facts, day)
        assert (status.state, status.label, status.specialism) == ("qualified", label, specialism)
        assert not status.accredited
        assert status.reasons[-1] == "IMSA accreditation needs the modern slavery specialism."


def test_an_isva_studying_the_modern_slavery_specialism_is_told_so():
    facts = replace(CAREER, awards=(Awarded("sexual_violence", D(2024, 7, 1)),),
                    enrolments=(Enrolled(IMSA, D(2025, 9, 1)),))
    status = advocate_status(facts, D(2025, 10, 1))
    assert status.label == "Qualified: sexual violence (ISVA)"
    assert status.reasons == ("PG Cert awarded on 1 July 2024 with the sexual violence (ISVA) "
                              "specialism.",
                              "Studying the modern slavery specialism since 1 September 2025.",
                              "IMSA accreditation needs the modern slavery specialism.")


def test_an_idva_who_later_qualifies_in_modern_slavery_can_be_accredited():
    facts = replace(CAREER, awards=(Awarded("domestic_abuse", D(2024, 7, 1)),) + CAREER.awards)
    assert advocate_status(facts, D(2026, 7, 1)).label == "Qualified: domestic abuse (IDVA)"
    assert advocate_status(facts, D(2026, 10, 1)).state == "accredited"


def test_a_spell_learned_of_later_counts_from_the_day_it_was_known():
    spell = replace(CAREER.employer_spells[0], known_on=D(2026, 9, 10))
    facts = replace(CAREER, employer_spells=(spell,))
    assert advocate_status(facts, D(2026, 9, 5)).state == "no_employer"
    status = advocate_status(facts, D(2026, 9, 10))
    assert status.state == "accredited"
    assert states(status)[-2:] == [(D(2026, 9, 1), "no_employer"), (D(2026, 9, 10), "accredited")]


@pytest.mark.parametrize(("minutes", "words"), [
    (0, "0 hours"), (60, "1 hour"), (75, "1.25 hours"), (90, "1.5 hours"), (1200, "20 hours")])
def test_hours_are_said_as_people_say_them(minutes, words):
    assert hours_text(minutes) == words


def test_a_longer_grace_period_moves_the_lapse():
    facts = replace(CAREER, grace_days=90)
    status = advocate_status(facts, D(2027, 6, 29))
    assert status.state == "renewal_overdue"
    assert status.next_steps[0].by == D(2027, 6, 29)
    assert advocate_status(facts, D(2027, 6, 30)).reasons[-1].endswith(
        "the 90-day grace period ended on 29 June 2027.")
