"""An organisation's accreditation status, worked through applications, decisions, appeals,
renewal and yearly returns, with the words its admins read and the dates that matter."""

from dataclasses import replace
from datetime import date

from lms.accreditation.orgrules import (
    APPEAL_DAYS,
    RENEWAL_WINDOW_DAYS,
    TERM_YEARS,
    Appeal,
    Application,
    Change,
    Decision,
    OrgFacts,
    Spell,
    Step,
    YearlyReturn,
    accredited_spells,
    default_valid_until,
    org_status,
)

D = date
RETURN = "Send the yearly return: confirm nothing material has changed, or say what has."
APPLIED = Application(1, "initial", D(2027, 11, 1), D(2028, 1, 10), D(2028, 2, 29))
# Accredited from 29 February 2028: the term of three years ends on 28 February 2031.
HAVEN = OrgFacts("Haven Trust", applications=(APPLIED,),
                 decisions=(Decision("accredited", D(2028, 2, 29), D(2031, 2, 28), id=1,
                                     order=1),))


def decided(facts, *decisions):
    return replace(facts, decisions=facts.decisions + decisions)


def states(status):
    return [(change.on, change.state) for change in status.history]


def test_the_constants_are_the_scheme_s():
    assert (TERM_YEARS, APPEAL_DAYS, RENEWAL_WINDOW_DAYS) == (3, 28, 90)


def test_a_term_of_three_years_from_29_february_ends_on_28_february():
    assert default_valid_until(D(2028, 2, 29)) == D(2031, 2, 28)
    assert default_valid_until(D(2028, 2, 29), 4) == D(2032, 2, 28)  # a leap year: the eve
    assert default_valid_until(D(2026, 4, 1)) == D(2029, 3, 31)


def test_not_applied():
    status = org_status(OrgFacts("Haven Trust"), D(2027, 10, 1))
    assert (status.state, status.label) == ("not_applied", "Not accredited")
    assert status.reasons == ("No application for accreditation has been made.",)
    assert status.next_steps == (Step("Apply for accreditation as an IMSA employing "
                                      "organisation."),)
    assert not status.accredited
    assert status.history == ()


def test_a_draft_and_then_a_submitted_application():
    draft = org_status(HAVEN, D(2027, 12, 1))
    assert (draft.state, draft.label) == ("applying", "Applying for accreditation")
    assert draft.reasons == ("Application started on 1 November 2027, not yet submitted.",)
    assert draft.next_steps == (Step("Complete every criterion with its evidence and submit the "
                                     "application."),)
    submitted = org_status(HAVEN, D(2028, 1, 15))
    assert submitted.state == "applying"
    assert submitted.reasons == ("Application submitted on 10 January 2028; course staff are "
                                 "reviewing it.",)
    assert submitted.next_steps == (Step("Answer any question staff ask in the application's "
                                         "thread."),)


def test_accredited_for_three_years_from_29_february():
    status = org_status(HAVEN, D(2028, 3, 1))
    assert (status.state, status.label) == ("accredited", "Accredited")
    assert status.accredited
    assert (status.valid_from, status.valid_until) == (D(2028, 2, 29), D(2031, 2, 28))
    assert status.reasons == ("Accredited on 29 February 2028 until 28 February 2031.",)
    assert status.next_steps == ()  # an accreditation without conditions is not appealable
    assert not status.renewal_open
    assert states(status) == [(D(2027, 11, 1), "applying"), (D(2028, 2, 29), "accredited")]


def test_a_decision_without_a_valid_until_runs_for_the_default_term():
    facts = replace(HAVEN, decisions=(Decision("accredited", D(2028, 2, 29), id=1),))
    assert org_status(facts, D(2028, 3, 1)).valid_until == D(2031, 2, 28)


def test_with_conditions_then_conditions_met():
    facts = replace(HAVEN, decisions=(
        Decision("accredited_conditions", D(2028, 2, 29), D(2031, 2, 28),
                 conditions="Publish a complaints procedure", id=1, order=1),
        Decision("conditions_met", D(2028, 6, 1), id=2, order=2)))
    during = org_status(facts, D(2028, 3, 1))
    assert (during.state, during.label) == ("accredited_conditions", "Accredited with conditions")
    assert during.accredited
    assert during.conditions == "Publish a complaints procedure"
    assert during.reasons == ("Accredited on 29 February 2028 until 28 February 2031.",
                              "Conditions: Publish a complaints procedure")
    assert during.next_steps == (Step("You may appeal against this decision.", D(2028, 3, 28)),
                                 Step("Meet the conditions set and tell course staff."))
    assert org_status(facts, D(2028, 3, 29)).next_steps == (
        Step("Meet the conditions set and tell course staff."),)
    met = org_status(facts, D(2028, 6, 1))
    assert (met.state, met.conditions) == ("accredited", "")
    assert met.reasons[-1] == "The conditions set were met on 1 June 2028."
    assert met.history[-1] == Change(D(2028, 6, 1), "accredited", met.reasons[-1])
    assert accredited_spells(facts, D(2028, 7, 1)) == (
        Spell(D(2028, 2, 29), D(2028, 5, 31), conditions=True),
        Spell(D(2028, 6, 1), D(2031, 2, 28)))


