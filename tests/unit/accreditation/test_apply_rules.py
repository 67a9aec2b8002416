"""The plain rules of an organisation's application: which application may be started, what a
review and a decision need. No app, no database."""

from datetime import date, timedelta

import pytest

from lms.accreditation import applications as apps
from lms.accreditation import orgrules
from lms.accreditation.orgrules import Decision, OrgFacts, org_status

DAY = date(2027, 6, 1)


def status(*decisions):
    return org_status(OrgFacts("Org", decisions=decisions), DAY)


@pytest.mark.parametrize("facts, kind", [
    ((), "initial"),
    ((Decision("declined", DAY - timedelta(days=40), reasons="No policy."),), "initial"),
    ((Decision("accredited", DAY - timedelta(days=4 * 365)),), "initial"),  # expired
    ((Decision("accredited", DAY - timedelta(days=3 * 365 - 30)),), "renewal"),
    ((Decision("accredited_conditions", DAY - timedelta(days=3 * 365 - 30),
               conditions="A leaflet."),), "renewal"),
    ((Decision("accredited", DAY - timedelta(days=100)),), None),
    ((Decision("accredited", DAY - timedelta(days=100)),
      Decision("suspended", DAY - timedelta(days=3), order=1)), None),
])
def test_which_application_may_be_started(facts, kind):
    assert apps.may_start(status(*facts), None)[0] == kind


def test_an_open_application_stops_another_and_the_window_is_named():
    assert apps.may_start(status(), object()) == (None, "An application is already open.")
    since = DAY - timedelta(days=100)
    _, why = apps.may_start(status(Decision("accredited", since)), None)
    until = orgrules.default_valid_until(since)
    assert orgrules.uk_date(until) in why
    assert orgrules.uk_date(until - timedelta(days=orgrules.RENEWAL_WINDOW_DAYS)) in why


@pytest.mark.parametrize("review, note, problem", [
    ("met", "", None),
    ("not_met", "", "note"),
    ("more_info", " ", "note"),
    ("more_info", "How often?", None),
    ("", "", "review"),
    ("maybe", "", "review"),
    ("met", "x" * (apps.REVIEW_NOTE + 1), "note"),
])
def test_a_review_needs_a_note_unless_met(review, note, problem):
    assert list(apps.review_problems(review, note)) == ([problem] if problem else [])


def typed(**fields):
    return apps.DecisionTyped(**fields)


def test_an_accreditation_runs_three_years_by_default_and_no_longer():
    until, problems = apps.decision_problems(typed(kind="accredited"), DAY)
    assert problems == {} and until == orgrules.default_valid_until(DAY) == date(2030, 5, 31)
    shorter = (DAY + timedelta(days=365)).isoformat()
    assert apps.decision_problems(typed(kind="accredited", valid_until=shorter), DAY) == (
        DAY + timedelta(days=365), {})
    for bad in ("2030-06-01", DAY.isoformat(), "31/05/2030"):
        assert "valid_until" in apps.decision_problems(
            typed(kind="accredited", valid_until=bad), DAY)[1], bad


def test_conditions_and_refusals_need_their_words():
    assert set(apps.decision_problems(typed(kind="accredited_conditions"), DAY)[1]) == {
        "conditions", "reasons"}
    until, problems = apps.decision_problems(typed(kind="declined", valid_until="2029-01-01"),
                                             DAY)
    assert until is None and set(problems) == {"reasons"}
    assert set(apps.decision_problems(typed(kind="withdrawn"), DAY)[1]) == {"kind"}
    long = "x" * (apps.DECISION_TEXT + 1)
    assert set(apps.decision_problems(typed(kind="declined", reasons=long), DAY)[1]) == {
        "reasons"}
