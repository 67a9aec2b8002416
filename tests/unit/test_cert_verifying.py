"""A certificate's status on a day: each state at its edges, and which state wins."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.certs.verifying import STATES, certificate_status, uk_day

DAY = date(2026, 6, 15)


@dataclass
class Row:
    revoked_at: datetime | None = None
    suspended_at: datetime | None = None
    valid_until: date | None = None


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_a_certificate_that_never_expires_is_valid():
    status = certificate_status(Row(), DAY)
    assert (status.state, status.label, status.since, status.reason_date) == (
        "valid", "Valid", None, None)
    assert status.holds


def test_valid_on_its_last_day_and_expired_the_day_after():
    row = Row(valid_until=DAY)
    last = certificate_status(row, DAY)
    assert last.state == "valid" and last.reason_date == DAY
    after = certificate_status(row, DAY + timedelta(days=1))
    assert (after.state, after.label) == ("expired", "Expired")
    assert after.since == DAY + timedelta(days=1)
    assert after.reason_date == DAY  # "valid until 15 June 2026"
    assert not after.holds


def test_suspended_from_the_day_it_was_suspended():
    row = Row(suspended_at=at(DAY), valid_until=DAY + timedelta(days=300))
    assert certificate_status(row, DAY - timedelta(days=1)).state == "valid"
    status = certificate_status(row, DAY)
    assert (status.state, status.label, status.since, status.reason_date) == (
        "suspended", "Suspended", DAY, DAY)


def test_revoked_from_the_day_it_was_revoked():
    row = Row(revoked_at=at(DAY))
    assert certificate_status(row, DAY - timedelta(days=1)).state == "valid"
    status = certificate_status(row, DAY + timedelta(days=40))
    assert (status.state, status.label, status.since, status.reason_date) == (
        "revoked", "Revoked", DAY, DAY)


@pytest.mark.parametrize(("row", "state"), [
    (Row(revoked_at=at(DAY), suspended_at=at(DAY), valid_until=DAY - timedelta(days=9)),
     "revoked"),
    (Row(revoked_at=at(DAY - timedelta(days=5)), suspended_at=at(DAY - timedelta(days=9))),
     "revoked"),
    (Row(suspended_at=at(DAY), valid_until=DAY - timedelta(days=9)), "suspended"),
    (Row(valid_until=DAY - timedelta(days=1)), "expired"),
])
def test_revoked_beats_suspended_beats_expired(row, state):
    assert certificate_status(row, DAY).state == state


def test_the_day_is_the_uk_day_of_the_instant():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
    late = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert uk_day(late) == date(2026, 7, 1)
    row = Row(revoked_at=late)
    assert certificate_status(row, date(2026, 6, 30)).state == "valid"
    assert certificate_status(row, date(2026, 7, 1)).since == date(2026, 7, 1)
    # A naive instant is UTC, as the database returns it on SQLite.
    assert uk_day(datetime(2026, 1, 10, 23, 30)) == date(2026, 1, 10)


dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
instants = st.none() | dates.map(at)


@given(revoked=instants, suspended=instants, until=st.none() | dates, day=dates)
def test_every_row_has_exactly_one_state_and_it_follows_the_order(revoked, suspended, until, day):
    status = certificate_status(Row(revoked, suspended, until), day)
    assert status.label == STATES[status.state]
    if revoked is not None and revoked.date() <= day:
        assert status.state == "revoked"
    elif suspended is not None and suspended.date() <= day:
        assert status.state == "suspended"
    elif until is not None and day > until:
        assert status.state == "expired"
    else:
        assert status.state == "valid" and status.since is None
    if status.since is not None:
        assert status.since <= day