def test_declined_appealed_and_decided():
    facts = replace(HAVEN, decisions=(Decision("declined", D(2028, 2, 29), reasons="No "
                                               "supervision arrangements", id=1),))
    status = org_status(facts, D(2028, 3, 1))
    assert (status.state, status.label) == ("declined", "Not accredited: application declined")
    assert not status.accredited
    assert status.reasons == ("The application was declined on 29 February 2028.",
                              "Reason given: No supervision arrangements")
    assert status.next_steps == (Step("You may appeal against this decision.", D(2028, 3, 28)),
                                 Step("You may apply again."))
    assert org_status(facts, D(2028, 3, 28)).next_steps[0].by == D(2028, 3, 28)
    assert org_status(facts, D(2028, 3, 29)).next_steps == (Step("You may apply again."),)

    lodged = replace(facts, appeals=(Appeal(1, D(2028, 3, 20)),))
    status = org_status(lodged, D(2028, 3, 25))
    assert status.reasons[-1] == "Appeal lodged on 20 March 2028."
    assert status.next_steps == (Step("Your appeal is with a member of staff who took no part in "
                                      "the decision."), Step("You may apply again."))

    dismissed = replace(facts, appeals=(Appeal(1, D(2028, 3, 20), D(2028, 4, 10), "dismissed"),))
    assert org_status(dismissed, D(2028, 4, 9)).next_steps[0].text.startswith("Your appeal")
    status = org_status(dismissed, D(2028, 4, 10))
    assert status.state == "declined"
    assert status.reasons[-2:] == ("Appeal lodged on 20 March 2028.",
                                   "Appeal dismissed on 10 April 2028.")
    assert status.next_steps == (Step("You may apply again."),)


def test_an_appeal_upheld_is_followed_by_the_new_decision():
    facts = OrgFacts("Haven Trust", applications=(APPLIED,),
                     decisions=(Decision("declined", D(2028, 2, 29), id=1, order=1),
                                Decision("accredited", D(2028, 4, 10), id=2, order=2)),
                     appeals=(Appeal(1, D(2028, 3, 20), D(2028, 4, 10), "upheld"),))
    status = org_status(facts, D(2028, 4, 10))
    assert status.state == "accredited"
    assert status.valid_until == D(2031, 4, 9)
    assert states(status)[-2:] == [(D(2028, 2, 29), "declined"), (D(2028, 4, 10), "accredited")]
    waiting = org_status(facts, D(2028, 4, 9))
    assert (waiting.state, waiting.reasons[-1]) == ("declined", "Appeal lodged on 20 March 2028.")


def test_applying_again_after_a_decline():
    again = Application(2, "initial", D(2028, 5, 1), D(2028, 6, 1))
    facts = OrgFacts("Haven Trust", applications=(APPLIED, again),
                     decisions=(Decision("declined", D(2028, 2, 29), id=1),))
    drafting = org_status(facts, D(2028, 5, 15))
    assert drafting.state == "declined"  # a draft changes nothing yet, but is said
    assert drafting.reasons[-1] == "A new application was started on 1 May 2028, not yet submitted."
    assert drafting.next_steps == (Step("Complete every criterion with its evidence and submit "
                                        "the application."),)
    status = org_status(facts, D(2028, 6, 1))
    assert status.state == "applying"
    assert status.reasons == ("Application submitted on 1 June 2028; course staff are reviewing "
                              "it.",)


def test_suspended_and_lifted():
    facts = decided(HAVEN, Decision("suspended", D(2028, 9, 1), reasons="Safeguarding concern",
                                    id=2, order=2),
                    Decision("lifted", D(2028, 10, 1), id=3, order=3))
    status = org_status(facts, D(2028, 9, 2))
    assert (status.state, status.label) == ("suspended", "Accreditation suspended")
    assert not status.accredited
    assert status.reasons == ("Accreditation was suspended on 1 September 2028.",
                              "Reason given: Safeguarding concern")
    assert status.next_steps == (
        Step("You may appeal against this decision.", D(2028, 9, 29)),
        Step("Course staff will lift the suspension when the reason for it is resolved."))
    assert status.valid_until == D(2031, 2, 28)
    lifted = org_status(facts, D(2028, 10, 1))
    assert lifted.state == "accredited"
    assert lifted.reasons[-1] == "A suspension was lifted on 1 October 2028."
    assert states(lifted)[-3:] == [(D(2028, 2, 29), "accredited"), (D(2028, 9, 1), "suspended"),
                                   (D(2028, 10, 1), "accredited")]
    assert lifted.history[-1].text == lifted.reasons[-1]
    assert accredited_spells(facts, D(2028, 12, 1)) == (
        Spell(D(2028, 2, 29), D(2028, 8, 31)), Spell(D(2028, 10, 1), D(2031, 2, 28)))


