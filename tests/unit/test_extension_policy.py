"""The extension policy: who may ask, when, and for how long."""

from datetime import UTC, datetime, timedelta

import pytest

from assessments.extensions import ExtensionPolicy, extension_refusal, latest_date

DEADLINE = datetime(2027, 3, 4, 12, tzinfo=UTC)
POLICY = ExtensionPolicy(grace_days=5, max_days=28)


def refusal(**changes):
    facts = {"deadline": DEADLINE, "now": DEADLINE - timedelta(days=3), "submitted": False,
             "released": False, "open_request": False, "requested_until": None,
             "policy": POLICY} | changes
    return extension_refusal(**facts)


def test_before_the_deadline_a_trainee_may_ask():
    assert refusal() is None
    assert refusal(requested_until=DEADLINE + timedelta(days=7)) is None


@pytest.mark.parametrize("changes, words", [
    ({"submitted": True}, "You have submitted this work"),
    ({"released": True}, "have been released"),
    ({"released": True, "submitted": True}, "have been released"),
    ({"open_request": True}, "already have a request waiting"),
    ({"now": DEADLINE + timedelta(days=5, seconds=1)}, "passed more than 5 days ago"),
    ({"requested_until": DEADLINE}, "after your current deadline"),
    ({"requested_until": DEADLINE - timedelta(days=1)}, "after your current deadline"),
    ({"requested_until": DEADLINE + timedelta(days=28, seconds=1)},
     "no more than 28 days beyond your current deadline: 1 April 2027 at the latest"),
    ({"requested_until": DEADLINE + timedelta(days=365 * 3)}, "no more than 28 days"),
])
def test_refusals_say_why_in_plain_words(changes, words):
    assert words in refusal(**changes)


def test_the_edges_of_the_windows_are_allowed():
    assert refusal(now=DEADLINE + timedelta(days=5)) is None          # just inside the grace
    assert refusal(requested_until=DEADLINE + timedelta(days=28)) is None
    assert refusal(requested_until=DEADLINE + timedelta(minutes=1)) is None


def test_an_open_resit_is_new_work_that_may_be_extended():
    assert refusal(submitted=True, released=True, resit_open=True) is None
    # The resit still keeps to the other rules.
    assert "already have a request" in refusal(submitted=True, resit_open=True,
                                               open_request=True)


def test_the_policy_numbers_change_the_answer():
    generous = ExtensionPolicy(grace_days=10, max_days=60)
    later = DEADLINE + timedelta(days=8)
    assert refusal(now=later) is not None and refusal(now=later, policy=generous) is None
    assert "1 day ago" in refusal(now=DEADLINE + timedelta(days=2),
                                  policy=ExtensionPolicy(grace_days=1))
    assert latest_date(DEADLINE, generous) == DEADLINE + timedelta(days=60)


def test_the_granted_deadline_is_the_one_that_counts():
    extended = DEADLINE + timedelta(days=14)
    assert refusal(deadline=extended, now=DEADLINE + timedelta(days=10)) is None
    assert refusal(deadline=extended, requested_until=extended + timedelta(days=20)) is None