def test_withdrawn():
    facts = decided(HAVEN, Decision("withdrawn", D(2029, 1, 10), reasons="Advocates directed "
                                    "by the police", id=2, order=2))
    status = org_status(facts, D(2029, 1, 10))
    assert (status.state, status.label) == ("withdrawn", "Accreditation withdrawn")
    assert not status.accredited
    assert status.reasons == ("Accreditation was withdrawn on 10 January 2029.",
                              "Reason given: Advocates directed by the police")
    assert status.next_steps == (Step("You may appeal against this decision.", D(2029, 2, 7)),)
    assert org_status(facts, D(2031, 6, 1)).state == "withdrawn"
    assert accredited_spells(facts, D(2029, 6, 1)) == (Spell(D(2028, 2, 29), D(2029, 1, 9)),)
    # Applying again: the withdrawal stands, and the application is said, until staff decide.
    again = replace(facts, applications=(APPLIED, Application(2, "initial", D(2029, 5, 1),
                                                              D(2029, 6, 1))))
    status = org_status(again, D(2029, 6, 2))
    assert status.state == "withdrawn"
    assert status.reasons[-1] == ("A new application was submitted on 1 June 2029; course staff "
                                  "are reviewing it.")
    accredited_again = decided(again, Decision("accredited", D(2029, 8, 1), id=3, order=3))
    assert org_status(accredited_again, D(2029, 8, 1)).state == "accredited"


def test_expired_at_the_end_of_the_term():
    assert org_status(HAVEN, D(2031, 2, 28)).state == "accredited"
    status = org_status(HAVEN, D(2031, 3, 1))
    assert (status.state, status.label) == ("expired", "Accreditation expired")
    assert status.reasons == ("Accreditation ended on 28 February 2031.",)
    assert status.next_steps == (Step("Apply for accreditation again."),)
    assert (status.valid_from, status.valid_until) == (D(2028, 2, 29), D(2031, 2, 28))
    assert status.history[-1] == Change(D(2031, 3, 1), "expired", status.reasons[0])
    assert accredited_spells(HAVEN, D(2031, 6, 1)) == (Spell(D(2028, 2, 29), D(2031, 2, 28)),)


def test_the_renewal_window_opens_ninety_days_before_expiry():
    opens = D(2031, 2, 28) - D(2030, 11, 30)
    assert opens.days == RENEWAL_WINDOW_DAYS
    before = org_status(HAVEN, D(2030, 11, 29))
    assert not before.renewal_open
    assert all(step.text != "Apply to renew accreditation." for step in before.next_steps)
    status = org_status(HAVEN, D(2030, 11, 30))
    assert status.renewal_open
    assert Step("Apply to renew accreditation.", D(2031, 2, 28)) in status.next_steps


def test_a_renewal_application_submitted_closes_the_window_and_says_so():
    renewal = Application(2, "renewal", D(2030, 12, 1), D(2031, 1, 5))
    facts = replace(HAVEN, applications=(APPLIED, renewal))
    drafting = org_status(facts, D(2030, 12, 10))
    assert drafting.renewal_open
    status = org_status(facts, D(2031, 1, 5))
    assert status.state == "accredited"
    assert not status.renewal_open
    assert status.reasons[-1] == "Renewal application submitted on 5 January 2031."
    assert all("renew" not in step.text for step in status.next_steps)
    expired = org_status(facts, D(2031, 3, 1))
    assert expired.reasons == ("Accreditation ended on 28 February 2031.",
                               "A renewal application was submitted on 5 January 2031 and is "
                               "being reviewed.")
    assert expired.next_steps == ()


def test_renewed_without_a_gap_is_one_spell():
    renewal = Application(2, "renewal", D(2030, 12, 1), D(2031, 1, 5), D(2031, 2, 1))
    facts = OrgFacts("Haven Trust", applications=(APPLIED, renewal), decisions=(
        Decision("accredited", D(2028, 2, 29), D(2031, 2, 28), id=1),
        Decision("accredited", D(2031, 3, 1), D(2034, 2, 28), id=2)))
    assert org_status(facts, D(2031, 3, 1)).valid_until == D(2034, 2, 28)
    assert accredited_spells(facts, D(2031, 6, 1)) == (Spell(D(2028, 2, 29), D(2034, 2, 28)),)


def test_a_renewal_declined_does_not_cut_short_the_term_already_granted():
    # Found by these tests: a declined renewal used to end the running accreditation at once.
    renewal = Application(2, "renewal", D(2030, 12, 1), D(2031, 1, 5), D(2031, 2, 1))
    facts = OrgFacts("Haven Trust", applications=(APPLIED, renewal), decisions=(
        Decision("accredited", D(2028, 2, 29), D(2031, 2, 28), id=1),
        Decision("declined", D(2031, 2, 1), reasons="No lived-experience involvement", id=2)))
    status = org_status(facts, D(2031, 2, 1))
    assert status.state == "accredited"
    assert status.valid_until == D(2031, 2, 28)
    assert status.reasons[-2:] == ("The renewal application was declined on 1 February 2031.",
                                   "Reason given: No lived-experience involvement")
    assert status.next_steps[0] == Step("You may appeal against this decision.", D(2031, 3, 1))
    after = org_status(facts, D(2031, 3, 1))
    assert after.state == "declined"
    assert after.reasons[0] == "The application was declined on 1 February 2031."
    assert accredited_spells(facts, D(2031, 6, 1)) == (Spell(D(2028, 2, 29), D(2031, 2, 28)),)


def test_yearly_returns_come_due_ninety_days_ahead_and_go_once_sent():
    # The anniversary of a 29 February start is 1 March; no return is due at the term's end.
    status = org_status(HAVEN, D(2028, 12, 1))
    assert status.next_steps == (Step(RETURN, D(2029, 3, 1)),)
    assert org_status(HAVEN, D(2028, 11, 30)).next_steps == ()
    sent = replace(HAVEN, returns=(YearlyReturn(D(2029, 3, 1), D(2029, 2, 20)),))
    assert org_status(sent, D(2029, 2, 19)).next_steps == (Step(RETURN, D(2029, 3, 1)),)
    assert org_status(sent, D(2029, 2, 20)).next_steps == ()
    # Unsent, it stays a step (overdue) beside the next year's.
    late = org_status(HAVEN, D(2029, 12, 15))
    assert late.next_steps == (Step(RETURN, D(2029, 3, 1)), Step(RETURN, D(2030, 3, 1)))
    final = org_status(sent, D(2030, 12, 15))
    assert [step.by for step in final.next_steps] == [D(2031, 2, 28), D(2030, 3, 1)]


def test_a_renewal_granted_ahead_is_said_and_runs_on_from_the_end_of_the_term():
    renewal = Application(2, "renewal", D(2030, 12, 1), D(2031, 1, 5), D(2031, 2, 1))
    facts = OrgFacts("Haven Trust", applications=(APPLIED, renewal), decisions=(
        Decision("accredited", D(2028, 2, 29), D(2031, 2, 28), id=1),
        Decision("accredited", D(2031, 3, 1), D(2034, 2, 28), id=2, decided_on=D(2031, 2, 1))))
    before = org_status(facts, D(2031, 1, 31))
    assert Step("Apply to renew accreditation.", D(2031, 2, 28)) not in before.next_steps
    assert before.reasons[-1] == "Renewal application submitted on 5 January 2031."
    status = org_status(facts, D(2031, 2, 1))
    assert status.state == "accredited"
    assert status.valid_until == D(2031, 2, 28)
    assert status.reasons[-1] == "Accredited again from 1 March 2031 until 28 February 2034."
    assert not status.renewal_open
    assert all("renew" not in step.text for step in status.next_steps)
    assert accredited_spells(facts, D(2031, 2, 1)) == (Spell(D(2028, 2, 29), D(2034, 2, 28)),)
    assert org_status(facts, D(2031, 3, 1)).valid_until == D(2034, 2, 28)
    assert states(org_status(facts, D(2031, 6, 1)))[-1] == (D(2028, 2, 29), "accredited")


def test_a_withdrawal_decided_ahead_is_said_before_it_takes_effect():
    facts = decided(HAVEN, Decision("withdrawn", D(2029, 2, 1), id=2, order=2,
                                    decided_on=D(2029, 1, 10)))
    assert org_status(facts, D(2029, 1, 9)).reasons == (
        "Accredited on 29 February 2028 until 28 February 2031.",)
    status = org_status(facts, D(2029, 1, 10))
    assert status.state == "accredited"
    assert status.reasons[-1] == "Accreditation is to be withdrawn from 1 February 2029."
    assert accredited_spells(facts, D(2029, 1, 10)) == (Spell(D(2028, 2, 29), D(2029, 1, 31)),)
    assert org_status(facts, D(2029, 2, 1)).state == "withdrawn"
